"""Progress: a placeholder until weak-area tracking lands; it says what will be here."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from mockmle.tui.screens.base import BaseScreen

COMING = """[b]Progress is not built yet.[/b]

This screen will answer "what should I practise next, and am I getting better?":

• a line chart per competency across your sessions, with a trend and how sure it is;
• the areas you keep missing, weakest first, with the answers that missed them and the key points to learn;
• drills: a spaced-repetition queue of questions and areas that went badly, offered on the Setup screen.

Until then, every graded answer is already stored, so your history will count from the first session.
Review (v on the Home screen) shows each session's scorecard and the areas each answer missed."""


class ProgressScreen(BaseScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="progress"):
            yield Static(COMING, classes="results-block")
        yield Footer()
