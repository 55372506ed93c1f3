"""Results of one session: the recommendation, the stage scorecard, and every answer with its evidence.

The same screen shows a just-finished interview and a past session opened from Review.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from mockmle.store.sessions import SessionRecord
from mockmle.tui.labels import local_time, overall_text
from mockmle.tui.rendering import LEGEND, answer_card, answers_overview, recommendation_block, scorecard_table
from mockmle.tui.screens.base import BaseScreen
from mockmle.tui.screens.confirm import confirm_delete
from mockmle.tui.workers import export_in_background


class ResultsScreen(BaseScreen):
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("e", "export", "Export"),
        Binding("j", "export_json", "Export JSON", show=False),
        Binding("r", "resume", "Resume"),
        Binding("n", "new", "New interview"),
        Binding("d", "delete", "Delete"),
    ]

    def __init__(self, record: SessionRecord, from_review: bool = False):
        super().__init__()
        self.record = record
        self.from_review = from_review

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
            if turns:
                yield Static(answers_overview(turns, self.record.grades), classes="results-block")
            for card in report.scorecards if report else []:
                yield Static(scorecard_table(card), classes="results-block")
            if turns:
                yield Static(LEGEND, classes="results-legend")
            for turn in self.record.state.turns:
                yield Static(answer_card(turn, self.record.grades.get(turn.position)), classes="results-block answer-card")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"session {self.record.id}"
        self.query_one("#results").focus()

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
