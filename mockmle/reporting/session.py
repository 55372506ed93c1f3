"""A session as JSON-ready data or Markdown: used by `sessions show/export` and `interview`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockmle.core.debrief import top_fixes
from mockmle.core.delivery import delivery_lines
from mockmle.core.safe_text import markdown_inline as md
from mockmle.core.safe_text import markdown_lines
from mockmle.core.scorecard import HINT_PENALTY, CompetencyScore, Debrief, Report, turn_score
from mockmle.reporting.grade_text import grade_markdown
from mockmle.reporting.text import when

if TYPE_CHECKING:
    from mockmle.store.attempts import Attempt
    from mockmle.store.sessions import SessionRecord

def session_data(record: SessionRecord) -> dict[str, Any]:
    state = record.state
    turns = []
    for turn in state.turns:
        grade = record.grades.get(turn.position)
        turns.append({
            "position": turn.position,
            "question_id": turn.question_id,
            "question": turn.exchanges[0].prompt,
            "status": turn.status,
            "hints": turn.hints,
            "repeats": turn.repeats,
            "seconds": round(turn.seconds(), 1),
            "over_time": bool(state.plan.time_per_question and turn.seconds() > state.plan.time_per_question),
            "exchanges": [_exchange(record, turn.position, idx, e) for idx, e in enumerate(turn.exchanges)],
            "score": turn_score(turn, grade),
            "grade": grade.model_dump() if grade else None,
            "takes": [_take(attempt) for attempt in record.attempts.get(turn.position, [])],
        })
    return {
        "session_id": record.id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "status": record.status,
        "ended_early": state.ended_early,
        "judge": record.judge,
        "plan": state.plan.model_dump(),
        "turns": turns,
        "report": record.report.model_dump() if record.report else None,
        "improve_first": top_fixes(state, record.grades),
    }


def _exchange(record: SessionRecord, position: int, idx: int, exchange) -> dict[str, Any]:
    data = exchange.model_dump()
    if (take := record.takes.get((position, idx))) is not None:
        data["spoken"] = {"audio": take.audio_path, "raw_transcript": take.spoken.text, "duration": take.spoken.duration,
                          "backend": take.spoken.backend, "model": take.spoken.model,
                          "delivery": take.delivery.model_dump(mode="json")}
    return data


def _take(attempt: Attempt) -> dict[str, Any]:
    return {"attempt": attempt.attempt, "created_at": attempt.created_at, "answer": attempt.answer,
            "band": attempt.grade.band, "grade": attempt.grade.model_dump()}


def improvement(record: SessionRecord, position: int) -> str:
    """The first take's band against the latest take's; "" when the question was not tried again."""
    takes, first = record.attempts.get(position), record.grades.get(position)
    if not takes or first is None:
        return ""
    latest = takes[-1]
    delta = latest.grade.band - first.band
    moved = "the same band" if delta == 0 else f"{delta:+d}"
    return f"Improvement: first take {first.band}/4 \u2192 take {latest.attempt} {latest.grade.band}/4 ({moved})"


def take_heading(attempt: Attempt) -> str:
    return f"Take {attempt.attempt} ({when(attempt.created_at)}): band {attempt.grade.band}/4"


def tried_again_items(record: SessionRecord) -> list[str]:
    """For a practice summary, shown when it is read (takes come after the stored summary): "Q3 1 \u2192 4"."""
    return [f"Q{position + 1} {first.band} \u2192 {takes[-1].grade.band}"
            for position, takes in sorted(record.attempts.items())
            if takes and (first := record.grades.get(position)) is not None]


def _tried_again_markdown(record: SessionRecord, position: int) -> list[str]:
    if not (line := improvement(record, position)):
        return []
    lines = ["#### Tried again", "", md(line), ""]
    for attempt in record.attempts[position]:
        lines += [f"**{md(take_heading(attempt))}**", ""]
        lines += [f"> {text}" if text.strip() else ">" for text in markdown_lines(attempt.answer)] + [""]
    return lines


def report_markdown(report: Report, fixes: list[str] | None = None, drill: bool = False,
                    tried: list[str] | None = None) -> list[str]:
    lines = []
    for card in report.scorecards:
        lines += [f"## Scorecard: {md(card.title)}", "", "| Competency | Score | Anchor |", "|---|---|---|"]
        rows = scorecard_rows(card.competencies) + scorecard_rows(card.outcomes, "Desired outcome: ")
        lines += [f"| {md(name)} | {md(score)} | {md(anchor)} |" for name, score, anchor in rows]
        lines += ["", f"_{SCORE_NOTE}_", ""]
    lines += verdict_markdown(report, drill, tried)
    if fixes:
        lines += ["## Improve first", ""] + [f"- {md(fix)}" for fix in fixes] + [""]
    lines += ["## Debrief", ""] + [f"- {md(item)}" for item in debrief_items(report.debrief)]
    return lines


SCORE_NOTE = "Score: the mean of the answers that informed it, 0-4; the anchor describes the nearest level."


def scorecard_rows(rows: list[CompetencyScore], prefix: str = "") -> list[tuple[str, str, str]]:
    """(name, score, anchor) for each assessed row, and one row naming the unassessed ones."""
    out = [(prefix + row.name, row.shown, row.anchor) for row in rows if row.mean is not None]
    unassessed = [row.name for row in rows if row.mean is None]
    if unassessed:
        out.append((f"{prefix}not assessed ({len(unassessed)})", "\u2013", "No answer informed " + ", ".join(unassessed) + "."))
    return out


def verdict_markdown(report: Report, drill: bool = False, tried: list[str] | None = None) -> list[str]:
    """The hiring recommendation, or a practice session's summary in its place (`drill`: a drill saved
    before practice summaries existed, whose report still holds a recommendation). `tried`: the summary's
    "Tried again" items, from the takes made after it was stored."""
    if report.practice is not None:
        lines = [f"## {md(report.practice.title)}", ""]
        for heading, items in [*report.practice.lines(), ("Tried again", tried or [])]:
            lines += [f"{md(heading)}:", ""] + [f"- {md(item)}" for item in items] + [""] if items else []
        return lines
    if report.recommendation is None or drill:
        return ["## Practice session: no hiring recommendation", ""]
    rec = report.recommendation
    return [f"## Hiring recommendation: {rec.level} ({md(rec.label)})", ""] + [f"- {md(r)}" for r in rec.reasons] + [""]


def debrief_items(debrief: Debrief) -> list[str]:
    """The debrief's facts as plain sentences, for the Markdown export and the HTML report."""
    items = []
    if debrief.strongest:
        items.append(f"Strongest answer: {debrief.strongest.question} ({debrief.strongest.score:g}/4)")
    if debrief.weakest:
        items.append(f"Weakest answer: {debrief.weakest.question} ({debrief.weakest.score:g}/4)")
    if debrief.skipped:
        items.append(f"Skipped: {', '.join(debrief.skipped)}")
    if debrief.hints_used:
        items.append(f"Hints used: {debrief.hints_used} (each costs {HINT_PENALTY:g} of a band)")
    items += [f"Missed in {question_id}: {'; '.join(areas)}" for question_id, areas in debrief.missed_areas.items()]
    return items


