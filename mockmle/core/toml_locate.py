"""Find the line of a TOML file that a pydantic error location points at.

tomllib gives no positions for values, so this scans the text: it follows array-of-tables
headers (``[[questions]]``) by index and then looks for ``key =`` inside that table.
It is a best effort; when it cannot be sure it returns None and the caller omits the line.
"""

from __future__ import annotations

import re
import tomllib

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?")


def _key_line(lines: list[str], key: str, start: int, end: int) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    # A table's own keys all come before the next header; do not wander into its sub-tables.
    end = next((n for n in range(start, end) if _HEADER.match(lines[n])), end)
    for number in range(start, end):
        if pattern.match(lines[number]):
            return number
    return None


def locate(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Return the 1-based line for an error at ``loc`` (e.g. ("questions", 3, "areas"))."""
    lines = text.splitlines()
    start, end = 0, len(lines)
    table = ""
    found: int | None = None
    parts = list(loc)
    index = 0
    while index < len(parts):
        part = parts[index]
        if isinstance(part, int):
            index += 1
            continue
        after = parts[index + 1] if index + 1 < len(parts) else None
        next_index = after if isinstance(after, int) else None
        next_is_index = next_index is not None
        name = f"{table}.{part}" if table else str(part)
        headers = [n for n in range(start, end) if (m := _HEADER.match(lines[n])) and m.group(1) == name]
        if headers and (next_is_index or index + 1 < len(parts)):  # an array of tables, or a [table] to descend into
            position = next_index if next_index is not None else 0
            if position >= len(headers):
                return found
            start = headers[position]
            following = [n for n in range(start + 1, end) if (m := _HEADER.match(lines[n])) and not m.group(1).startswith(name + ".")]
            end = following[0] if following else end
            found, table = start, name
            index += 2 if next_is_index else 1
            continue
        key_line = _key_line(lines, str(part), start + (1 if found is not None else 0), end)
        if key_line is None:
            sub = [n for n in range(start, end) if (m := _HEADER.match(lines[n])) and m.group(1) == name]
            return (sub[0] + 1) if sub else (found + 1 if found is not None else None)
        found = key_line
        if next_index is not None:
            return _array_item_line(lines, key_line, next_index, end) or key_line + 1
        return key_line + 1
    return found + 1 if found is not None else None


def _array_item_line(lines: list[str], key_line: int, position: int, end: int) -> int | None:
    """Line of the position-th item of a multi-line array opened at key_line."""
    if lines[key_line].rstrip().endswith("]"):
        return key_line + 1
    if lines[key_line].split("[", 1)[-1].strip():
        return None  # items start on the opening line: counting lines would be wrong
    count = -1
    for number in range(key_line + 1, end):
        stripped = lines[number].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("]"):
            return None
        try:
            if len(tomllib.loads(f"v = [{stripped}]")["v"]) != 1:
                return None  # several items on one line
        except (tomllib.TOMLDecodeError, RecursionError):
            return None  # not one plain item per line (comment, closing bracket, multi-line string)
        count += 1
        if count == position:
            return number + 1
    return None
