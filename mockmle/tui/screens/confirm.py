"""A yes/no question in a small modal: y or Enter confirms, n or Escape cancels."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from mockmle.tui.screens.base import BaseScreen


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "Cancel"):
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text(self.question, style="bold"), id="confirm-question")
            if self.detail:
                yield Static(Text(self.detail), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="confirm-yes")
                yield Button(f"{self.no} (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def confirm_delete(screen: BaseScreen, session_id: str, then: Callable[[], object]) -> None:
    """Ask, then delete the session from the store and call `then`."""

    def delete(yes: bool | None) -> None:
        if yes:
            screen.services.delete_session(session_id)
            screen.notify(f"Deleted session {session_id}.", markup=False)
            then()

    screen.app.push_screen(ConfirmScreen("Delete this session?", "Its answers, grades and recordings are removed for good. "
                                         "Exports already written stay where they are.", yes="Delete"), delete)
