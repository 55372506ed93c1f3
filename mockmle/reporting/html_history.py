"""The whole history as a standalone HTML page, built from `mockmle.app.progress_view.Progress`."""

from __future__ import annotations

from collections.abc import Sequence

from mockmle.core.progress_models import CompetencyProgress, Progress, WeakArea
from mockmle.reporting.html_page import bullet_list, esc, page, table
from mockmle.reporting.svg import level_chart
from mockmle.reporting.text import day, percent, plural, when

NO_ANSWERS = ("No graded answers yet. Play an interview (<code>mockmle</code>, or <code>mockmle interview</code>) "
              "and your progress will show here.")
MAX_DUE = 20
MAX_MISCONCEPTIONS = 10


def history_html(progress: Progress, sessions: Sequence[dict]) -> str:
    body = [_header(progress)]
    if progress.answers:
        body += [_competencies(progress.competencies), _weakest(progress.weakest), _due(progress),
                 _checks(progress), _misconceptions(progress)]
    else:
        body.append(f'<p class="empty">{NO_ANSWERS}</p>')
    body.append(_sessions(sessions))
    return page(f"mockmle progress report {day(progress.generated_at)}", body)


def _header(progress: Progress) -> str:
    counts = f"{plural(progress.sessions, 'session')}, {plural(progress.answers, 'answer')}"
    return (f"<header><h1>mockmle progress report</h1>"
            f'<p class="meta">Generated {esc(when(progress.generated_at))} \u00b7 {esc(counts)}</p></header>')


# -- competencies


def _competencies(competencies: list[CompetencyProgress]) -> str:
    parts = ['<section id="competencies"><h2>Competencies</h2>',
             '<p class="note">Level 0-4; recent answers weigh more. \u00b1 is how far the level could be off.</p>']
    if not competencies:
        parts.append('<p class="empty">No competency has been scored yet.</p></section>')
        return "".join(parts)
    rows = [[esc(c.name), f"{c.level:.1f} \u00b1{c.spread:.1f}", esc(_trend(c)), esc(c.confidence), str(c.answers),
             esc(day(c.last_at))] for c in competencies]
    parts.append(table(["Competency", "Level", "Trend", "Confidence", "Answers", "Last"], rows, numeric=[1, 4]))
    charts = [_competency_figure(c) for c in competencies if c.series]
    if charts:
        parts += ["<h3>Level over time</h3>", f'<div class="charts">{"".join(charts)}</div>']
    parts.append("</section>")
    return "".join(parts)


def _trend(competency: CompetencyProgress) -> str:
    if competency.trend_label in ("new", "steady") or not competency.trend:
        return competency.trend_label
    return f"{competency.trend_label} ({competency.trend:+.1f})"


def _competency_figure(competency: CompetencyProgress) -> str:
    chart = level_chart(competency.name, competency.series)
    return f"<figure>{chart}<figcaption>{esc(competency.name)}</figcaption></figure>"


# -- weakest areas


def _weakest(weakest: list[WeakArea]) -> str:
    parts = ['<section id="weakest"><h2>Weakest areas</h2>']
    if not weakest:
        parts.append("<p>None below 60% coverage. Well done.</p></section>")
        return "".join(parts)
    parts += [_weak_area(rank, area) for rank, area in enumerate(weakest, 1)]
    parts.append('<p class="note">Practise them with <code>mockmle drill</code>.</p></section>')
    return "".join(parts)


def _weak_area(rank: int, area: WeakArea) -> str:
    summary = (f"Covered {percent(area.coverage)} over {plural(area.answers, 'answer')}, {area.confidence} confidence, "
               f"{area.trend_label}; questions: {', '.join(area.question_ids)}")
    parts = [f'<section class="area"><h3>{rank}. {esc(area.area)}</h3>', f"<p>{esc(summary)}</p>"]
    if area.evidence:
        rows = [[esc(day(e.at)), esc(e.session_id), f"Q{e.position + 1}: {esc(e.question)}", _status(e.status),
                 f"{e.band}/4" if e.band is not None else "skipped"] for e in area.evidence]
        parts.append(table(["Date", "Session", "Question", "This area", "Band"], rows, numeric=[4]))
    if area.key_points:
        parts += ["<p><strong>Key points to learn</strong></p>", bullet_list(esc(point) for point in area.key_points)]
    parts.append("</section>")
    return "".join(parts)


