"""The first offline judge: coverage of areas and key points, plus the rule checks.

Deterministic and network-free. The band comes from how much of the rubric the answer
covers, then caps from red flags; every step is written into `explanation`.
"""

from __future__ import annotations

import re

from mockmle.core.bank import Bank
from mockmle.core.coverage import cover, credit
from mockmle.core.grading.checks import run_checks
from mockmle.core.grading.models import AreaResult, Grade, GradeRequest, Provenance
from mockmle.core.text import content_terms, sentences

JUDGE_VERSION = "offline-1"

_NO_ANSWER = re.compile(
    r"^\s*(i\s*(do\s*n[o']?t|dont)\s*know|no idea|not sure|pass|skip|n/?a|idk|no clue|\?+)\W*$", re.IGNORECASE
)
_BANDS = ((0.75, 4), (0.5, 3), (0.25, 2))


def _targets(request: GradeRequest) -> tuple[list[str], list[str], str]:
    """Areas and key points to grade against, and a note on where they came from."""
    if request.question is not None:
        return list(request.question.areas), list(request.question.key_points), ""
    if request.reference:
        points = [s.text for s in sentences(request.reference)] or [request.reference]
        return points, [], "question not in the bank: graded against the reference you gave"
    return [request.question_text], [], "question not in the bank and no reference: graded against the question alone"


class OfflineGrader:
    name = "offline"

    def __init__(self, bank: Bank):
        self.bank = bank

    def _provenance(self) -> Provenance:
        return Provenance(judge="offline", judge_version=JUDGE_VERSION, rubric_version=self.bank.rubric_version)

    def grade(self, request: GradeRequest) -> Grade:
        question = request.question
        answer = request.answer.strip()
        areas_text, key_points_text, note = _targets(request)
        explanation = [note] if note else []
        if not content_terms(answer) or _NO_ANSWER.match(answer):
            return Grade(
                band=0,
                competencies={c: 0 for c in (question.competencies if question else [])},
                areas=[AreaResult(area=a, status="missed") for a in areas_text],
                key_points=[AreaResult(area=k, status="missed") for k in key_points_text],
                improvement="Give an answer, even a partial one: say what you do know and how you would find out the rest.",
                explanation=[*explanation, "band 0: no usable answer"],
                provenance=self._provenance(),
            )

        weights = self.bank.weights
        areas = cover(areas_text, answer, weights)
        key_points = cover(key_points_text, answer, weights)
        coverage = credit(areas) if not key_points else 0.6 * credit(areas) + 0.4 * credit(key_points)
        band = next((b for threshold, b in _BANDS if coverage >= threshold), 1)
        explanation.append(f"covers {coverage:.0%} of the areas and key points: band {band}")

        question_terms = weights.terms(request.question_text)
        answer_terms = weights.terms(answer)
        if answer_terms and len(answer_terms - question_terms) <= max(2, len(answer_terms) // 5):
            band = min(band, 1)
            explanation.append("capped at 1: the answer mostly repeats the question")

        outcomes = run_checks(list(self.bank.checks.values()), question, answer)
        for outcome in outcomes:
            if outcome.cap is not None and band > outcome.cap:
                band = outcome.cap
                explanation.append(f"capped at {outcome.cap}: {outcome.reason}")
            elif outcome.cap is not None:
                explanation.append(f"{outcome.reason} (already at or below {outcome.cap})")

        covered = [a for a in (*areas, *key_points) if a.status == "covered"]
        missed = [a.area for a in areas if a.status == "missed"]
        return Grade(
            band=band,
            competencies={c: band for c in (question.competencies if question else [])},
            areas=areas,
            key_points=key_points,
            checks=[o.result for o in outcomes],
            strength=f"You addressed: {covered[0].area}" if covered else "",
            improvement=f"Cover this next time: {missed[0]}" if missed else "Add a concrete example with a measured result.",
            explanation=explanation,
            provenance=self._provenance(),
        )
