"""Results of one session: the verdict, every answer's score and what to fix first, then the details.

The same screen shows a just-finished interview and a past session opened from Review. At the top:
the hiring recommendation (or, for a drill or reverse practice, the practice summary), the answers
list (Enter on a row scrolls to that answer's card), which grades are unsure (results_second_opinion.py)
and the three things to improve first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from mockmle.app.debrief import save_debrief, write_debrief
from mockmle.core.debrief import top_fixes
from mockmle.tui.labels import local_time, overall_text
from mockmle.tui.rendering import LEGEND, answer_card
from mockmle.tui.rendering_report import (
    answer_row,
    fixes_block,
    missed_block,
    score_width,
    scorecard_table,
    verdict_block,
)
from mockmle.tui.screens.confirm import confirm_delete
from mockmle.tui.screens.results_second_opinion import SecondOpinionScreen
from mockmle.tui.workers import export_in_background, run_model_call

if TYPE_CHECKING:
    from mockmle.store.sessions import SessionRecord


class AnswerList(OptionList, inherit_bindings=False):
    """The answers at a glance. Page up and down still scroll the page around it."""

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Details"),
    ]


class ResultsScreen(SecondOpinionScreen):
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("a", "answers", "Answers"),
        # Off the footer for now, so the screen looks the same; the README names it.
        Binding("t", "try_again", "Try again", show=False, tooltip="Answer the highlighted question again"),
        Binding("m", "model_answer", "Model answer", show=False, tooltip="A strong answer to the highlighted question"),
        Binding("g", "second_opinion", "Second opinion",
                tooltip="Ask the configured model to re-grade the unsure answers"),
        Binding("e", "export", "Export"),
        Binding("j", "export_json", "Export JSON", show=False),
        Binding("r", "resume", "Resume"),
        Binding("n", "new", "New interview"),
        Binding("d", "delete", "Delete"),
    ]

    class DebriefDelta(Message):
        def __init__(self, text: str):
            super().__init__()
            self.text = text

    class DebriefDone(Message):
        def __init__(self, text: str | None, problem: str | None):
            super().__init__()
            self.text = text
            self.problem = problem

    def __init__(self, record: SessionRecord, from_review: bool = False):
        super().__init__()
        self.record = record
        self.from_review = from_review
        self.debrief_pieces: list[str] = []

    def compose(self) -> ComposeResult:
        record, bank = self.record, self.services.bank
        report, turns, grades = record.report, record.state.turns, record.grades
        yield Header()
        with VerticalScroll(id="results"):
            yield Static(self._summary(), id="results-summary")
            if report is None:
                yield Static(Text("No scorecard yet: the interview is unfinished. Press r to resume it; "
                                  "the scorecard is made when it ends.", style="dim"), classes="results-block")
            else:
                yield Static(verdict_block(report, drill=record.state.plan.kind == "drill"), classes="results-block",
                             id="results-recommendation")
            # Later takes (t), under the verdict or practice summary, which keep each first take.
            tried = Static(self._tried_again(), classes="results-block", id="results-tried-again")
            tried.display = bool(tried.content)
            yield tried
            if turns:
                width = score_width(turns, grades)
                answers = AnswerList(*(Option(answer_row(t, grades.get(t.position), width), id=f"q{t.position}")
                                       for t in turns), id="results-answers")
                answers.border_title = "Your answers · Enter shows one's details"
                yield answers
            if (unsure := self.unsure_text()) is not None:
                yield Static(unsure, classes="results-block", id="results-unsure")
            if fixes := top_fixes(record.state, grades):
                yield Static(fixes_block(fixes), classes="results-block", id="results-fixes")
            if report is not None:
                debrief = Static(self._written_debrief(), classes="results-block", id="results-debrief")
                debrief.display = bool(report.debrief.written)  # shown once the interviewer starts writing
                yield debrief
            for card in report.scorecards if report else []:
                yield Static(scorecard_table(card), classes="results-block")
            if report is not None and (missed := missed_block(record.state, grades, report)) is not None:
                yield Static(missed, classes="results-block", id="results-missed")
            if turns:
                yield Static(LEGEND, classes="results-legend")
            for turn in turns:
                question = bank.questions.get(turn.question_id)
                strong = (question.key_points or question.areas) if question else None
                yield Static(answer_card(turn, grades.get(turn.position), record.deliveries(turn.position), strong),
                             classes="results-block answer-card", id=f"answer-{turn.position}")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"session {self.record.id}"
        self.after_recompose()
        self._maybe_write_debrief()

    def after_recompose(self) -> None:
        answers = self.query(AnswerList)
        if answers:
            answers.first().highlighted = 0
            answers.first().focus(scroll_visible=False)  # the verdict above it stays in view
        else:
            self.query_one("#results").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Scroll the chosen answer's card to the top, and let the arrows scroll the page from there."""
        event.stop()
        results = self.query_one("#results", VerticalScroll)
        card = self.query_one(f"#answer-{(event.option.id or 'q')[1:]}")
        results.scroll_to_widget(card, top=True, animate=False, immediate=True)
        results.focus(scroll_visible=False)

    # -- the model interviewer's written debrief, streamed in once and then kept with the report

    def _written_debrief(self, text: str | None = None) -> Text:
        debrief = self.record.report.debrief if self.record.report else None
        if text is None and debrief is not None and debrief.written:
            return Text.assemble(("From the interviewer ", "bold"), (f"({debrief.written_by})", "dim"), "\n", debrief.written)
        return Text.assemble(("From the interviewer", "bold"), "\n", text) if text else Text("")

    def _maybe_write_debrief(self) -> None:
        report = self.record.report
        if (report is None or report.debrief.written or self.record.status != "finished"
                or self.services.interviewer is None):
            return
        record = self.record
        self._debrief_block().update(Text.assemble(("From the interviewer", "bold"), "\n", ("writing…", "dim")))

        def delta(piece: str) -> None:
            self.post_message(self.DebriefDelta(piece))

        def work() -> None:
            text, problem = write_debrief(self.services, record.id, record.state, record.grades, report, on_delta=delta)
            self.post_message(self.DebriefDone(text, problem))

        run_model_call(self, work, group="debrief", name="debrief")

    def _debrief_block(self) -> Static:
        """The debrief's block, shown (the screen may have been composed again since the writing began)."""
        block = self.query_one("#results-debrief", Static)
        block.display = True
        return block

    def on_results_screen_debrief_delta(self, message: DebriefDelta) -> None:
        self.debrief_pieces.append(message.text)
        self._debrief_block().update(self._written_debrief("".join(self.debrief_pieces) + " …"))

    def on_results_screen_debrief_done(self, message: DebriefDone) -> None:
        debrief = self._debrief_block()
        if message.text is None:
            debrief.display = False
            if message.problem:
                self.notify(f"No written debrief: {escape(message.problem)}.", severity="warning", timeout=6)
            return
        report = self.record.report
        assert report is not None, "a debrief is written only for a session with a scorecard"
        try:
            self.record.report = report = save_debrief(self.services, self.record.id, report, message.text)
        except Exception as exc:  # noqa: BLE001 - the debrief is a bonus; the grades are already saved
            self.notify(f"Could not save the debrief: {escape(str(exc))}", severity="error")
        debrief.update(self._written_debrief(message.text) if report.debrief.written is None else self._written_debrief())

    def _summary(self) -> Text:
        record = self.record
        state = record.state
        stages = ", ".join(self.services.bank.stage(s).title for s in state.plan.stages if s in self.services.bank.stages)
        answered = sum(1 for t in state.turns if t.status == "answered")
        status = [] if record.status == "finished" else ["unfinished"]
        status += ["ended early"] if state.ended_early else []
        overall = overall_text(record.report.overall if record.report else None)
        heading = "Session" if self.from_review else "Drill results" if state.plan.kind == "drill" else "Results"
        facts = [local_time(record.created_at), f"{answered} of {len(state.plan.question_ids)} answered",
                 f"mean score {overall}", f"judge {record.judge}", *status]
        return Text.assemble((f"{heading}: {stages}", "bold"), "\n", " · ".join(facts))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.record.status != "finished"
        if action == "new":
            return not self.from_review
        if action == "answers":
            return bool(self.record.state.turns)
        if action == "second_opinion":
            return self.can_ask_second_opinion()
        return True

    def action_answers(self) -> None:
        """Back to the answers list from anywhere on the page."""
        if answers := self.query(AnswerList):
            answers.first().focus()

    def action_try_again(self) -> None:
        """A new take of the highlighted answer (screens/try_again.py)."""
        from mockmle.app.retry import Retry
        from mockmle.errors import MockmleError
        from mockmle.tui.screens.try_again import TryAgainScreen

        answers = self.query(AnswerList)
        option = answers.first().highlighted_option if answers else None
        if option is None or not option.id:
            return
        try:
            attempt = Retry(self.services, self.record.id, int(option.id[1:]) + 1)
        except MockmleError as exc:
            self.notify(escape(exc.line), severity="warning", timeout=6)
            return
        self.app.push_screen(TryAgainScreen(attempt), self._after_try_again)

    def action_model_answer(self) -> None:
        """A strong answer to the highlighted question (screens/model_answer.py)."""
        from mockmle.tui.screens.model_answer import ModelAnswerScreen

        answers = self.query(AnswerList)
        option = answers.first().highlighted_option if answers else None
        if option is None or not option.id:
            return
        turn = next(t for t in self.record.state.turns if t.position == int(option.id[1:]))
        if turn.question_id not in self.services.bank.questions:
            self.notify("That question is no longer in the bank: there is no model answer for it.", severity="warning")
            return
        self.app.push_screen(ModelAnswerScreen(turn.question_id))

    def _tried_again(self) -> Text:
        from mockmle.app.retry import tried_again

        if not (lines := tried_again(self.services, self.record)):
            return Text("")
        return Text.assemble(("Tried again", "bold"), (" (the scores above keep each first take)", "dim"),
                             *(f"\n  {line}" for line in lines))

    def _after_try_again(self, result: object) -> None:
        if result is not None:
            block = self.query_one("#results-tried-again", Static)
            block.update(self._tried_again())
            block.display = True

    def action_close(self) -> None:
        self.dismiss()

    def action_new(self) -> None:
        from mockmle.tui.screens.setup import SetupScreen

        self.app.switch_screen(SetupScreen())

    def action_resume(self) -> None:
        from mockmle.tui.screens.interview import InterviewScreen

        self.app.switch_screen(InterviewScreen.resume(self.services, self.record.id))

    def action_export(self, fmt: str = "md") -> None:
        export_in_background(self, self.record, fmt)

    def action_export_json(self) -> None:
        self.action_export("json")

    def action_delete(self) -> None:
        confirm_delete(self, self.record.id, self.dismiss)
