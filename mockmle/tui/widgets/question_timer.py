"""Time on the current question: warns near the soft limit and never stops the candidate."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Static

from mockmle.tui.labels import clock_text

WARN_AT = 0.8  # share of the limit after which the timer turns amber


class QuestionTimer(Static):
    def __init__(self, clock: Callable[[], float], **kwargs):
        super().__init__(**kwargs)
        self.clock = clock
        self.limit: int | None = None
        self.started = clock()
        self.warned = False

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        self.tick()

    def restart(self, limit: int | None) -> None:
        self.limit = limit
        self.started = self.clock()
        self.warned = False
        self.tick()

    @property
    def elapsed(self) -> float:
        return self.clock() - self.started

    def tick(self) -> None:
        elapsed = self.elapsed
        if not self.limit:
            self.update(f"time {clock_text(elapsed)}")
            return
        warn = elapsed >= self.limit * WARN_AT
        over = elapsed >= self.limit
        self.set_class(warn and not over, "-warn")
        self.set_class(over, "-over")
        text = f"time {clock_text(elapsed)} / {clock_text(self.limit)}"
        if over:
            text += "  over the guide: wrap up when you can"
        elif warn:
            text += f"  {clock_text(self.limit - elapsed)} left"
            if not self.warned:
                self.warned = True
                self.notify("Time is nearly up for this question. Start wrapping up; nothing will cut you off.",
                            severity="warning", timeout=4)
        self.update(text)
