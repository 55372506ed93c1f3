"""What every mockmle screen shares: access to the services the app was built with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from mockmle.app.services import Services

if TYPE_CHECKING:
    from mockmle.tui.app import MockmleApp


class BaseScreen(Screen):
    @property
    def mockmle(self) -> MockmleApp:
        return self.app  # type: ignore[return-value]

    @property
    def services(self) -> Services:
        return self.mockmle.app.services
