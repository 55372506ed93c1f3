"""Review: past sessions in a table, filtered as you type; open, export, resume or delete one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static

from mockmle.errors import MockmleError
from mockmle.reporting.text import plural
from mockmle.app.second_opinion import unsure_counts
from mockmle.tui.labels import local_time, overall_text, stage_names
from mockmle.tui.screens.base import BaseScreen
from mockmle.tui.screens.confirm import confirm_delete
from mockmle.tui.workers import export_in_background

if TYPE_CHECKING:
    from mockmle.store.sessions import SessionRecord

COLUMNS = ("Date", "Stage", "Judge", "Answered", "Overall", "Status")


def matches(row: dict, query: str) -> bool:
    """Every word of the query appears somewhere in the session's fields or question texts."""
    haystack = " ".join(str(row.get(key) or "") for key in ("id", "stages", "judge", "status", "questions"))
    haystack = f"{haystack} {local_time(row['created_at'])} {stage_names(row['stages'], row.get('kind'))}".lower()
    return all(word in haystack for word in query.lower().split())


def status_text(row: dict) -> str:
    if row["status"] != "finished":
        return "unfinished"
    return "ended early" if row["ended_early"] else "finished"


class ReviewScreen(BaseScreen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("slash", "search", "Search"),
        Binding("enter", "open", "Open", show=True),
        Binding("e", "export", "Export"),
        Binding("r", "resume", "Resume"),
        Binding("d", "delete", "Delete"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.unsure: dict[str, int] = {}  # session id -> how many of its grades are unsure

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="/ filter: stage, status, date or words from the questions", id="review-search")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="review-count")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.rows = self.services.store.list(with_questions=True)
        self.unsure = unsure_counts(self.services)
        self.refill()

    def refill(self) -> None:
        table = self.query_one(DataTable)
        query = self.query_one(Input).value
        shown = [row for row in self.rows if matches(row, query)]
        keep = self.selected_id()
        table.clear()
        for row in shown:
            table.add_row(local_time(row["created_at"]), Text(stage_names(row["stages"], row.get("kind"))), Text(row["judge"]),
                          f"{row['answered']}/{row['question_count']}", self._overall(row),
                          status_text(row), key=row["id"])
        shown_ids = [row["id"] for row in shown]
        if keep in shown_ids:  # reloading (after a modal or a filter change) keeps the row the user was on
            table.move_cursor(row=shown_ids.index(keep), animate=False)
        if not self.rows:
            text = "No sessions yet. Go back (Escape) and start an interview."
        elif not shown:
            text = f"No session matches “{query}” (of {plural(len(self.rows), 'session')}). Escape clears the filter."
        else:
            text = f"{len(shown)} of {plural(len(self.rows), 'session')}" + (f" match “{query}”" if query else "") + ". Enter opens one."
        self.query_one("#review-count", Static).update(Text(text, style="dim"))

    def _overall(self, row: dict) -> str:
        unsure = self.unsure.get(row["id"])
        return overall_text(row["overall"]) + (f" \u00b7 {unsure} unsure" if unsure else "")

    @on(Input.Changed, "#review-search")
    def _filter(self) -> None:
        self.refill()

    @on(Input.Submitted, "#review-search")
    def _to_table(self) -> None:
        self.query_one(DataTable).focus()

    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_back(self) -> None:
        """Escape clears a filter first, then leaves the search box, then leaves the screen."""
        search = self.query_one(Input)
        if search.value:
            search.value = ""
        elif search.has_focus:
            self.query_one(DataTable).focus()
        else:
            self.dismiss()

    def action_search(self) -> None:
        self.query_one(Input).focus()

    @on(DataTable.RowSelected)
    def _opened(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        from mockmle.tui.screens.results import ResultsScreen

        if (record := self.selected_record()) is not None:
            self.app.push_screen(ResultsScreen(record, from_review=True))

    def action_export(self) -> None:
        if (record := self.selected_record()) is not None:
            export_in_background(self, record, "md")

    def action_resume(self) -> None:
        from mockmle.tui.screens.interview import InterviewScreen

        if (record := self.selected_record()) is None:
            return
        if record.status == "finished":
            self.notify("That session is finished; press Enter to see its results.")
            return
        self.app.push_screen(InterviewScreen.resume(self.services, record.id))

    def selected_record(self) -> SessionRecord | None:
        """The highlighted session, or None (with a line saying why) when it is damaged and cannot be read."""
        if (session_id := self.selected_id()) is None:
            return None
        try:
            return self.services.store.get(session_id)
        except MockmleError as exc:
            self.notify(str(exc), severity="error", timeout=10, markup=False)
            return None

    def action_delete(self) -> None:
        session_id = self.selected_id()
        if session_id is None:
            return
        confirm_delete(self, session_id, self.reload)
