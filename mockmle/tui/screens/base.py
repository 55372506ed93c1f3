"""What every mockmle screen shares: access to the services the app was built with."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from mockmle.app.services import Services

if TYPE_CHECKING:
    from mockmle.tui.app import MockmleApp


class BaseScreen(Screen):
    @property
    def mockmle(self) -> MockmleApp:
        return cast("MockmleApp", self.app)  # Textual types a screen's app as any App

    @property
    def services(self) -> Services:
        return self.mockmle.services
