"""The facts a model debrief is written from: scores, missed areas and mistakes, never transcripts.

The model words the debrief; every number in it comes from here (the graded report), so it has
nothing to invent and the candidate's raw answers never reach the prompt.
"""

from __future__ import annotations

from mockmle.core.bank import Bank
from mockmle.core.grading.models import Grade
from mockmle.core.interview import InterviewState
from mockmle.core.scorecard import Report, turn_score


def debrief_facts(bank: Bank, report: Report, state: InterviewState | None = None,
                  grades: dict[int, Grade] | None = None) -> str:
    """A plain-text summary of a graded interview, one fact a line."""
    grades = grades or {}
    overall = f"{report.overall:.1f} of 4" if report.overall is not None else "not scored"
    lines = [f"Questions answered: {report.answered} of {report.planned}. Overall score: {overall}."]
    if report.recommendation is not None:
        lines.append(f"Hiring recommendation: {report.recommendation.level} of 4 ({report.recommendation.label}).")
        lines += [f"- {reason}" for reason in report.recommendation.reasons]
    if report.practice is not None:
        lines.append(f"{report.practice.title}. Give no hiring recommendation.")
        for heading, items in report.practice.lines():
            lines += [f"{heading}:"] + [f"- {item}" for item in items] if items else []
    for card in report.scorecards:
        lines.append(f"Scorecard, {card.title}:")
        for row in card.competencies + card.outcomes:
            if row.mean is None:
                lines.append(f"- {row.name}: not assessed")
            else:
                lines.append(f"- {row.name}: {row.shown} of 4 ({row.anchor})")
    if state is not None:
        lines.append("Per question (band 0-4 from the grader; hints lower the score):")
        for turn in state.turns:
            question = bank.question(turn.question_id)
            grade = grades.get(turn.position)
            if turn.status == "skipped":
                outcome = "skipped"
            elif grade is None:
                outcome = "not graded" if turn.status == "answered" else "not answered"
            else:
                outcome = f"band {grade.band} of 4"
                if turn.hints:
                    outcome += f", {len(turn.hints)} hint(s), score {turn_score(turn, grade):.1f}"
            lines.append(f"- Q{turn.position + 1} ({question.stage}) {question.prompt} — {outcome}")
    debrief = report.debrief
    if debrief.strongest is not None:
        lines.append(f"Strongest answer: {debrief.strongest.question} ({debrief.strongest.score:.1f} of 4).")
    if debrief.weakest is not None and debrief.weakest != debrief.strongest:
        lines.append(f"Weakest answer: {debrief.weakest.question} ({debrief.weakest.score:.1f} of 4).")
    if debrief.missed_areas:
        lines.append("Areas missed:")
        for question_id, areas in debrief.missed_areas.items():
            lines.append(f"- {bank.question(question_id).prompt}: {'; '.join(areas)}")
    mistakes = [m.misconception for _, grade in sorted(grades.items()) for m in grade.misconceptions]
    if mistakes:
        lines.append("Misconceptions found: " + "; ".join(dict.fromkeys(mistakes)) + ".")
    if debrief.skipped:
        lines.append("Skipped: " + "; ".join(bank.question(q).prompt for q in debrief.skipped) + ".")
    if debrief.hints_used:
        lines.append(f"Hints used: {debrief.hints_used}.")
    flags = [e.hinted_red_flag for t in (state.turns if state else []) for e in t.exchanges if e.hinted_red_flag]
    if flags:
        lines.append("Red flags the company's answers hinted at (reverse stage): " + "; ".join(flags) + ".")
    return "\n".join(lines)


def top_fixes(state: InterviewState, grades: dict[int, Grade], limit: int = 3) -> list[str]:
    """What to work on first: misconceptions, then the lowest-scored answers' advice, then skipped questions."""
    fixes = [f"Q{position + 1}: correct the misconception \u201c{found.misconception}\u201d"
             for position, grade in sorted(grades.items()) for found in grade.misconceptions]
    scored = sorted(((score, turn.position, turn) for turn in state.turns
                     if (score := turn_score(turn, grades.get(turn.position))) is not None and score < 4),
                    key=lambda item: item[:2])
    for _, position, turn in scored:
        grade = grades.get(position)
        if turn.status == "skipped":
            fixes.append(f"Q{position + 1} was skipped: learn what a strong answer says")
        elif grade is not None and grade.improvement:  # "Fix this first: ..." says again what the heading says
            fixes.append(f"Q{position + 1}: {grade.improvement.removeprefix('Fix this first: ')}")
    return list(dict.fromkeys(fixes))[:limit]
