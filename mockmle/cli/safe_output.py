"""The commands' standard output, with every control character from answers and models spelled out.

Installed by `mockmle.cli.main` for the length of a command (not for the full-screen app, which
draws with escape sequences of its own), so no command can forget to sanitise what it prints.
"""

from __future__ import annotations

from typing import TextIO

from mockmle.core.safe_text import printable


class PrintableStream:
    """Wraps a text stream; `write` passes text through `printable`, everything else is the stream's."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)