def session_markdown(record: SessionRecord) -> str:
    state = record.state
    lines = [
        f"# mockmle session {md(record.id)}",
        "",
        f"- Date: {md(record.created_at)}",
        f"- Stages: {md(', '.join(state.plan.stages))}{' (a drill)' if state.plan.kind == 'drill' else ''}",
        f"- Judge: {md(record.judge)}",
        f"- Status: {md(record.status)}{' (ended early)' if state.ended_early else ''}",
        "",
    ]
    for turn in state.turns:
        lines += [f"## Question {turn.position + 1}: {md(turn.exchanges[0].prompt)}", "",
                  f"*{md(turn.question_id)} — {md(turn.status)}*", ""]
        deliveries = record.deliveries(turn.position)
        for idx, exchange in enumerate(turn.exchanges):
            if exchange.kind == "follow_up":
                lines += [f"**Follow-up:** {md(exchange.prompt)}", ""]
            answer = markdown_lines(exchange.answer) if exchange.answer else ["(no answer)"]
            lines += [f"> {line}" if line.strip() else ">" for line in answer] + [""]
            if delivery := deliveries.get(idx):
                summary, *checks = delivery_lines(delivery)
                lines += [f"*Spoken: {md(summary)}*", ""] + [f"- {md(line)}" for line in checks] + [""]
        if turn.hints:
            lines += [f"Hints used: {len(turn.hints)}", ""]
        if grade := record.grades.get(turn.position):
            lines += grade_markdown(grade) + [""] + _tried_again_markdown(record, turn.position)
    if record.report:
        lines += report_markdown(record.report, top_fixes(state, record.grades), drill=state.plan.kind == "drill",
                                 tried=tried_again_items(record))
    return "\n".join(lines).rstrip() + "\n"
