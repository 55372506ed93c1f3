"""The format a file asks for by its name: `--output history.md` means Markdown, `--output deck.csv` CSV."""

from __future__ import annotations

from pathlib import Path

_BY_SUFFIX = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".csv": "csv", ".apkg": "apkg"}


def format_for(output: str | None, formats: tuple[str, ...], default: str) -> str:
    """The one of `formats` that `output`'s extension names; `default` for no file, standard output ('-'), a folder,
    or any other extension."""
    named = _BY_SUFFIX.get(Path(output).suffix.lower()) if output and output != "-" else None
    return named if named in formats else default
