"""Rich renderables for the top of Results: the verdict or practice summary, what to fix first, the scorecard.

Everything here is built as `Text`, never markup, so bank and user text is shown as written.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from mockmle.core.grading.models import Grade
from mockmle.core.interview import InterviewState, Turn
from mockmle.core.practice import PracticeSummary
from mockmle.core.scorecard import CompetencyScore, Report, StageScorecard
from mockmle.reporting.session import scorecard_rows
from mockmle.tui.rendering import score_label

SCORE_NOTE = "Score: the mean of your answers that informed it, 0-4; the text describes the nearest level."


def _bullets(items: list[str], style: str = "") -> list[RenderableType]:
    return [Text(f"\u2022 {item}", style=style) for item in items]


def verdict_block(report: Report, drill: bool = False) -> Group:
    """The hiring recommendation, or for a drill or reverse practice the practice summary instead."""
    if report.practice is not None:
        return practice_block(report.practice)
    if drill or report.recommendation is None:  # a drill saved before practice summaries existed
        return Group(Text("Practice session: no hiring recommendation, a drill is practice.", style="bold"))
    rec = report.recommendation
    colour = {1: "red", 2: "yellow", 3: "green", 4: "bold green"}[rec.level]
    lines: list[RenderableType] = [Text.assemble(("Hiring recommendation: ", "bold"), (f"{rec.level} \u00b7 {rec.label}", colour))]
    # "Not assessed: …" is left to the scorecard's folded line.
    return Group(*lines, *_bullets([r for r in rec.reasons if not r.startswith("Not assessed: ")]))


def practice_block(summary: PracticeSummary) -> Group:
    lines: list[RenderableType] = [Text(summary.title, style="bold")]
    for heading, items in summary.lines():
        if items:
            lines += [Text(f"{heading}:", style="bold"), *_bullets(items)]
    return Group(*lines)


def fixes_block(fixes: list[str]) -> Group:
    return Group(Text("Improve first", style="bold"), *_bullets(fixes))


def answer_row(turn: Turn, grade: Grade | None, score_width: int) -> Table:
    """One line of the answers list: number, score and the question cut to the width."""
    row = Table.grid(padding=(0, 1), expand=True)
    row.add_column(width=3, no_wrap=True)
    row.add_column(width=score_width, no_wrap=True)
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    row.add_row(f"Q{turn.position + 1}", score_label(turn, grade), turn.exchanges[0].prompt)
    return row


def score_width(turns: list[Turn], grades: dict[int, Grade]) -> int:
    return max((len(score_label(t, grades.get(t.position))) for t in turns), default=5)


def missed_block(state: InterviewState, grades: dict[int, Grade], report: Report) -> Group | None:
    """The areas each answer missed (the debrief's), one line a question."""
    turns = {turn.question_id: turn for turn in state.turns}
    lines = []
    for qid, areas in report.debrief.missed_areas.items():
        turn = turns.get(qid)
        grade = grades.get(turn.position) if turn else None
        what = (f"all {len(areas)} of its areas" if grade is not None and len(areas) == len(grade.areas) > 2
                else "; ".join(areas))
        lines.append(Text.assemble((f"Q{turn.position + 1}: " if turn else f"{qid}: ", "bold"), what))
    return Group(Text("Missed areas, by question", style="bold"), *lines) if lines else None


def scorecard_table(card: StageScorecard) -> Table:
    """One row per assessed competency; the unassessed ones folded into one line naming them."""
    table = Table(title=card.title, title_justify="left", title_style="bold", expand=True, show_lines=False,
                  caption=SCORE_NOTE, caption_justify="left", caption_style="dim")
    table.add_column("Competency", ratio=2)
    table.add_column("Score", justify="center", width=5, no_wrap=True)
    table.add_column("What that level means", ratio=5)
    _rows(table, card.competencies)
    if card.outcomes:
        table.add_section()
        table.add_row(Text("Desired outcomes", style="bold"), "", Text("the role's goals, from the same answers", style="dim"))
        _rows(table, card.outcomes, style="italic")
    return table


def _rows(table: Table, rows: list[CompetencyScore], style: str = "") -> None:
    assessed = sum(1 for row in rows if row.mean is not None)
    for index, (name, score, anchor) in enumerate(scorecard_rows(rows)):
        if index < assessed:
            table.add_row(Text(name, style=style), score, anchor)
        else:  # the one line naming the unassessed rows
            table.add_row(Text(name[:1].upper() + name[1:], style="dim"), score, Text(anchor, style="dim"))
