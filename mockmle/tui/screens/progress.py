"""Progress: am I getting better, and what should I practise next?

Three tabs over `build_progress` (aggregate tables only, so it opens at once with a long history):
competencies (a table with a sparkline each; the highlighted row's line chart below), areas (weakest
first, the weakest three marked; the highlighted row's evidence and key points below), and what is
due with the misconceptions seen. d starts a drill, the same way Setup does; a writes the Anki deck of what was missed.
"""

from __future__ import annotations

from datetime import datetime

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from mockmle.app.progress_view import build_progress, key_points_for
from mockmle.core.progress_models import AreaProgress, Progress
from mockmle.reporting.text import plural as _plural
from mockmle.reporting.text import sparkline
from mockmle.tui.labels import local_time
from mockmle.tui.screens.base import BaseScreen
from mockmle.tui.screens.setup import drill_summary, start_drill
from mockmle.tui.widgets.competency_chart import CompetencyChart, level_style
from mockmle.tui.workers import cards_in_background

EMPTY = """[b]No graded answers yet.[/b]

Play an interview first (Escape, then n), and this screen will show:

• a line chart per competency across your sessions, with its trend and how sure it is;
• the areas you miss most, weakest first, with the answers that missed them and the key points to learn;
• what is due for practice, which d (or ctrl+d on Setup) turns into a drill."""

WEAK_MARK = "▲ "
DUE_SHOWN = 15
SPARK_WIDTH = 8


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def due_text(due_at: str | None, now: str) -> str:
    """'now', 'in 3d' or '' for an area's next review."""
    if not due_at:
        return ""
    days = (datetime.fromisoformat(due_at) - datetime.fromisoformat(now)).total_seconds() / 86400
    return "now" if days <= 0 else f"in {max(1, round(days))}d"


