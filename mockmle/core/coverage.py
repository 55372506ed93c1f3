"""Which areas an answer covers, with the clause that shows it.

Term overlap weighted by rarity across the bank (a rare word such as "drift" says more than
"model"), plus synonym groups from the rubrics. Deterministic and fast; used by the engine
to pick follow-ups and by the first offline grader.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from mockmle.core.grading.models import AreaResult, AreaStatus
from mockmle.core.text import Span, content_terms, sentences

COVERED, PARTLY = 0.5, 0.25
# Where a sentence splits into clauses: punctuation, or a conjunction between two clauses.
_CLAUSE_BREAK = re.compile(r"\s*[,;:\u2014]\s+|\s+(?:and|but|so|because|while|whereas|although|though|which|then)\s+",
                           re.IGNORECASE)
MIN_QUOTE_WORDS = 4
TERMS_KEPT = 20_000  # texts whose terms TermWeights keeps


_UNIT = 2 ** 32  # weights are summed as integers in these units: exact, so the order a set iterates in cannot matter


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one bank, one set of weights
class TermWeights:
    idf: dict[str, float]
    canonical: dict[str, str]
    default: float
    _units: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    _terms: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._units.update({term: round(weight * _UNIT) for term, weight in self.idf.items()})

    @classmethod
    def build(cls, documents: Iterable[str], synonyms: Iterable[Iterable[str]] = ()) -> TermWeights:
        canonical: dict[str, str] = {}
        for group in synonyms:
            stems = [terms[0] for word in group if len(terms := content_terms(word)) == 1]
            for term in stems:
                canonical.setdefault(term, stems[0])
        counts: Counter[str] = Counter()
        total = 0
        for document in documents:
            total += 1
            counts.update({canonical.get(t, t) for t in content_terms(document)})
        idf = {term: math.log((1 + total) / (1 + n)) + 1.0 for term, n in counts.items()}
        return cls(idf=idf, canonical=canonical, default=math.log(1 + total) + 1.0)

    def terms(self, text: str) -> set[str]:
        # Rubric texts come back for every answer: their terms are kept (answers are not, to bound the memory).
        cached = self._terms.get(text)
        if cached is None:
            cached = frozenset(self.canonical.get(t, t) for t in content_terms(text))
            if len(self._terms) < TERMS_KEPT:
                self._terms[text] = cached
        return set(cached)

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.default)

    def mass(self, terms: set[str] | frozenset[str]) -> int:
        """The terms' summed weight in integer units: exact, so the order a set iterates in (which depends on the
        hash seed) cannot move a share across a threshold from one run to the next."""
        units, default = self._units, round(self.default * _UNIT)
        return sum(units.get(t, default) for t in terms)

    def overlap(self, target: set[str] | frozenset[str], found: set[str] | frozenset[str]) -> float:
        total = self.mass(target)
        return self.mass(target & found) / total if total else 0.0


def _match(target_text: str, target: set[str], whole: set[str], spans: list[tuple[Span, set[str]]], weights: TermWeights) -> AreaResult:
    overall = weights.overlap(target, whole)
    best, evidence = 0.0, ""
    for span, terms in spans:
        score = weights.overlap(target, terms)
        if score > best:
            best, evidence = score, span.text
    evidence = best_clause(evidence, target, weights) if evidence else evidence
    status: AreaStatus
    if overall >= COVERED and best >= PARTLY:
        status = "covered"
    elif overall >= PARTLY and best > 0:
        status = "partly"
    else:
        status, evidence = "missed", ""
    return AreaResult.model_construct(area=target_text, status=status, evidence=evidence)


def best_clause(sentence: str, target: set[str], weights: TermWeights) -> str:
    """The clause of `sentence` that best shows `target`, verbatim, widened to its neighbour when very short.

    Only the quote changes: whether the area counts as covered is decided from whole sentences.
    """
    cuts = [0, *(point for match in _CLAUSE_BREAK.finditer(sentence) for point in match.span()), len(sentence)]
    clauses = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
    if len(clauses) == 1:
        return sentence
    scores = [weights.overlap(target, weights.terms(sentence[start:end])) for start, end in clauses]
    first = last = max(range(len(clauses)), key=lambda i: (scores[i], -i))
    while first > 0 and scores[first - 1] > 0:  # "feature and preprocessing code": both halves name the area
        first -= 1
    while last + 1 < len(clauses) and scores[last + 1] > 0:
        last += 1
    while len(sentence[clauses[first][0]:clauses[last][1]].split()) < MIN_QUOTE_WORDS and (first, last) != (0, len(clauses) - 1):
        if last + 1 < len(clauses) and (first == 0 or scores[last + 1] >= scores[first - 1]):
            last += 1
        else:
            first -= 1
    return sentence[clauses[first][0]:clauses[last][1]]


STATUS_CREDIT = {"covered": 1.0, "partly": 0.5, "missed": 0.0}


def credit(results: list[AreaResult]) -> float:
    """Share of targets covered: covered counts 1, partly 0.5, missed 0."""
    if not results:
        return 0.0
    return sum(STATUS_CREDIT[r.status] for r in results) / len(results)


def cover(targets: Iterable[str], answer: str, weights: TermWeights) -> list[AreaResult]:
    """Mark each area (or key point) covered / partly / missed, quoting the clause that shows it."""
    spans = [(span, weights.terms(span.text)) for span in sentences(answer)]
    whole = weights.terms(answer)
    return [_match(t, weights.terms(t), whole, spans, weights) for t in targets]
