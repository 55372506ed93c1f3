"""Hints: one concrete thing the answer has not covered yet, more specific when asked again.

A first hint names an area (or a line of the question's own `hints`) the answer has not
covered; asked again, the next hint gives the key point that speaks to that area; then the next
area, and so on. A line whose content words are mostly the words of what was asked (the question
and the open follow-up) would only restate it, so it is never offered. Each hint given costs half
a band (core/scorecard.py); when nothing is left to point at, none is given and nothing is charged.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockmle.core.bank_models import Question
from mockmle.core.coverage import TermWeights, cover
from mockmle.core.text import content_terms

RESTATES = 0.5  # rarity-weighted share of a line's content words found in what was asked
SPEAKS_TO = 0.25  # overlap at which a key point speaks to an area
# Words that describe an answer rather than its content: "Basic gradient descent algorithm explanation"
# says no more than "Explain how gradient descent works".
META = frozenset(content_terms(
    "explanation explain explained definition definitions define accurate accurately basic basics description "
    "describe discussion discuss overview clear clearly knowledge awareness familiarity demonstrate demonstrates "
    "concept concepts general overall fundamental fundamentals relevant algorithm algorithms"))


@dataclass(frozen=True)
class HintChoice:
    target: str  # the bank line it points at, as recorded on the turn
    specific: bool  # a key point (the second, more specific hint), not an area


def _terms(text: str, weights: TermWeights) -> set[str]:
    return {weights.canonical.get(t, t) for t in content_terms(text) if t not in META}


def restates(line: str, asked: str, weights: TermWeights) -> bool:
    """True when pointing at `line` would only say again what `asked` says."""
    terms = _terms(line, weights)
    return not terms or weights.overlap(terms, weights.terms(asked)) >= RESTATES


def next_hint(question: Question, answer: str, given: list[str], asked: str, weights: TermWeights,
              focus: str | None = None) -> HintChoice | None:
    """The next hint for `question`, or None when there is nothing left worth pointing at.

    `given` are the hints already given on this turn, `asked` the words the candidate has in front
    of them (the question and the open follow-up), `focus` what the open follow-up asks about (an
    area, or the statement it probes): its key point comes first.
    """
    pointers = list(question.hints) or (list(question.areas) if question.probe_areas else [])
    results = cover([*pointers, *question.key_points], answer, weights)
    covered = {r.area for r in results if r.status == "covered"}

    def fresh(line: str) -> bool:
        return line not in given and line not in covered and not restates(line, asked, weights)

    points = [p for p in question.key_points if fresh(p)]
    anchor = focus if focus is not None else (given[-1] if given and given[-1] in pointers else None)
    if anchor is not None:  # the key point that speaks to it, unless it was given or said already
        terms = _terms(anchor, weights)
        score, point = max((weights.overlap(terms, weights.terms(p)), p) for p in question.key_points)
        if score >= SPEAKS_TO and point in points:
            return HintChoice(point, specific=True)
    area = next((a for a in pointers if a != focus and fresh(a)), None)
    if area is not None:
        return HintChoice(area, specific=False)
    return HintChoice(points[0], specific=True) if points else None
