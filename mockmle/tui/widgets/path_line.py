"""One line holding a path (or a URL): whole when it fits, else shortened with an ellipsis in the
middle. Never wrapped, so a path is never broken across lines."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

ELLIPSIS = "…"


def shorten_middle(text: str, width: int) -> str:
    """`text` if it fits in `width` cells, else its start and its longer end around an ellipsis."""
    if len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:max(0, width)]
    tail = (width - 1) * 2 // 3  # the end of a path names the file: keep more of it
    head = width - 1 - tail
    return text[:head] + ELLIPSIS + text[len(text) - tail:]


class PathLine(Static):
    def __init__(self, path: object, label: str = "", **kwargs):
        self.path = str(path)
        self.label = label
        super().__init__(self._line(None), **kwargs)

    def _line(self, width: int | None) -> Text:
        room = None if width is None else max(1, width - len(self.label))
        line = Text(self.label, style="dim", no_wrap=True, overflow="crop")
        line.append(self.path if room is None else shorten_middle(self.path, room))
        return line

    def on_resize(self) -> None:
        self.update(self._line(self.content_size.width))
