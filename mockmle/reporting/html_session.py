"""One session as a standalone HTML page: the same content as its Markdown export, plus a bar chart."""

from __future__ import annotations

from mockmle.core.debrief import top_fixes
from mockmle.core.delivery import Delivery, delivery_lines
from mockmle.core.grading.main_answer import main_band_note
from mockmle.core.grading.models import AreaResult, CheckResult, Grade
from mockmle.core.interview import Exchange, Turn
from mockmle.core.scorecard import HINT_PENALTY, Debrief, Report, StageScorecard, turn_score
from mockmle.reporting.grade_text import UNSURE_MARK, provenance_line, unsure_line
from mockmle.reporting.html_page import MARKS, bullet_list, esc, page, table
from mockmle.reporting.session import (
    SCORE_NOTE,
    debrief_items,
    improvement,
    scorecard_rows,
    take_heading,
    tried_again_items,
)
from mockmle.reporting.svg import Bar, score_bars
from mockmle.reporting.text import day, plural, unfinished_note, when
from mockmle.store.attempts import Attempt
from mockmle.store.sessions import SessionRecord


def session_html(record: SessionRecord, generated_at: str) -> str:
    body = [_header(record, generated_at)]
    drill = record.state.plan.kind == "drill"
    if record.report:
        body.append(_summary(record.report, drill, top_fixes(record.state, record.grades)))
    time_limit = record.state.plan.time_per_question
    body += [_turn(turn, record.grades.get(turn.position), time_limit, record.deliveries(turn.position),
                   _tried_again(record, turn.position)) for turn in record.state.turns]
    if not record.state.turns:
        body.append('<p class="empty">This session has no questions yet.</p>')
    if record.report:
        body += [_scorecard(card) for card in record.report.scorecards]
        body.append(_recommendation(record.report, drill, tried_again_items(record)))
        body.append(_debrief(record.report.debrief))
    else:
        body.append(f'<p class="note">{esc(unfinished_note(record.id))}</p>')
    return page(f"mockmle session {record.id}", body)


def _header(record: SessionRecord, generated_at: str) -> str:
    state = record.state
    status = record.status + (" (ended early)" if state.ended_early else "")
    facts = [("Date", when(record.created_at)), ("Stages", ", ".join(state.plan.stages)), ("Judge", record.judge),
             ("Status", status), ("Questions", f"{len(state.turns)} of {len(state.plan.question_ids)} asked")]
    items = "".join(f"<li><strong>{esc(name)}:</strong> {esc(value)}</li>" for name, value in facts)
    return (f"<header><h1>mockmle session {esc(record.id)}</h1>"
            f'<p class="meta">Report written {esc(day(generated_at))}</p><ul>{items}</ul></header>')


# -- the summary at the top


def _summary(report: Report, drill: bool, fixes: list[str]) -> str:
    overall = f"{report.overall:g}/4" if report.overall is not None else "not scored"
    scores = (f"Mean answer score {esc(overall)} over {plural(report.answered, 'answer')} "
              f"of {report.planned} planned.")
    if report.practice is not None:
        verdict = f"<strong>{esc(report.practice.title)}.</strong>"
    elif report.recommendation is None or drill:
        verdict = "<strong>Practice session: no hiring recommendation.</strong>"
    else:
        rec = report.recommendation
        verdict = f"<strong>Hiring recommendation: {rec.level} of 4, {esc(rec.label)}.</strong>"
    parts = ['<section id="summary"><h2>Summary</h2>', f"<p>{verdict} {scores}</p>"]
    if fixes:
        parts += ["<p><strong>Improve first</strong></p>", bullet_list(esc(fix) for fix in fixes)]
    charts = [_card_chart(card, len(report.scorecards) > 1) for card in report.scorecards]
    charts = [chart for chart in charts if chart]
    parts += charts or ['<p class="note">No competency could be scored: no question was answered.</p>']
    parts.append("</section>")
    return "".join(parts)