def _status(status: str) -> str:
    return f'<span class="mark {esc(status)}">{esc(status)}</span>'


# -- due, checks, misconceptions


def _due(progress: Progress) -> str:
    parts = ['<section id="due"><h2>Due for a drill</h2>']
    if not progress.due:
        parts.append("<p>Nothing is due.</p></section>")
        return "".join(parts)
    rows = [[esc(item.kind), esc(item.label), esc(day(item.due_at)), str(item.lapses)]
            for item in progress.due[:MAX_DUE]]
    parts.append(table(["Kind", "What", "Due", "Lapses"], rows, numeric=[3]))
    if len(progress.due) > MAX_DUE:
        parts.append(f'<p class="note">\u2026 and {len(progress.due) - MAX_DUE} more.</p>')
    parts.append("</section>")
    return "".join(parts)


def _checks(progress: Progress) -> str:
    parts = ['<section id="checks"><h2>Rule checks</h2>']
    if not progress.checks:
        parts.append("<p>No rule check has applied to your answers yet.</p>")
    else:
        parts += ['<p class="note">Lowest pass rate first.</p>', _pass_rates(progress.checks, "Check")]
    parts.append("</section>")
    if progress.delivery:
        parts += ['<section id="delivery"><h2>Spoken answers</h2>',
                  '<p class="note">How you said them, measured from the recordings.</p>',
                  _pass_rates(progress.delivery, "Delivery"), "</section>"]
    return "".join(parts)


def _pass_rates(checks: list, heading: str) -> str:
    rows = [[esc(c.description), percent(c.pass_rate), str(c.answers), esc(c.trend_label), esc(day(c.last_at))]
            for c in checks]
    return table([heading, "Passed", "Answers", "Trend", "Last"], rows, numeric=[1, 2])


def _misconceptions(progress: Progress) -> str:
    parts = ['<section id="misconceptions"><h2>Misconceptions seen</h2>']
    if not progress.misconceptions:
        parts.append("<p>None so far.</p></section>")
        return "".join(parts)
    rows = [[str(m.count), esc(m.misconception), esc(day(m.first_at)), esc(day(m.last_at))]
            for m in progress.misconceptions[:MAX_MISCONCEPTIONS]]
    parts += [table(["Times", "Misconception", "First", "Last"], rows, numeric=[0]), "</section>"]
    return "".join(parts)


# -- sessions


def _sessions(sessions: Sequence[dict]) -> str:
    parts = ['<section id="sessions"><h2>Sessions</h2>']
    if not sessions:
        parts.append("<p>No sessions yet.</p></section>")
        return "".join(parts)
    rows = [_session_row(row) for row in sessions]
    parts += ['<p class="note">Newest first. Export one with <code>mockmle report --session ID</code>.</p>',
              table(["Date", "Session", "Stages", "Judge", "Answered", "Overall", "Status"], rows, numeric=[4, 5]),
              "</section>"]
    return "".join(parts)


def _session_row(row: dict) -> list[str]:
    overall = f"{row['overall']:g}/4" if row.get("overall") is not None else "\u2014"
    status = row.get("status") or ""
    if row.get("ended_early"):
        status += " (ended early)"
    stages = (row.get("stages") or "").replace(",", ", ")
    return [esc(when(row.get("created_at"))), esc(row.get("id")), esc(stages), esc(row.get("judge")),
            f"{row.get('answered', 0)} of {row.get('question_count', 0)}", overall, esc(status)]
