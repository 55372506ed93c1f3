"""Small, deterministic text tools shared by coverage matching and the offline grader."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_WORD_PART = re.compile(r"[a-z0-9]+", re.IGNORECASE | re.ASCII)  # one part of a hyphenated word, any case
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each etc few for from further had has
    have having he her here hers him his how i if in into is it its itself just like me more most my no nor
    not of off on once only or other our ours out over own same she should so some such than that the their
    them then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours e g eg ie via vs versus one two using use used
    s t d ll re ve m don doesn didn isn aren wasn weren won can couldn shouldn wouldn haven hasn hadn let""".split()
)

# Words so common in interview talk that matching them says nothing about coverage.
GENERIC = frozenset(
    """approach approaches experience experiences example examples specific way ways thing things work worked
    working make made making consider considered consideration considerations understanding understand
    different various type types process processes strategy strategies method methods technique techniques
    issue issues question questions area areas key good well really important need needs ensure think""".split()
)
_NOT_CONTENT = STOPWORDS | GENERIC

_SUFFIXES = ("ational", "ization", "isation", "fulness", "ousness", "iveness", "ements", "ement", "ments",
             "ment", "ation", "ators", "ator", "ate", "isms", "ism", "ions", "ion", "ised", "ized", "ises", "izes", "ise",
             "ize", "ings", "ing", "ities", "ity", "ies", "ied", "ed", "es", "ly", "s")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, predictable suffix stripper: monitoring/monitored/monitors -> monitor, and decrease/decreases/decreased
    -> decreas (a final e goes whether or not a suffix came off, so the forms of one word meet)."""
    base = _strip(word)
    return base[:-1] if len(base) > 4 and base.endswith("e") and not base.endswith("ee") else base


def _strip(word: str) -> str:
    if len(word) <= 4 or word.isdigit():
        return word
    if word.endswith("ees"):  # trees, employees: only the plural s
        return word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            if suffix == "es" and not base.endswith(("s", "x", "z", "ch", "sh")):
                return word[:-1] if word.endswith("es") and not base.endswith("e") else base
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "ls":
                base = base[:-1]
            if len(base) > 5 and base.endswith("at"):
                base = base[:-2]
            return base.rstrip("e") if len(base) > 4 and base.endswith("e") else base
    return word


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def content_terms(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order, duplicates kept."""
    parts = (part for w in words(text) for part in w.split("-"))
    return [stem(w) for w in parts if w not in _NOT_CONTENT and len(w) > 1]


def content_words(text: str) -> list[tuple[str, int, int]]:
    """The words `content_terms` keeps, each as (its stem, start, end) in `text`: where each one is said."""
    found = []
    for match in _WORD_PART.finditer(text):
        word = match.group(0).lower()
        if word not in _NOT_CONTENT and len(word) > 1:
            found.append((stem(word), match.start(), match.end()))
    return found


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Span]:
    """Sentence spans with their offsets, so evidence can be quoted verbatim."""
    spans: list[Span] = []
    position = 0
    for piece in _SENTENCE_END.split(text):
        start = text.find(piece, position)
        if start < 0:
            continue
        position = start + len(piece)
        stripped = piece.strip()
        if stripped:
            offset = start + piece.find(stripped)
            spans.append(Span(offset, offset + len(stripped), stripped))
    return spans
