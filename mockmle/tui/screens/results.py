"""Results of one session: the recommendation, the stage scorecard, and every answer with its evidence.

The same screen shows a just-finished interview and a past session opened from Review.
"""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static

from mockmle.store.sessions import SessionRecord
from mockmle.tui.labels import local_time, overall_text
from mockmle.tui.rendering import LEGEND, answer_card, answers_overview, recommendation_block, scorecard_table
from mockmle.tui.screens.base import BaseScreen
from mockmle.tui.screens.confirm import confirm_delete
from mockmle.tui.workers import export_in_background, run_model_call


class ResultsScreen(BaseScreen):
    BINDINGS = [
        Binding("escape", "close", "Back"),
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
        yield Header()
        with VerticalScroll(id="results"):
            yield Static(self._summary(), id="results-summary")
            report, turns = self.record.report, self.record.state.turns
            if report is None:
                yield Static("[dim]No scorecard yet: the interview is unfinished. Press r to resume it; "
                             "the scorecard is made when it ends.[/]", classes="results-block")
            else:
                yield Static(recommendation_block(report), classes="results-block", id="results-recommendation")
                yield Static(self._written_debrief(), classes="results-block", id="results-debrief")
            if turns:
                yield Static(answers_overview(turns, self.record.grades), classes="results-block")
            for card in report.scorecards if report else []:
                yield Static(scorecard_table(card), classes="results-block")
            if turns:
                yield Static(LEGEND, classes="results-legend")
            for turn in self.record.state.turns:
                yield Static(answer_card(turn, self.record.grades.get(turn.position), self.record.deliveries(turn.position)),
                             classes="results-block answer-card")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"session {self.record.id}"
        self.query_one("#results").focus()
        self._maybe_write_debrief()

    # -- the model interviewer's written debrief, streamed in once and then kept with the report

    def _written_debrief(self, text: str | None = None) -> str:
        debrief = self.record.report.debrief if self.record.report else None
        if text is None and debrief is not None and debrief.written:
            return f"[b]From the interviewer[/b] [dim]({debrief.written_by})[/]\n{escape(debrief.written)}"
        return f"[b]From the interviewer[/b]\n{escape(text)}" if text else ""

    def _maybe_write_debrief(self) -> None:
        report = self.record.report
        if (report is None or report.debrief.written or self.record.status != "finished"
                or self.services.interviewer is None):
            self.query_one("#results-debrief").display = bool(report and report.debrief.written)
            return
        from mockmle.runner import InterviewRunner

        runner = InterviewRunner.resume(self.services, self.record.id)
        self.query_one("#results-debrief", Static).update("[b]From the interviewer[/b]\n[dim]writing…[/]")

        def work() -> None:
            text, problem = runner.write_debrief(report, on_delta=lambda piece: self.post_message(self.DebriefDelta(piece)))
            self.post_message(self.DebriefDone(text, problem))

        run_model_call(self, work, group="debrief", name="debrief")

    def on_results_screen_debrief_delta(self, message: DebriefDelta) -> None:
        self.debrief_pieces.append(message.text)
        self.query_one("#results-debrief", Static).update(self._written_debrief("".join(self.debrief_pieces) + " …"))

    def on_results_screen_debrief_done(self, message: DebriefDone) -> None:
        debrief = self.query_one("#results-debrief", Static)
        if message.text is None:
            debrief.display = False
            if message.problem:
                self.notify(f"No written debrief: {message.problem}.", severity="warning", timeout=6)
            return
        from mockmle.runner import InterviewRunner

        try:
            report = InterviewRunner.resume(self.services, self.record.id).save_debrief(self.record.report, message.text)
            self.record.report = report
        except Exception as exc:  # the debrief is a bonus; the grades are already saved
            self.notify(f"Could not save the debrief: {exc}", severity="error")
        debrief.update(self._written_debrief(message.text) if self.record.report.debrief.written is None
                       else self._written_debrief())

    def _summary(self) -> str:
        record = self.record
        state = record.state
        stages = ", ".join(self.services.bank.stage(s).title for s in state.plan.stages if s in self.services.bank.stages)
        answered = sum(1 for t in state.turns if t.status == "answered")
        status = "finished" if record.status == "finished" else "unfinished"
        if state.ended_early:
            status += ", ended early"
        overall = overall_text(record.report.overall if record.report else None)
        return (f"[b]{'Results' if not self.from_review else 'Session'}: {stages}[/b]\n"
                f"{local_time(record.created_at)} · {answered} of {len(state.plan.question_ids)} answered · "
                f"mean answer score {overall} · judge {record.judge} · {status}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.record.status != "finished"
        if action == "new":
            return not self.from_review
        return True

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
