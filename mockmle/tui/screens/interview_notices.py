"""A model that keeps failing: its client stops calling it (the circuit breaker), and one line says so.

Every call the client then refuses carries the breaker's line as its reason; the Interview screen shows that
line once, not once per follow-up or grade. A new interview gives the model another chance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockmle.app.services import Services
from mockmle.tui.screens.base import BaseScreen

if TYPE_CHECKING:
    from mockmle.llm.circuit import CircuitBreaker


def reset_breaker(services: Services) -> None:
    """A new interview gives a model that failed in the last one another chance."""
    if services.settings.llm.configured and services.llm is not None:
        services.llm.breaker.reset()


class ModelNotices:
    """The notices of one interview screen about its model failing; the breaker's line is said once."""

    def __init__(self, screen: BaseScreen):
        self.screen = screen
        self.breaker_announced = False

    @property
    def _breaker(self) -> CircuitBreaker | None:
        services = self.screen.services
        llm = services.llm if services.settings.llm.configured else None
        return llm.breaker if llm is not None else None

    def line(self, line: str) -> str | None:
        """`line` to show, or None for a call the client refused because the model keeps failing (said once)."""
        breaker = self._breaker
        if breaker is not None and breaker.line in line:
            self.announce_breaker()
            return None
        return line

    def announce_breaker(self) -> None:
        breaker = self._breaker
        if breaker is not None and breaker.is_open and not self.breaker_announced:
            self.breaker_announced = True
            self.screen.notify(breaker.line[:1].upper() + breaker.line[1:] + ".", severity="warning", timeout=10,
                               markup=False)
