"""Server addresses as they may be shown: the credentials a URL can carry, found and hidden."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

HIDDEN = "[hidden]"


_CREDENTIAL_NAME = re.compile(r"key|token|secret|pass|auth|sig|credential|session|code", re.IGNORECASE)
LONG_VALUE = 16  # a query value this long is taken for a token whatever its name; shorter ones (api-version=2024-02-01) are not


def url_secrets(url: str) -> list[str]:
    """The parts of a URL that carry credentials, as written and percent-decoded, longest first: the user and
    password before @, query values named like a key or a token, and any long query value."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]  # not readable as a URL: hide all of it
    found = []
    if "@" in parts.netloc:
        userinfo = parts.netloc.rpartition("@")[0]
        user, colon, password = userinfo.partition(":")
        found += [userinfo, password] if colon else [userinfo]
    for piece in parts.query.split("&"):
        name, _, value = piece.partition("=")
        if _CREDENTIAL_NAME.search(unquote(name)) or len(value) >= LONG_VALUE:
            found.append(value)
    if len(parts.fragment) >= LONG_VALUE:
        found.append(parts.fragment)
    found += [unquote(item) for item in found]
    return sorted({item for item in found if item}, key=len, reverse=True)


def safe_url(url: str) -> str:
    """`url` without its credentials: https://user:pass@host/v1?api-key=x -> https://[hidden]@host/v1?api-key=[hidden]."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
    except ValueError:
        return HIDDEN
    if "@" in netloc:
        netloc = f"{HIDDEN}@{netloc.rpartition('@')[2]}"
    query = "&".join(f"{piece.partition('=')[0]}={HIDDEN}" if "=" in piece else piece
                     for piece in parts.query.split("&") if piece)
    return urlunsplit((parts.scheme, netloc, parts.path, query, HIDDEN if parts.fragment else ""))