def _card_chart(card: StageScorecard, name_the_stage: bool) -> str:
    scored = [row for row in card.competencies + card.outcomes if row.mean is not None]
    title = f"Competency scores: {card.title}"
    chart = score_bars(title, [Bar(row.name, round(row.mean or 0.0, 1)) for row in scored])
    if not chart:
        return ""
    unscored = len(card.competencies) + len(card.outcomes) - len(scored)
    caption = esc(card.title) if name_the_stage else "Competency scores: the mean of the answers, 0-4"
    if unscored:
        caption += f" ({unscored} more not assessed yet: see the scorecard below)"
    return f"<figure>{chart}<figcaption>{caption}</figcaption></figure>"


# -- each question


def _turn(turn: Turn, grade: Grade | None, time_limit: int | None, deliveries: dict[int, Delivery],
          tried: str = "") -> str:
    first = turn.exchanges[0]
    parts = [f'<article class="question" id="q{turn.position + 1}">',
             f"<h2>Question {turn.position + 1}: {esc(first.prompt)}</h2>",
             f'<p class="meta">{esc(_turn_facts(turn, grade, time_limit))}</p>']
    parts += [_exchange(exchange) + _delivery(deliveries.get(idx)) for idx, exchange in enumerate(turn.exchanges)]
    if turn.hints:
        parts.append(f"<p><strong>Hints used ({len(turn.hints)}):</strong></p>")
        parts.append(bullet_list(esc(hint) for hint in turn.hints))
    if grade:
        parts.append(_grade(grade))
    parts += [tried, "</article>"]
    return "".join(parts)


def _tried_again(record: SessionRecord, position: int) -> str:
    if not (line := improvement(record, position)):
        return ""
    parts = [f'<section class="tried-again" id="q{position + 1}-tried-again"><h3>Tried again</h3>',
             f"<p><strong>{esc(line)}</strong></p>"]
    parts += [_take(attempt) for attempt in record.attempts[position]]
    return "".join(parts) + "</section>"


def _take(attempt: Attempt) -> str:
    return (f'<p class="meta">{esc(take_heading(attempt))}</p>'
            f'<blockquote class="answer">{esc(attempt.answer.strip())}</blockquote>')


def _turn_facts(turn: Turn, grade: Grade | None, time_limit: int | None) -> str:
    facts = [turn.question_id, turn.status]
    seconds = turn.seconds()
    if seconds:
        over = " (over the time limit)" if time_limit and seconds > time_limit else ""
        facts.append(f"{seconds:.0f} s{over}")
    score = turn_score(turn, grade)
    if score is not None:
        cost = f", after {len(turn.hints) * HINT_PENALTY:g} off for hints" if turn.hints and grade else ""
        facts.append(f"score {score:g}/4{cost}")
    return " \u00b7 ".join(facts)


def _exchange(exchange: Exchange) -> str:
    prompt = f'<p class="prompt">Follow-up: {esc(exchange.prompt)}</p>' if exchange.kind == "follow_up" else ""
    answer = exchange.answer.strip() if exchange.answer else ""
    if not answer:
        return prompt + '<blockquote class="answer"><em>(no answer)</em></blockquote>'
    return prompt + f'<blockquote class="answer">{esc(answer)}</blockquote>'


def _delivery(delivery: Delivery | None) -> str:
    if delivery is None:
        return ""
    summary, *checks = delivery_lines(delivery)
    return f'<p class="meta">Spoken: {esc(summary)}</p>' + bullet_list(esc(line) for line in checks)


