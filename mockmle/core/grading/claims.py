"""Statement checks: is each property said of the right subject?

Word sets cannot tell "bagging reduces variance, boosting reduces bias" from the reverse.
Here each property mention is tied to the subject it is said of, negated mentions are
dropped, and a contrast is flagged when more properties land on the wrong subject than on
the right one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mockmle.core.bank_models import Contrast
from mockmle.core.text import sentences, stem

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[,;:()]")
BOUNDARIES = frozenset({",", ";", ":", ")", "while", "whereas", "but", "and", "unlike", "than"})
NEGATIONS = frozenset({"not", "no", "never", "doesn't", "don't", "isn't", "aren't", "won't", "can't", "cannot",
                       "without", "neither", "nor", "hardly", "rather", "instead"})
NEGATION_WINDOW = 4
SUBJECT_WINDOW = 25  # tokens back from a property to the subject it is said of
AFTER_WINDOW = 5  # "... relationship changed (concept drift)": a subject right after, in the same clause
# A new clause that turns against the last one ("…, but it can overfit") has a subject of its own, often a
# pronoun: a property after one of these is not said of a subject before it.
CONTRASTIVE = frozenset({"but", "while", "whereas", ";", "however", "although", "though", "yet"})
# A subject right after one of these is the object of a statement ("boosting reduces bias"), not what the
# clause is about: "…reduces bias, turning weak learners into a strong one" says nothing about bias.
EFFECT_VERBS = ("reduc", "lower", "cut", "decreas", "increas", "rais", "trade", "balanc", "minimi", "control",
                "add", "remov", "introduc", "fix", "address", "tackl", "manag", "lift")


@dataclass(frozen=True)
class ContrastFinding:
    contrast: Contrast
    right: int
    wrong: int
    evidence: str

    @property
    def reversed(self) -> bool:
        return self.wrong > 0 and self.wrong > self.right


def _stems(text: str) -> list[str]:
    return [stem(t) for t in _TOKEN.findall(text.lower())]


def _find(tokens: list[str], phrases: list[list[str]]) -> list[tuple[int, int]]:
    """(start, end) of every phrase occurrence, longest phrase first, no overlaps."""
    taken: set[int] = set()
    found = []
    for phrase in sorted(phrases, key=len, reverse=True):
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if tokens[i : i + n] == phrase and not taken & set(range(i, i + n)):
                found.append((i, i + n))
                taken.update(range(i, i + n))
    return sorted(found)


def _negated(tokens: list[str], start: int) -> bool:
    return any(t in NEGATIONS or t.endswith("n't") for t in tokens[max(0, start - NEGATION_WINDOW) : start])


def check_contrast(contrast: Contrast, answer: str) -> ContrastFinding:
    subjects = {"a": [_stems(p) for p in contrast.a], "b": [_stems(p) for p in contrast.b]}
    says = {"a": [_stems(p) for p in contrast.a_says], "b": [_stems(p) for p in contrast.b_says]}
    right = wrong = 0
    evidence = ""
    for span in sentences(answer):
        raw = _TOKEN.findall(span.text.lower())
        tokens = [stem(t) for t in raw]
        mentions = sorted([(s, e, side) for side in "ab" for s, e in _find(tokens, subjects[side])])
        if not mentions:
            continue
        for side in "ab":
            for start, end in _find(tokens, says[side]):
                if _negated(raw, start) or any(s <= start < e for s, e, _ in mentions):
                    continue
                owner = _owner(raw, mentions, start, end)
                if owner is None:
                    continue
                if owner == side:
                    right += 1
                else:
                    wrong += 1
                    evidence = evidence or span.text
    return ContrastFinding(contrast, right, wrong, evidence)


def _is_object(raw: list[str], start: int) -> bool:
    """The mention follows an effect verb, perhaps with one adverb between ("mainly reduces bias")."""
    return any(raw[i].startswith(EFFECT_VERBS) for i in range(max(0, start - 2), start))


def _owner(raw: list[str], mentions: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The subject a property is said of.

    A subject just after it in the same clause ("reduced by boosting", "changed (concept drift)")
    wins; otherwise the nearest subject before it. When that subject is listed right beside the
    other one ("ridge/lasso", "bagging and boosting"), the property belongs to both: no owner.
    """
    after = [m for m in mentions if end <= m[0] <= end + AFTER_WINDOW]
    if after and not BOUNDARIES & set(raw[end : after[0][0]]):
        return after[0][2]
    before = [m for m in mentions if m[1] <= start and start - m[1] <= SUBJECT_WINDOW and not _is_object(raw, m[0])]
    if not before:
        return None
    owner = before[-1]
    if CONTRASTIVE & set(raw[owner[1] : start]):
        return None
    if any(m[2] != owner[2] and (0 <= owner[0] - m[1] <= 2 or 0 <= m[0] - owner[1] <= 2) for m in mentions):
        return None
    return owner[2]
