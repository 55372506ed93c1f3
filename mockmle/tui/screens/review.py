"""Review: past sessions in a table, filtered as you type; open, export, resume or delete one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static

from mockmle.app.second_opinion import unsure_counts
from mockmle.app.session_list import status_text
from mockmle.errors import MockmleError
from mockmle.reporting.text import plural
from mockmle.tui.labels import local_time, overall_text, stage_names
from mockmle.tui.screens.base import BaseScreen
from mockmle.tui.screens.confirm import confirm_delete
from mockmle.tui.workers import export_in_background

if TYPE_CHECKING:
    from mockmle.store.sessions import SessionRecord

COLUMNS = ("Date", "Stage", "Judge", "Answered", "Overall", "Status")
PAGE = 50  # rows put in the table at a time; the next ones when the cursor comes near the end
NEAR_END = 10


def matches(row: dict, query: str) -> bool:
    """Every word of the query appears somewhere in the session's fields or question texts."""
    haystack = " ".join(str(row.get(key) or "") for key in ("id", "stages", "judge", "status", "questions"))
    haystack = f"{haystack} {local_time(row['created_at'])} {stage_names(row['stages'], row.get('kind'))}".lower()
    return all(word in haystack for word in query.lower().split())


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
        self.rows: list[dict] = []  # newest first: a first page of the sessions, or all of them while filtering
        self.total = 0  # sessions stored
        self.shown: list[dict] = []  # the rows that match the filter; the table holds the first `limit` of them
        self.limit = PAGE
        self.unsure: dict[str, int] = {}  # session id -> how many of its grades are unsure (rows in the table)
        self._just_loaded = False

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
        self._just_loaded = True
        table.focus()

    def on_screen_resume(self) -> None:
        if self._just_loaded:  # the first resume follows the mount at once: nothing to read again
            self._just_loaded = False
            return
        self.reload()

    @property
    def complete(self) -> bool:
        return len(self.rows) >= self.total

    def reload(self) -> None:
        store = self.services.store
        self.total = store.count()
        if self.query_one(Input).value:
            self.rows = store.list(with_questions=True)  # the filter reads every session
        else:
            self.rows = store.page(self.limit, with_questions=True)  # as many as the table held
        self.unsure = {}
        self.refill()

    def refill(self) -> None:
        table = self.query_one(DataTable)
        query = self.query_one(Input).value
        if query and not self.complete:
            self.rows = self.services.store.list(with_questions=True)
        shown = self.shown = [row for row in self.rows if matches(row, query)]
        keep = self.selected_id()
        shown_ids = [row["id"] for row in shown]
        at = shown_ids.index(keep) if keep in shown_ids else None
        self.limit = max(self.limit, at + NEAR_END if at is not None else 0)
        table.clear()
        self._add_rows(shown[:self.limit])
        if at is not None:  # reloading (after a modal or a filter change) keeps the row the user was on
            table.move_cursor(row=at, animate=False)
        self._say_count()

    def _matching(self) -> int:
        return len(self.shown) if self.query_one(Input).value else self.total

    def _say_count(self) -> None:
        query = self.query_one(Input).value
        matching, listed = self._matching(), self.query_one(DataTable).row_count
        if not self.total:
            text = "No sessions yet. Go back (Escape) and start an interview."
        elif not matching:
            text = f"No session matches “{query}” (of {plural(self.total, 'session')}). Escape clears the filter."
        else:
            text = f"{matching} of {plural(self.total, 'session')}" + (f" match “{query}”" if query else "") + ". Enter opens one."
            if listed < matching:
                text += f" {listed} listed; more as you move down."
        self.query_one("#review-count", Static).update(Text(text, style="dim"))

    def _add_rows(self, rows: list[dict]) -> None:
        table = self.query_one(DataTable)
        new = [row["id"] for row in rows if row["id"] not in self.unsure]
        if new:
            self.unsure.update(dict.fromkeys(new, 0) | unsure_counts(self.services, new))
        for row in rows:
            table.add_row(local_time(row["created_at"]), Text(stage_names(row["stages"], row.get("kind"))), Text(row["judge"]),
                          f"{row['answered']}/{row['question_count']}", self._overall(row),
                          status_text(row), key=row["id"])

    @on(DataTable.RowHighlighted, "#review-table")
    def _more_near_the_end(self, event: DataTable.RowHighlighted) -> None:
        table = self.query_one(DataTable)
        if event.cursor_row < table.row_count - NEAR_END or table.row_count >= self._matching():
            return
        if not self.query_one(Input).value and not self.complete:  # the next page of the history
            known = {row["id"] for row in self.rows}
            more = self.services.store.page(PAGE, offset=len(self.rows), with_questions=True)
            self.rows += [row for row in more if row["id"] not in known]
            self.shown = self.rows
        self.limit = table.row_count + PAGE
        self._add_rows(self.shown[table.row_count:self.limit])
        self._say_count()

    def _overall(self, row: dict) -> str:
        unsure = self.unsure.get(row["id"])
        return overall_text(row["overall"]) + (f" \u00b7 {unsure} unsure" if unsure else "")

    @on(Input.Changed, "#review-search")
    def _filter(self) -> None:
        self.limit = PAGE
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