class ProgressScreen(BaseScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("d", "drill", "Drill what's due", tooltip="Questions on what is due and your weak areas, mixed with new ones"),
        Binding("1", "tab('competencies')", "Tabs", key_display="1-3"),
        Binding("2", "tab('areas')", "Areas", show=False),
        Binding("3", "tab('due')", "Due", show=False),
        # Not in the footer: the command palette (ctrl+p) lists it as "Cards for Anki".
        Binding("a", "cards", "Cards for Anki", show=False,
                tooltip="Write the key points you missed and the misconceptions you stated as an Anki deck (a)"),
    ]

    def __init__(self, now: str | None = None) -> None:
        super().__init__()
        self.now = now  # the tests pin it; otherwise build_progress uses the time it runs
        self.progress: Progress | None = None

    def compose(self) -> ComposeResult:
        self.progress = progress = build_progress(self.services.store.progress, self.services.bank, now=self.now)
        yield Header()
        if not progress.answers:
            with VerticalScroll(id="progress"):
                yield Static(EMPTY, id="progress-empty", classes="results-block")
            yield Footer()
            return
        yield Static(self._summary(progress), id="progress-summary")
        with TabbedContent(id="progress-tabs"):
            with TabPane("1 Competencies", id="competencies"):
                yield DataTable(id="competency-table", cursor_type="row", zebra_stripes=True)
                yield CompetencyChart(id="competency-chart")
            with TabPane("2 Areas", id="areas"):
                yield DataTable(id="area-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="area-details-box"):
                    yield Static(id="area-details")
            with TabPane("3 Due", id="due"):
                with VerticalScroll(id="due-box"):
                    yield Static(self._due(progress), id="due-list")
        yield Footer()

    @property
    def shown(self) -> Progress:
        """The progress on screen: compose builds it before any table, tab or binding of it exists."""
        assert self.progress is not None, "the progress is read before the screen was composed"
        return self.progress

    def on_mount(self) -> None:
        if self.progress is None or not self.progress.answers:
            return
        self._fill_competencies(self.progress)
        self.query_one("#competency-table").focus()

    def _summary(self, progress: Progress) -> str:
        head = (f"[b]{_plural(progress.sessions, 'session')} · {_plural(progress.answers, 'answer')}[/b]"
                f" [dim]as of {local_time(progress.generated_at)}[/]")
        summary = drill_summary(progress)
        if progress.due or any(a.weak for a in progress.areas):
            return f"{head}\nNext: [b]d[/b] drills what's due ({summary})"
        return f"{head}\nNothing due and no weak areas: try new questions (Escape, then n)."

    # -- competencies

    def _fill_competencies(self, progress: Progress) -> None:
        table = self.query_one("#competency-table", DataTable)
        width = max(16, min(44, self.app.size.width - 52))
        table.add_columns("Competency", "Level", "Recent", "Trend", "Sure", "Ans")
        for c in progress.competencies:
            table.add_row(Text(_clip(c.name, width)), Text(f"{c.level:.1f} ±{c.spread:.1f}", style=level_style(c.level)),
                          Text(sparkline([p.level for p in c.series][-SPARK_WIDTH:]), style=level_style(c.level)),
                          c.trend_label, c.confidence, str(c.answers), key=c.id)
        if progress.competencies:
            self.query_one(CompetencyChart).show(progress.competencies[0])

    @on(DataTable.RowHighlighted, "#competency-table")
    def _competency_highlighted(self, event: DataTable.RowHighlighted) -> None:
        chosen = next((c for c in self.shown.competencies if c.id == event.row_key.value), None)
        if chosen is not None:
            self.query_one(CompetencyChart).show(chosen)

    # -- areas

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "areas":
            self._fill_areas(self.shown)

    def _fill_areas(self, progress: Progress) -> None:
        """On first showing the tab: with a long history there are hundreds of areas to lay out."""
        table = self.query_one("#area-table", DataTable)
        if table.columns:
            return
        width = max(20, min(60, self.app.size.width - 52))
        weakest = {w.area for w in progress.weakest}
        table.add_columns(f"Area ({WEAK_MARK.strip()} weakest)", "Qs", "Covered", "Ans", "Sure", "Trend", "Due")
        for area in progress.areas:
            style = "bold red" if area.area in weakest else ""
            mark = WEAK_MARK if area.area in weakest else "  "
            table.add_row(Text(mark + _clip(area.area, width), style=style), str(len(area.question_ids)),
                          Text(f"{area.coverage:.0%}", style=style or ("yellow" if area.weak else "")),
                          str(area.answers), area.confidence, area.trend_label,
                          due_text(area.due_at, progress.generated_at), key=area.area)
        if progress.areas:
            self._show_area(progress.areas[0].area)

    @on(DataTable.RowHighlighted, "#area-table")
    def _area_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_area(event.row_key.value)

    def _show_area(self, name: str | None) -> None:
        progress = self.shown
        area = next((a for a in progress.areas if a.area == name), None)
        if area is not None:
            self.query_one("#area-details", Static).update(self._area_details(progress, area))

    def _area_details(self, progress: Progress, area: AreaProgress) -> str:
        bank = self.services.bank
        weak = next((w for w in progress.weakest if w.area == area.area), None)
        due = due_text(area.due_at, progress.generated_at)
        lines = [f"[b]{escape(area.area)}[/b]" + ("  [red]one of your weakest[/]" if weak else ""),
                 f"covered {area.coverage:.0%} over {_plural(area.answers, 'answer')} · {area.confidence} confidence · "
                 f"{area.trend_label}" + (f" · due {due}" if due else "")]
        for qid in area.question_ids:
            question = bank.questions.get(qid)
            lines.append(f"[dim]Asked in:[/] {escape(question.prompt if question else qid)} [dim]({escape(qid)})[/]")
        if weak and weak.evidence:
            lines.append("[b]Your recent answers[/b]")
            for e in weak.evidence:
                band = f"band {e.band}" if e.band is not None else "skipped"
                lines.append(f"  {local_time(e.at)}  session {e.session_id} Q{e.position + 1}: {e.status}, {band}")
        points = weak.key_points if weak else key_points_for(bank, area, set())
        if points:
            lines.append("[b]Key points to learn[/b]")
            lines += [f"  • {escape(point)}" for point in points]
        return "\n".join(lines)

    # -- due and misconceptions

    def _due(self, progress: Progress) -> str:
        lines = [f"[b]Due for practice ({len(progress.due)})[/b]" + ("  [dim]d drills them[/]" if progress.due else "")]
        if not progress.due:
            lines.append("[dim]Nothing is due. Areas and questions that went badly come back here on a schedule.[/]")
        width = max(30, self.app.size.width - 48)
        for item in progress.due[:DUE_SHOWN]:
            lines.append(f"  [dim]since {local_time(item.due_at)[:10]}[/]  {item.kind:<8} {item.recall_text:<11}  "
                         f"{escape(_clip(item.label, width))}")
        if len(progress.due) > DUE_SHOWN:
            lines.append(f"  [dim]… and {len(progress.due) - DUE_SHOWN} more[/]")
        failing = [c for c in progress.checks if c.pass_rate < 0.6][:5]
        if failing:
            lines += ["", "[b]Rule checks you miss most[/b]"]
            lines += [f"  {c.pass_rate:>4.0%} passed over {_plural(c.answers, 'answer')}: {escape(c.description)}"
                      for c in failing]
        if progress.delivery:
            lines += ["", "[b]Spoken answers: how you said them[/b]"]
            lines += [f"  {c.pass_rate:>4.0%} met over {_plural(c.answers, 'answer')}: {escape(c.description)}"
                      for c in progress.delivery]
        lines += ["", "[b]Misconceptions seen[/b]"]
        if not progress.misconceptions:
            lines.append("[dim]None so far.[/]")
        lines += [f"  {m.count}×  {escape(m.misconception)} [dim](last {local_time(m.last_at)})[/]"
                  for m in progress.misconceptions[:8]]
        return "\n".join(lines)

    # -- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tab":
            return bool(self.progress and self.progress.answers)
        return True

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "areas":
            self._fill_areas(self.shown)
        table = {"competencies": "#competency-table", "areas": "#area-table"}.get(tab)
        (self.query_one(table) if table else self.query_one("#due-box")).focus()

    def action_drill(self) -> None:
        start_drill(self, judge=self.services.settings.judge)

    def action_cards(self) -> None:
        cards_in_background(self)
