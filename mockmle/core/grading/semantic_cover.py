"""How much of the rubric an answer says in any words: the best clause for each target, by meaning.

A sentence-embedding model, reached through the `Meaning` protocol, scores each target (an area,
a key point, a sentence of a reference answer) against the answer's clauses. `soft_coverage` is
today a baseline in `mockmle calibrate` ("meaning"), measured beside the judge; it is meant to
become one feature of the judge's fitted combiner (issue 16), never the judge alone: embeddings
score a fluent wrong answer about as high as a right one.
"""

from __future__ import annotations

from mockmle.core.coverage import _CLAUSE_BREAK
from mockmle.core.grading.meaning import Meaning
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
