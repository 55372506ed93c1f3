"""One line above the answer box while voice is in use: recording (elapsed time and a level meter),
transcribing, or why voice is off. Hidden otherwise."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Static

from mockmle.tui.labels import clock_text

METER_WIDTH = 16


def level_meter(level: float, width: int = METER_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, level)) * width)
    return "▮" * filled + "▯" * (width - filled)


class VoiceBar(Static):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._reading: Callable[[], tuple[float, float]] | None = None  # (elapsed, level) while recording
        self._ticker = None

    def on_mount(self) -> None:
        self.display = False
        self._ticker = self.set_interval(0.1, self._tick, pause=True)

    def recording(self, reading: Callable[[], tuple[float, float]]) -> None:
        self._reading = reading
        self.set_classes("-recording")
        self._tick()
        self._ticker.resume()

    def show(self, text: str, kind: str = "") -> None:
        """A message in place of the meter: kind '' (neutral), 'busy' or 'off'."""
        self._reading = None
        self._ticker.pause()
        self.set_classes(f"-{kind}" if kind else "")
        self.update(Text(text))  # error lines hold brackets: pip install 'mockmle[voice]'

        self.display = True

    def hide(self) -> None:
        self._reading = None
        self._ticker.pause()
        self.display = False

    def _tick(self) -> None:
        if self._reading is None:
            return
        elapsed, level = self._reading()
        self.update(Text(f"● recording {clock_text(elapsed)}  {level_meter(level)}   ctrl+o stops and transcribes"))
        self.display = True
