"""Check that a quote a judge gives as evidence is really in the answer.

Matching forgives only what copying text legitimately changes: letter case, runs of whitespace
and curly versus straight quotes. A judge may elide with "..." or "…": each piece must then be
found, in order. Quotes wrapped in quotation marks or ending in a full stop still match, and so
do quotes that kept the tags the answer was fenced in (<candidate>...</candidate>). A piece of
NEAR_WORDS or more words that a model copied with a small slip (a word dropped, added or changed)
matches the answer's passage that agrees with it on at least NEAR_RATIO of its words.
The evidence kept is the answer's own text at the matched place, never the judge's copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from mockmle.core.coverage import TermWeights
from mockmle.core.grading.models import AreaResult

_CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'})
_ELLIPSIS = re.compile(r"\.\.\.+|…|\[\s*\.\.\.\s*\]")
_EDGE = " \t\n\"'.,;:!?()[]"
_FENCE_TAG = re.compile(r"<\s*/?\s*candidate\s*>", re.IGNORECASE)
NEAR_WORDS = 5
NEAR_RATIO = 0.85


@dataclass(frozen=True)
class Normalised:
    text: str
    origin: list[int]  # origin[i]: index in the source of normalised character i


def normalise(text: str) -> Normalised:
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text.translate(_CURLY)):
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                origin.append(index)
            continue
        for folded in char.casefold():
            out.append(folded)
            origin.append(index)
    return Normalised("".join(out), origin)


@dataclass(frozen=True)
class QuoteMatch:
    found: bool
    excerpt: str = ""  # the answer's own text where the quote was found
    words: int = 0


class AnswerText:
    """An answer, normalised once, against which any number of quotes are checked."""

    def __init__(self, answer: str):
        self.answer = answer
        self._norm = normalise(answer)
        self._words = [(m.start(), m.end()) for m in re.finditer(r"\S+", self._norm.text)]

    def find(self, quote: str) -> QuoteMatch:
        pieces = [p.strip(_EDGE) for p in _ELLIPSIS.split(normalise(_FENCE_TAG.sub(" ", quote)).text)]
        pieces = [p for p in pieces if p]
        if not pieces:
            return QuoteMatch(False)
        excerpts = []
        position = 0
        for piece in pieces:
            start = self._norm.text.find(piece, position)
            end = start + len(piece)
            if start < 0:
                near = self._near(piece, position)
                if near is None:
                    return QuoteMatch(False)
                start, end = near
            excerpts.append(self.answer[self._norm.origin[start] : self._norm.origin[end - 1] + 1])
            position = end
        return QuoteMatch(True, " … ".join(excerpts), sum(len(p.split()) for p in pieces))

    def _near(self, piece: str, position: int) -> tuple[int, int] | None:
        """Where the answer says `piece` with at most a small slip: (start, end) in the normalised text."""
        wanted = [w.strip(_EDGE) for w in piece.split(" ")]
        if len(wanted) < NEAR_WORDS:
            return None
        words = [(a, b) for a, b in self._words if a >= position]
        texts = [self._norm.text[a:b].strip(_EDGE) for a, b in words]
        best: tuple[float, int, int] | None = None
        for size in (len(wanted) - 1, len(wanted), len(wanted) + 1):
            for first in range(0, len(words) - size + 1):
                ratio = SequenceMatcher(None, wanted, texts[first : first + size], autojunk=False).ratio()
                if ratio >= NEAR_RATIO and (best is None or ratio > best[0]):
                    best = (ratio, words[first][0], words[first + size - 1][1])
        return (best[1], best[2]) if best else None


def one_quote_for_many(results: dict[str, list[AreaResult]], weights: TermWeights, reuse: int) -> int:
    """A passage quoted for more than `reuse` areas and key points is partly evidence at most, except for the
    one it speaks to best (most shared words). Changes `results` in place; returns the most uses of one passage
    beyond that limit (0 when none)."""
    by_quote: dict[str, list[tuple[str, int]]] = {}
    for prefix, items in results.items():
        for index, item in enumerate(items):
            if item.status != "missed":
                by_quote.setdefault(" ".join(item.evidence.lower().split()), []).append((prefix, index))
    most = 0
    for quote, places in by_quote.items():
        if len(places) <= reuse:
            continue
        most = max(most, len(places))
        terms = weights.terms(quote)
        best = max(places, key=lambda p: weights.overlap(weights.terms(results[p[0]][p[1]].area), terms))
        for prefix, index in places:
            if (prefix, index) != best:
                results[prefix][index] = results[prefix][index].model_copy(update={"status": "partly"})
    return most


def off_topic_quotes(results: dict[str, list[AreaResult]], vocabulary: set[str], weights: TermWeights) -> int:
    """A quote that shares no word (or synonym) with the question, its areas or its key points cannot show any of
    them ("I like pizza", "Note to the evaluator: ..."): it counts as partly at most. Paraphrase is not punished:
    a quote in the candidate's own words still speaks of something the question asks about. Changes `results` in
    place; returns how many quotes were off topic."""
    count = 0
    for items in results.values():
        for index, item in enumerate(items):
            if item.status != "missed" and not weights.terms(item.evidence) & vocabulary:
                items[index] = item.model_copy(update={"status": "partly"})
                count += 1
    return count
