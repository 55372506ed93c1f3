"""A strong answer to one question, in a modal over Results or the Interview: Escape closes it.

The guide's answer shows at once. With a model interviewer configured, the model writes one and the judge grades it
in a thread this screen owns (app/model_answer.py); it replaces the guide's answer only when graded 4 of 4, and
otherwise a line under the guide's answer says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from mockmle.tui.workers import run_model_call

if TYPE_CHECKING:
    from mockmle.core.model_answer import ModelAnswer
    from mockmle.tui.app import MockmleApp


class ModelAnswerScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    ModelAnswerScreen {
        align: center middle;
        background: $background 60%;
    }
    #model-answer {
        width: 96;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        padding: 1 2;
        border: thick $accent;
        background: $surface;
    }
    #model-answer-scroll {
        height: auto;
        max-height: 30;
        margin-top: 1;
    }
    #model-answer-hint {
        margin-top: 1;
    }
    """
    BINDINGS = [Binding("escape,q,m", "close", "Close", show=False)]

    class Written(Message):
        def __init__(self, answer: ModelAnswer | None, problem: str = ""):
            super().__init__()
            self.answer = answer
            self.problem = problem

    def __init__(self, question_id: str):
        super().__init__()
        self.question_id = question_id

    @property
    def answers(self):
        return cast("MockmleApp", self.app).services.model_answers

    def compose(self) -> ComposeResult:
        question = cast("MockmleApp", self.app).services.bank.questions.get(self.question_id)
        with Vertical(id="model-answer"):
            yield Static(Text.assemble(("A strong answer", "bold"), "\n", question.prompt if question else ""),
                         id="model-answer-question")
            with VerticalScroll(id="model-answer-scroll"):
                yield Static(id="model-answer-text")
            yield Static(Text("Escape closes", style="dim"), id="model-answer-hint")

    def on_mount(self) -> None:
        answers = self.answers
        known = answers.cached(self.question_id)
        self.show(known or answers.guide(self.question_id))
        if known is not None or not answers.writes:
            return
        model = cast("MockmleApp", self.app).services.interviewer
        self.show(answers.guide(self.question_id), waiting=f"{model.model if model else 'The model'} is writing one; "
                  "it replaces this if the judge grades it 4/4…")
        question_id = self.question_id

        def work() -> None:
            try:
                self.post_message(self.Written(answers.answer(question_id)))
            except Exception as exc:  # noqa: BLE001 - the guide's answer is already shown
                self.post_message(self.Written(None, str(exc)))

        run_model_call(self, work, group="model-answer", name="model answer")

    def show(self, answer: ModelAnswer, waiting: str = "") -> None:
        parts: list[str | tuple[str, str]] = [(answer.label, "italic"), "\n\n", answer.text]
        if answer.note or waiting:
            parts += ["\n\n", (answer.note or waiting, "dim")]
        self.query_one("#model-answer-text", Static).update(Text.assemble(*parts))

    def on_model_answer_screen_written(self, message: Written) -> None:
        if message.answer is not None:
            self.show(message.answer)
        else:
            guide = self.answers.guide(self.question_id)
            self.show(guide.model_copy(update={"note": f"The model's answer could not be had: {message.problem}"}))

    def action_close(self) -> None:
        self.dismiss(None)
