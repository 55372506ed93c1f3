"""Try again: a new take of one answered question, opened with t from Results (and so from Review).

The question and an answer box; ctrl+s sends. The take is graded in a thread this screen owns, by the session's own
judge, then saved here on the main thread (the store lives on it) and shown beside the first take: the band then and
now, and what is newly covered, still missing or lost. Another ctrl+s sends another take; Escape goes back.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static

from mockmle.app.retry import Retry, RetryResult
from mockmle.core.grading.models import Grade
from mockmle.tui.screens.base import BaseScreen
from mockmle.tui.widgets.answer_editor import AnswerEditor
from mockmle.tui.workers import run_model_call

STYLES = {"Newly covered": "green", "Still missing": "yellow", "Lost": "red", "Covered both times": "dim"}


def comparison_text(result: RetryResult) -> Text:
    text = Text.assemble((f"Take {result.attempt} beside the first. ", "bold"), (result.comparison.headline, "bold"))
    for heading, items in result.comparison.lines():
        if items:
            text.append(f"\n{heading}\n", style=f"bold {STYLES[heading]}")
            text.append("\n".join(f"  • {item}" for item in items))
    if result.now.improvement:
        text.append("\nTo improve: ", style="bold")
        text.append(result.now.improvement)
    return text


class TryAgainScreen(BaseScreen):
    BINDINGS = [
        Binding("ctrl+s", "send", "Send", priority=True),
        Binding("escape", "close", "Back"),
    ]

    class Graded(Message):
        def __init__(self, answer: str, grade: Grade):
            super().__init__()
            self.answer = answer
            self.grade = grade

    class Failed(Message):
        def __init__(self, problem: str):
            super().__init__()
            self.problem = problem

    def __init__(self, attempt: Retry):
        super().__init__()
        self.attempt = attempt
        self.grading = False
        self.result: RetryResult | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="try-again"):
            yield Static(Text.assemble((f"Question {self.attempt.number}, again: ", "bold"), self.attempt.question),
                         classes="results-block", id="try-again-question")
            yield Static(Text(f"The first take scored {self.attempt.first.band}/4. Answer it again; the new take is "
                              "graded the same way and kept beside the first (the session's scorecard stays as it was).",
                              style="dim"), classes="results-block")
            yield AnswerEditor(id="answer")
            yield Static("", classes="results-block", id="try-again-status")
            yield Static("", classes="results-block", id="try-again-comparison")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"session {self.attempt.session_id} · try again"
        self.query_one(AnswerEditor).placeholder = "Type the new answer. Enter: new line; ctrl+s: send."
        self.query_one(AnswerEditor).focus()

    def action_send(self) -> None:
        answer = self.query_one(AnswerEditor).text.strip()
        if self.grading:
            return
        if not answer:
            self.notify("Type the new answer first.", severity="warning", timeout=3)
            return
        self.grading = True
        self.query_one("#try-again-status", Static).update(Text("Grading the new take…", style="dim"))
        attempt = self.attempt

        def work() -> None:
            try:
                grade = attempt.grade(answer)
            except Exception as exc:  # noqa: BLE001 - a failed grade is said on screen; the take is not lost
                self.post_message(self.Failed(str(exc) or type(exc).__name__))
            else:
                self.post_message(self.Graded(answer, grade))

        run_model_call(self, work, group="try-again", name="try again")

    def on_try_again_screen_graded(self, message: Graded) -> None:
        self.grading = False
        try:
            self.result = self.attempt.save(message.answer, message.grade)
        except Exception as exc:  # noqa: BLE001 - a take that cannot be saved must not close the screen
            self._failed(f"could not save the take: {exc}")
            return
        self.query_one("#try-again-status", Static).update(
            Text("Saved. Edit and ctrl+s for another take; Escape goes back.", style="dim"))
        self.query_one("#try-again-comparison", Static).update(comparison_text(self.result))

    def on_try_again_screen_failed(self, message: Failed) -> None:
        self.grading = False
        self._failed(message.problem)

    def _failed(self, problem: str) -> None:
        self.query_one("#try-again-status", Static).update(Text(f"Not graded: {problem}. The answer is still here; "
                                                                "ctrl+s sends it again.", style="red"))
        self.notify(f"The new take was not graded: {escape(problem)}", severity="error", timeout=6)

    def action_close(self) -> None:
        self.dismiss(self.result)
