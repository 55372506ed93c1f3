"""Plain scorers to beat, run on the same rows as the judge. None of them fits anything on the rows
it scores: no labels are read, and TF-IDF's document frequencies come from the references alone.
"meaning" is the sentence-embedding model alone (mockmle.semantic), when it is installed.

Every text becomes terms the same simple way: lower-case words, split at hyphens, common English
stop words dropped, a light suffix stripper (mockmle.core.text.stem) so "monitors" meets "monitoring".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from mockmle.core.grading.meaning import Meaning, MeaningUnavailable
from mockmle.core.grading.semantic_cover import soft_coverage
from mockmle.core.text import STOPWORDS, sentences, stem, words

NAMES = {"length": "length (words)",
         "tfidf": "TF-IDF cosine",
         "recall": "keyword recall",
         "meaning": "meaning (MiniLM, best clause)"}


def terms(text: str) -> list[str]:
    return [stem(part) for word in words(text) for part in word.split("-") if part not in STOPWORDS and len(part) > 1]


def length(answer: str) -> float:
    return float(len(words(answer)))


def keyword_recall(answer: str, reference: str) -> float:
    """The share of the reference's distinct terms that the answer uses."""
    wanted = set(terms(reference))
    return len(wanted & set(terms(answer))) / len(wanted) if wanted else 0.0


class TfIdf:
    """Term counts weighted by inverse document frequency over the distinct references (one per question)."""

    def __init__(self, references: Sequence[str]):
        documents = [set(terms(r)) for r in dict.fromkeys(references)]
        counts = Counter(term for document in documents for term in document)
        total = len(documents)
        self.idf = {term: math.log((1 + total) / (1 + n)) + 1.0 for term, n in counts.items()}
        self.unseen = math.log(1 + total) + 1.0  # a term no reference uses: as rare as can be

    def vector(self, text: str) -> dict[str, float]:
        return {term: n * self.idf.get(term, self.unseen) for term, n in Counter(terms(text)).items()}

    def cosine(self, a: str, b: str) -> float:
        va, vb = self.vector(a), self.vector(b)
        dot = sum(weight * vb.get(term, 0.0) for term, weight in va.items())
        norms = math.sqrt(sum(w * w for w in va.values())) * math.sqrt(sum(w * w for w in vb.values()))
        return dot / norms if norms else 0.0


def baseline_scores(answers: Sequence[str], references: Sequence[str],
                    corpus: Sequence[str] | None = None) -> dict[str, list[float]]:
    """Each baseline's score for each answer, against its own reference (same order). TF-IDF's document
    frequencies come from `corpus` (reference texts; default: the distinct `references`)."""
    tfidf = TfIdf(corpus or references)
    return {"length": [length(a) for a in answers],
            "tfidf": [tfidf.cosine(a, r) for a, r in zip(answers, references, strict=True)],
            "recall": [keyword_recall(a, r) for a, r in zip(answers, references, strict=True)]}


def meaning_scores(answers: Sequence[str], references: Sequence[str], meaning: Meaning | None) -> list[float] | None:
    """For each answer, the mean over its reference's sentences (a bank question's areas and key points) of the
    best cosine any clause of the answer reaches with the sentence-embedding model; None without the model."""
    if meaning is None:
        return None
    try:
        return [soft_coverage([s.text for s in sentences(r)] or [r], a, meaning)
                for a, r in zip(answers, references, strict=True)]
    except MeaningUnavailable:
        return None
