"""The reports as Markdown: a text sparkline per competency instead of a chart, and text bars per session."""

from __future__ import annotations

from collections.abc import Sequence

from mockmle.core.progress_models import Progress, WeakArea
from mockmle.core.safe_text import markdown_inline as md
from mockmle.core.safe_text import markdown_lines, one_line
from mockmle.core.scorecard import Report
from mockmle.reporting.session import session_markdown
from mockmle.reporting.text import day, percent, plural, sparkline, unfinished_note, when
from mockmle.store.sessions import SessionRecord

MAX_LEVEL = 4
BAR_CELLS = 8
MAX_DUE = 20
MAX_MISCONCEPTIONS = 10


def text_bar(score: float, maximum: float = MAX_LEVEL, cells: int = BAR_CELLS) -> str:
    filled = round(min(maximum, max(0.0, score)) / maximum * cells)
    return "\u2588" * filled + "\u2591" * (cells - filled)


class Markup(str):
    """Markdown written here (a code span), put into a table cell as it is."""


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell: one line, pipes and everything else a renderer acts on escaped."""
    return text if isinstance(text, Markup) else md(text)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return lines + [""]


# -- the whole history


def history_markdown(progress: Progress, sessions: Sequence[dict]) -> str:
    counts = f"{plural(progress.sessions, 'session')}, {plural(progress.answers, 'answer')}"
    lines = ["# mockmle progress report", "", f"_Generated {when(progress.generated_at)} \u00b7 {counts}_", ""]
    if progress.answers:
        lines += _competencies(progress) + _weakest(progress.weakest) + _due(progress) + _checks(progress)
        lines += _misconceptions(progress)
    else:
        lines += ["No graded answers yet. Play an interview (`mockmle`, or `mockmle interview`) and your progress "
                  "will show here.", ""]
    lines += _sessions(sessions)
    return "\n".join(lines).rstrip() + "\n"


def _competencies(progress: Progress) -> list[str]:
    lines = ["## Competencies", "", "Level 0-4; recent answers weigh more. \u00b1 is how far the level could be off. "
             "The last column is the level over time, one block per day (or span of days).", ""]
    if not progress.competencies:
        return lines + ["No competency has been scored yet.", ""]
    rows = [[c.name, f"{c.level:.1f} \u00b1{c.spread:.1f}", c.trend_label, c.confidence, c.answers,
             Markup(f"`{sparkline([p.level for p in c.series])}`") if c.series else ""] for c in progress.competencies]
    return lines + table(["Competency", "Level", "Trend", "Confidence", "Answers", "Over time"], rows)


def _weakest(weakest: list[WeakArea]) -> list[str]:
    lines = ["## Weakest areas", ""]
    if not weakest:
        return lines + ["None below 60% coverage. Well done.", ""]
    for rank, area in enumerate(weakest, 1):
        lines += [f"### {rank}. {md(area.area)}", "",
                  f"Covered {percent(area.coverage)} over {plural(area.answers, 'answer')}, "
                  f"{area.confidence} confidence, {area.trend_label}; questions: {md(', '.join(area.question_ids))}", ""]
        rows = [[day(e.at), e.session_id, f"Q{e.position + 1}: {e.question}", e.status,
                 f"{e.band}/4" if e.band is not None else "skipped"] for e in area.evidence]
        if rows:
            lines += table(["Date", "Session", "Question", "This area", "Band"], rows)
        if area.key_points:
            lines += ["Key points to learn:", ""] + [f"- {md(point)}" for point in area.key_points] + [""]
    return lines + ["Practise them with `mockmle drill`.", ""]


def _due(progress: Progress) -> list[str]:
    lines = ["## Due for a drill", ""]
    if not progress.due:
        return lines + ["Nothing is due.", ""]
    lines += table(["Kind", "What", "Due", "Lapses"],
                   [[d.kind, d.label, day(d.due_at), d.lapses] for d in progress.due[:MAX_DUE]])
    if len(progress.due) > MAX_DUE:
        lines += [f"\u2026 and {len(progress.due) - MAX_DUE} more.", ""]
    return lines


def _checks(progress: Progress) -> list[str]:
    lines = ["## Rule checks", ""]
    if not progress.checks:
        lines += ["No rule check has applied to your answers yet.", ""]
    else:
        lines += ["Lowest pass rate first.", ""] + _pass_rates(progress.checks, "Check")
    if progress.delivery:
        lines += ["## Spoken answers", "", "How you said them, measured from the recordings.", ""]
        lines += _pass_rates(progress.delivery, "Delivery")
    return lines


def _pass_rates(checks: list, heading: str) -> list[str]:
    return table([heading, "Passed", "Answers", "Trend", "Last"],
                 [[c.description, percent(c.pass_rate), c.answers, c.trend_label, day(c.last_at)] for c in checks])


def _misconceptions(progress: Progress) -> list[str]:
    lines = ["## Misconceptions seen", ""]
    if not progress.misconceptions:
        return lines + ["None so far.", ""]
    return lines + table(["Times", "Misconception", "First", "Last"],
                         [[m.count, m.misconception, day(m.first_at), day(m.last_at)]
                          for m in progress.misconceptions[:MAX_MISCONCEPTIONS]])


def _sessions(sessions: Sequence[dict]) -> list[str]:
    lines = ["## Sessions", ""]
    if not sessions:
        return lines + ["No sessions yet.", ""]
    rows = []
    for row in sessions:
        overall = f"{row['overall']:g}/4" if row.get("overall") is not None else "-"
        status = (row.get("status") or "") + (" (ended early)" if row.get("ended_early") else "")
        rows.append([when(row.get("created_at")), row.get("id"), (row.get("stages") or "").replace(",", ", "),
                     row.get("judge"), f"{row.get('answered', 0)} of {row.get('question_count', 0)}", overall, status])
    return lines + ["Newest first. Export one with `mockmle report --session ID`.", ""] + table(
        ["Date", "Session", "Stages", "Judge", "Answered", "Overall", "Status"], rows)


# -- one session


def session_report_markdown(record: SessionRecord, generated_at: str) -> str:
    """The session's Markdown export, with the competency scores as text bars and the written debrief."""
    body = session_markdown(record)
    title, _, rest = body.partition("\n")
    lines = [title, "", f"_Report written {day(generated_at)} by mockmle._", "", rest.lstrip("\n").rstrip()]
    if record.report:
        lines += ["", *_score_bars(record.report), *_written_debrief(record.report)]
    else:
        lines += ["", f"_{unfinished_note(record.id)}_"]
    return "\n".join(lines).rstrip() + "\n"


def _score_bars(report: Report) -> list[str]:
    lines = ["## Competency scores", ""]
    for card in report.scorecards:
        scored = [row for row in card.competencies + card.outcomes if row.mean is not None]
        if len(report.scorecards) > 1:
            lines += [f"### {md(card.title)}", ""]
        if not scored:
            lines += ["No competency could be scored: no question was answered.", ""]
            continue
        names = [one_line(row.name).replace("`", "'") for row in scored]  # inside a code block: only a fence could escape
        width = max(len(name) for name in names)
        lines += ["```"] + [f"{name:<{width}}  {text_bar(row.mean or 0.0)} {row.shown}/4"
                            for name, row in zip(names, scored, strict=True)] + ["```", ""]
    return lines


def _written_debrief(report: Report) -> list[str]:
    debrief = report.debrief
    if not debrief.written:
        return []
    by = f" (written by {md(debrief.written_by)})" if debrief.written_by else ""
    return [f"## The interviewer's debrief{by}", "", *(f"> {line}" if line.strip() else ">"
                                                     for line in markdown_lines(debrief.written)), ""]
