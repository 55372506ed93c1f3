"""The end-of-interview report as plain text wrapped to the terminal, not Markdown tables."""

from __future__ import annotations

import shutil
import textwrap

from mockmle.core.scorecard import Report
from mockmle.reporting.session import scorecard_rows


def width() -> int:
    return max(40, min(shutil.get_terminal_size((100, 24)).columns, 100) - 1)


def wrap(text: str, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(text, width=width(), initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def report_text(report: Report) -> str:
    out: list[str] = []
    for card in report.scorecards:
        out += ["", f"Scorecard: {card.title} (score: the mean of your answers, 0-4)", ""]
        for name, score, anchor in scorecard_rows(card.competencies) + scorecard_rows(card.outcomes, "Desired outcome: "):
            out.append(wrap(name, "       ", first=f"  {score:<3}  "))
            out.append(wrap(anchor, "       ", first="       "))
    if report.practice is not None:
        out += ["", report.practice.title]
        for heading, items in report.practice.lines():
            out += [f"  {heading}:"] + [wrap(item, "      ", first="    - ") for item in items] if items else []
    elif report.recommendation is not None:
        rec = report.recommendation
        out += ["", f"Hiring recommendation: {rec.level} of 4, {rec.label}"]
        out += [wrap(reason, "    ", first="  - ") for reason in rec.reasons]
    debrief = report.debrief
    out += ["", "Debrief"]
    if debrief.strongest and debrief.weakest and debrief.strongest.position != debrief.weakest.position:
        out.append(wrap(f"Strongest: {debrief.strongest.question} ({debrief.strongest.score:g}/4)", "    ", first="  - "))
        out.append(wrap(f"Weakest: {debrief.weakest.question} ({debrief.weakest.score:g}/4)", "    ", first="  - "))
    elif debrief.strongest:
        out.append(wrap(f"Only graded answer: {debrief.strongest.question} ({debrief.strongest.score:g}/4)", "    ", first="  - "))
    if debrief.skipped:
        out.append(wrap("Skipped: " + ", ".join(debrief.skipped), "    ", first="  - "))
    if debrief.hints_used:
        out.append(f"  - Hints used: {debrief.hints_used} (each costs half a band)")
    if debrief.written:
        out.append(f"\nFrom the interviewer ({debrief.written_by}):")
        out.append(wrap(debrief.written, "  ", first="  "))
    for question_id, areas in debrief.missed_areas.items():
        out.append(wrap(f"Missed in {question_id}: " + "; ".join(areas), "    ", first="  - "))
    return "\n".join(out)
