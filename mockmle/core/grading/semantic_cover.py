"""How much of the rubric an answer says in any words: the best clause for each target, by meaning.

A sentence-embedding model, reached through the `Meaning` protocol, scores each target (an area,
a key point, a sentence of a reference answer) against the answer's clauses, in each of its wordings:
a pack may say every area and key point again in everyday words (`plain_areas`, `plain_key_points`),
since the model rates a plain-words clause and the rubric's jargon for the same idea as barely related
("pushing an urgent fix" against "shipping a hotfix": 0.21). The offline judge
merges these matches with its lexical ones (`merge`) and gives both to its fitted combiner; it
never grades on meaning alone, since embeddings score a fluent wrong answer about as high as a
right one. `soft_coverage` is the meaning model alone, a baseline in `mockmle calibrate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mockmle.core.coverage import _CLAUSE_BREAK, STATUS_CREDIT
from mockmle.core.grading.combiner import CombinerData, meaning_credit
from mockmle.core.grading.meaning import Meaning
from mockmle.core.grading.models import AreaResult
from mockmle.core.text import sentences

MIN_CLAUSE_WORDS = 3


def clauses_of(answer: str) -> list[str]:
    """Each sentence, and its clauses when it has several: a point is often made in half a sentence."""
    found: list[str] = []
    for span in sentences(answer):
        found.append(span.text)
        parts = [p.strip() for p in _CLAUSE_BREAK.split(span.text) if len(p.split()) >= MIN_CLAUSE_WORDS]
        if len(parts) > 1:
            found += parts
    return found or [answer]


def soft_coverage(targets: list[str], answer: str, meaning: Meaning) -> float:
    """Mean over the targets of the best clause's cosine similarity (a negative one counts as 0)."""
    if not targets:
        return 0.0
    rows = meaning.similarities(targets, clauses_of(answer))
    return sum(max(0.0, max(row)) for row in rows) / len(targets)


@dataclass(frozen=True)
class Match:
    similarity: float
    clause: str  # verbatim from the answer


def similarity_rows(targets: Sequence[str], clauses: Sequence[str], meaning: Meaning,
                    alternates: Sequence[Sequence[str]] = ()) -> list[list[float]]:
    """Each target's similarity to each clause: with `alternates` (other wordings of each target, in order, e.g.
    the pack's plain wordings), the closest any wording comes. One model call for all wordings."""
    extra = [list(a) for a in alternates] + [[] for _ in range(len(targets) - len(alternates))]
    texts = [*targets, *(w for words in extra for w in words)]
    rows = meaning.similarities(texts, clauses)
    merged, at = [list(row) for row in rows[:len(targets)]], len(targets)
    for target, words in enumerate(extra):
        for row in rows[at:at + len(words)]:
            merged[target] = [max(a, b) for a, b in zip(merged[target], row, strict=True)]
        at += len(words)
    return merged


def best_matches(targets: list[str], answer: str, meaning: Meaning, reuse: int = 2,
                 alternates: Sequence[Sequence[str]] = ()) -> list[Match]:
    """For each target, the answer's clause closest in meaning (in any of its wordings: see `similarity_rows`),
    each clause showing at most `reuse` targets (MeaningUnavailable when the model cannot run).

    The limit is what keeps a topical sentence from passing for an answer: "Overfitting is bad." is close to
    every key point about overfitting, but says at most one or two of them. Pairs are taken from the most similar
    down, so a clause goes to the targets it is closest to and the others look for their next best clause.
    """
    if not targets:
        return []
    clauses = clauses_of(answer)
    rows = similarity_rows(targets, clauses, meaning, alternates)
    pairs = sorted(((value, t, c) for t, row in enumerate(rows) for c, value in enumerate(row)), key=lambda p: (-p[0], p[1], p[2]))
    found: dict[int, Match] = {}
    used = [0] * len(clauses)
    for value, target, clause in pairs:
        if target not in found and used[clause] < reuse:
            found[target] = Match(value, clauses[clause])
            used[clause] += 1
    return [found.get(t, Match(0.0, "")) for t in range(len(targets))]


COVERED_CREDIT, PARTLY_CREDIT = 0.75, 0.25


def merge(lexical: list[AreaResult], matches: list[Match], data: CombinerData) -> tuple[list[AreaResult], list[float], list[float]]:
    """Each target's result from the stronger evidence, and each target's credit by meaning and by either.

    A target said in other words is shown covered (or partly) with its best clause as the quote; one that both
    cover is quoted by its closest clause in meaning.
    """
    merged, by_meaning, either = [], [], []
    for result, match in zip(lexical, matches, strict=True):
        words, meant = STATUS_CREDIT[result.status], meaning_credit(match.similarity, data)
        by_meaning.append(meant)
        either.append(max(words, meant))
        if meant > words and meant >= PARTLY_CREDIT and match.similarity >= data.quote_floor:
            status = "covered" if meant >= COVERED_CREDIT else "partly"
            result = result.model_copy(update={"status": status, "evidence": match.clause})
        elif meant >= COVERED_CREDIT and meant >= words and match.clause != result.evidence:
            # Both show it: the clause closest in meaning is the better quote. A shared word can point at the wrong
            # clause ("unit tests" for "A/B testing approaches"); the meaning rarely does when it is this close.
            result = result.model_copy(update={"evidence": match.clause})
        merged.append(result)
    return merged, by_meaning, either


def lexical_credits(results: list[AreaResult]) -> list[float]:
    return [STATUS_CREDIT[r.status] for r in results]