def _grade(grade: Grade) -> str:
    note = f" ({main_band_note(grade)})" if main_band_note(grade) else ""
    mark = f'<span class="unsure">{esc(UNSURE_MARK)}</span>' if grade.unsure else ""
    parts = ['<section class="grade">', f'<h3 class="band">Band {grade.band}/4{esc(note)}{mark}</h3>']
    if grade.unsure:
        parts.append(f'<p class="unsure">{esc(unsure_line(grade))}</p>')
    parts += [f'<p class="provenance">{esc(provenance_line(grade))}</p>', bullet_list(esc(s) for s in grade.explanation)]
    if grade.conflicts:
        parts += ["<p>Where the model and the rule checks disagree:</p>", bullet_list(esc(c) for c in grade.conflicts)]
    if grade.areas:
        parts += ["<p><strong>Areas to cover</strong></p>", _area_list(grade.areas, with_evidence=True)]
    if grade.checks:
        parts += ["<p><strong>Checks</strong></p>", _check_list(grade.checks)]
    if grade.misconceptions:
        parts += ["<p><strong>Misconceptions</strong></p>",
                  bullet_list(f"{esc(m.misconception)} \u2014 <q>{esc(m.evidence)}</q>" for m in grade.misconceptions)]
    if grade.strength:
        parts.append(f"<p><strong>Strength:</strong> {esc(grade.strength)}</p>")
    if grade.improvement:
        parts.append(f"<p><strong>Improve:</strong> {esc(grade.improvement)}</p>")
    if grade.key_points:
        parts += ["<p><strong>A strong answer would say</strong></p>",
                  _area_list(grade.key_points, with_evidence=False)]
    parts.append("</section>")
    return "".join(parts)


def _area_list(areas: list[AreaResult], with_evidence: bool) -> str:
    items = []
    for area in areas:
        quote = f" \u2014 <q>{esc(area.evidence)}</q>" if with_evidence and area.evidence else ""
        items.append(f'<li class="{area.status}"><span class="mark">{MARKS[area.status]}</span> '
                     f"{esc(area.area)}{quote}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _check_list(checks: list[CheckResult]) -> str:
    items = []
    for check in checks:
        quote = f" \u2014 <q>{esc(check.evidence)}</q>" if check.evidence else ""
        outcome, mark = ("pass", "\u2713 pass") if check.passed else ("fail", "\u2717 fail")
        items.append(f'<li class="{outcome}"><span class="mark">{mark}</span> {esc(check.id)}: '
                     f"{esc(check.description)}{quote}</li>")
    return f"<ul>{''.join(items)}</ul>"


# -- scorecard, recommendation, debrief


def _scorecard(card: StageScorecard) -> str:
    rows = [[esc(name), esc(score), esc(anchor)] for name, score, anchor in
            [*scorecard_rows(card.competencies), *scorecard_rows(card.outcomes, "Desired outcome: ")]]
    return (f'<section class="scorecard"><h2>Scorecard: {esc(card.title)}</h2>'
            f"{table(['Competency', 'Score', 'Anchor'], rows, numeric=[1])}"
            f'<p class="note">{esc(SCORE_NOTE)}</p></section>')


def _recommendation(report: Report, drill: bool, tried: list[str]) -> str:
    if report.practice is not None:
        parts = [f'<section id="practice"><h2>{esc(report.practice.title)}</h2>']
        for heading, items in [*report.practice.lines(), ("Tried again", tried)]:
            if items:
                parts += [f"<p><strong>{esc(heading)}</strong></p>", bullet_list(esc(item) for item in items)]
        return "".join(parts) + "</section>"
    if report.recommendation is None or drill:
        return '<section id="practice"><h2>Practice session: no hiring recommendation</h2></section>'
    rec = report.recommendation
    return (f'<section id="recommendation"><h2>Hiring recommendation: {rec.level} ({esc(rec.label)})</h2>'
            f"{bullet_list(esc(reason) for reason in rec.reasons)}</section>")


def _debrief(debrief: Debrief) -> str:
    items = [esc(item) for item in debrief_items(debrief)]
    parts = ['<section id="debrief"><h2>Debrief</h2>', bullet_list(items)]
    if debrief.written:
        by = f" (written by {esc(debrief.written_by)})" if debrief.written_by else ""
        parts.append(f"<h3>The interviewer's debrief{by}</h3>"
                     f'<blockquote class="answer">{esc(debrief.written)}</blockquote>')
    if not items and not debrief.written:
        parts.append('<p class="note">Nothing to add.</p>')
    parts.append("</section>")
    return "".join(parts)
