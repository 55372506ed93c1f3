"""Export one session to a file in the transcripts folder: Markdown or JSON, written atomically and privately."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from mockmle.files import private_dir, write_private
from mockmle.reporting.session import session_data, session_markdown

if TYPE_CHECKING:
    from mockmle.store.sessions import SessionRecord


def write_export(record: SessionRecord, directory: Path, fmt: str) -> Path:
    """Write `session-ID.md|json` into `directory` atomically and return its path."""
    target = private_dir(directory) / f"session-{record.id}.{fmt}"
    content = json.dumps(session_data(record), indent=2, ensure_ascii=False) if fmt == "json" else session_markdown(record)
    write_private(target, content)
    return target
