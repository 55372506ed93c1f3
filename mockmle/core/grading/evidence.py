"""Check that a quote a judge gives as evidence is really in the answer.

Matching forgives only what copying text legitimately changes: letter case, runs of whitespace
and curly versus straight quotes. A judge may elide with "..." or "…": each piece must then be
found, in order. Quotes wrapped in quotation marks or ending in a full stop still match.
The evidence kept is the answer's own text at the matched place, never the judge's copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'})
_ELLIPSIS = re.compile(r"\.\.\.+|…|\[\s*\.\.\.\s*\]")
_EDGE = " \t\n\"'.,;:!?()[]"


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

    def find(self, quote: str) -> QuoteMatch:
        pieces = [p.strip(_EDGE) for p in _ELLIPSIS.split(normalise(quote).text)]
        pieces = [p for p in pieces if p]
        if not pieces:
            return QuoteMatch(False)
        excerpts = []
        position = 0
        for piece in pieces:
            start = self._norm.text.find(piece, position)
            if start < 0:
                return QuoteMatch(False)
            end = start + len(piece)
            excerpts.append(self.answer[self._norm.origin[start] : self._norm.origin[end - 1] + 1])
            position = end
        return QuoteMatch(True, " … ".join(excerpts), sum(len(p.split()) for p in pieces))
