"""Does an answer state a listed misconception? One check for every statement in the bank.

A misconception is read as a statement: its words, weighted by rarity across the bank, and its
polarity (how many negations it carries). An answer states it when one stretch of a sentence (a
few neighbouring clauses):

- carries most of the statement's weighted words (COVERS), synonyms and stems folded as coverage folds them;
- carries the words that set it apart from what the question's key points and prompt say (DISTINCT):
  "Data drift and concept drift are the same thing" is told from the key point that distinguishes
  them by "same", not by "drift";
- has the statement's polarity: "are not the same thing" has one negation more, so it denies it;
- asserts it rather than reports it: "a common mistake is to think ...", "it's a myth that ...",
  "people often say ...", "... would be wrong", or a question.

A misconception that differs from the key points only by how the same words are arranged
("bagging reduces bias, boosting reduces variance") cannot be told from a correct answer by its
words: it is left to the contrasts of rubrics/claims.toml. One that differs only by a negation
("boosting cannot overfit") is checked on polarity alone.

Words that carry a claim but are stopwords for coverage ("same", "only", "all") count here, and a
few absolutes are folded together ("always", "every", "guaranteed"); a comparative counts as the word
the statement uses ("safer" for "safest"). An answer is read once for all of a question's statements,
and a sentence is split into clauses only when some statement could be in it: the judge grades
hundreds of answers a second.
"""

from __future__ import annotations

import math
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from mockmle.core.bank_models import Question
from mockmle.core.coverage import TermWeights
from mockmle.core.text import GENERIC, content_terms, sentences, stem

COVERS = 0.6  # share of the statement's weighted words one stretch of the answer must carry
COVERS_ALL = 0.85  # the share when only polarity tells it from a key point: nearly all of its words
DISTINCT = 0.5  # share of its distinguishing words (those the key points and prompt lack) it must carry
MAX_CLAUSES = 3  # the longest stretch of neighbouring clauses a statement may spread over

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CLAUSE_BREAK = re.compile(r"\s*[,;:\u2014()]\s*|\s+(?:but|while|whereas|although|though|however|because|since|which|so)\s+",
                           re.IGNORECASE)
NEGATORS = frozenset({"not", "no", "never", "cannot", "neither", "nor", "none", "nothing", "without", "hardly",
                      "rarely", "seldom", "nobody", "nowhere"})
# Claim words that coverage drops as stopwords, folded to one term each: they are often all that makes a
# statement wrong ("the same thing", "only for", "always finds").
CLAIM_WORDS = {
    "same": "=same", "identical": "=same", "interchangeable": "=same", "interchangeably": "=same",
    "equivalent": "=same", "synonym": "=same", "synonyms": "=same",
    "only": "=only", "solely": "=only", "just": "=only", "purely": "=only", "exclusively": "=only",
    "always": "=always", "every": "=always", "all": "=always", "any": "=always", "guaranteed": "=always",
    "guarantee": "=always", "guarantees": "=always", "invariably": "=always", "whatever": "=always",
    "more": "=more", "most": "=more", "enough": "=enough", "sufficient": "=enough", "adequate": "=enough",
    "fully": "=fully", "completely": "=fully", "entirely": "=fully", "perfectly": "=fully",
}
# Plain English that coverage keeps but that says nothing about what a statement is about; rare in the rubrics,
# so their weight would be high. Negations are left to polarity.
PLAIN = frozenset(content_terms("lot lots ones toward towards already must should will might may can really still "
                                "even ever much many mean means get gets got go goes actually basically able whole "
                                "bit kind sort done bother")) | NEGATORS | {stem(w) for w in GENERIC} \
    | {stem(w) for w in CLAIM_WORDS}  # counted once, as their claim term
# A statement reported, not asserted: the sentence names it as someone else's view, a mistake or a myth. Compiled (by
# re, which keeps it) when first needed: ~2 ms, and most answers state nothing a misconception does.
_REPORTED = (
    r"\b(?:"
    r"(?:people|some|many|others|folks|teams|juniors|beginners|newcomers)(?: \w+)? (?:say|says|think|thinks|assume|assumes|"
    r"believe|believes|claim|claims|argue|argues|expect|expects|treat|treats)"
    r"|(?:a|the|common|classic|typical|frequent|big|usual) (?:mistake|misconception|myth|fallacy|pitfall|trap|"
    r"misunderstanding|error) (?:is|was|to|of|that|here)"
    r"|misconceptions?|myths?|fallacy|fallacies|misunderstanding|naive(?:ly)?|tempting|mistaken(?:ly)?|wrongly|falsely"
    # "that's wrong", "which is false", "would be a mistake": said of a claim ("predictions that were wrong" is not)
    r"|(?:that's|that is|this is|it's|it is|which is|which was|would be|is simply|is plainly|is just|is completely|"
    r"is totally|is dead) (?:simply |just |plain |dead |completely |totally )?(?:wrong|false|untrue|incorrect|a mistake|"
    r"an error|a trap|a myth|misleading|dangerous|an oversimplification)"
    r"|not (?:true|the case|correct)|(?:isn't|aren't|wasn't) (?:true|the case|correct)"
    r"|contrary to|unlike what|as if|used to (?:think|believe|assume)"
    r"|(?:don't|do not|never|shouldn't|should not|can't|cannot) (?:just |simply |blindly )?(?:assume|believe|think|"
    r"pretend|conclude)"
    r"|(?:the )?(?:assumption|belief|idea|notion|claim) that"
    r")\b")


@dataclass(frozen=True)
class Statement:
    text: str
    terms: frozenset[str]  # its weighted words
    distinct: frozenset[str]  # those no key point and not the prompt has: what it says that they do not
    negations: int
    topic: str  # the rarest word it shares with the question: what it is about, which a stretch must name
    weighted: tuple[tuple[str, float], ...] = ()  # its words with their weights, in a fixed order (sums repeat exactly)

    def carried(self, found: AbstractSet[str]) -> float:
        """The share of its weight that `found` carries: `share(self.terms, found)`, faster."""
        total = sum(w for _, w in self.weighted)
        return sum(w for t, w in self.weighted if t in found) / total if total else 0.0


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


def negations(words: list[str]) -> int:
    return sum(1 for w in words if w in NEGATORS or w.endswith("n't"))


def claim_terms(text: str, weights: TermWeights) -> set[str]:
    """Coverage's terms plus the claim words coverage drops."""
    terms = {_degree_folded(t, weights) for t in weights.terms(text) - PLAIN}
    return terms | {CLAIM_WORDS[w] for w in tokens(text) if w in CLAIM_WORDS}


def _degree_folded(term: str, weights: TermWeights, toward: frozenset[str] = frozenset()) -> str:
    """"safest" and "safer" as "safe": when the bank knows "safe" but not the comparative, or the statement says "safe".

    Only then, so that "layer" is not read as "lay".
    """
    if not term.endswith(("er", "est")) or term in toward:
        return term
    base = term[:-3] if term.endswith("est") else term[:-2]
    for candidate in (base, base + "e", base[:-1], base[:-1] + "y"):
        folded = weights.canonical.get(stem(candidate), stem(candidate))
        if len(candidate) >= 3 and (folded in toward or (term not in weights.idf and folded in weights.idf)):
            return folded
    return term


@dataclass(frozen=True)
class Clause:
    text: str
    terms: frozenset[str]
    negations: int


class Reading:
    """An answer read for statements: its words at once, a sentence's words and clauses only when some statement
    could be in it (most answers state none, and the judge is asked for hundreds of answers a second)."""

    def __init__(self, answer: str, weights: TermWeights):
        self.answer, self.weights = answer, weights
        self.terms = frozenset(claim_terms(answer, weights))
        self._sentences: list[tuple[str, frozenset[str]]] | None = None
        self._clauses: dict[str, tuple[Clause, ...]] = {}
        self._reported: dict[str, bool] = {}

    def sentences(self) -> list[tuple[str, frozenset[str]]]:
        if self._sentences is None:
            self._sentences = [(span.text, frozenset(claim_terms(span.text, self.weights)))
                               for span in sentences(self.answer)]
        return self._sentences

    def clauses(self, sentence: str) -> tuple[Clause, ...]:
        if sentence not in self._clauses:
            self._clauses[sentence] = tuple(Clause(part, frozenset(claim_terms(part, self.weights)),
                                                   negations(tokens(part))) for part in clauses(sentence))
        return self._clauses[sentence]

    def reported(self, sentence: str) -> bool:
        if sentence not in self._reported:
            self._reported[sentence] = reported(sentence)
        return self._reported[sentence]


def read(answer: str, weights: TermWeights) -> Reading:
    return Reading(answer, weights)


def _toward(terms: frozenset[str], statement: Statement, weights: TermWeights) -> frozenset[str]:
    """`terms` with any comparative of a word of the statement read as that word ("safer" for "safest")."""
    degrees = [t for t in terms if t.endswith(_DEGREE) and t not in statement.terms]
    if not degrees:
        return terms
    return terms.difference(degrees).union(_degree_folded(t, weights, statement.terms) for t in degrees)


_DEGREE = ("er", "est")


def reported(text: str) -> bool:
    return bool(re.search(_REPORTED, text, re.IGNORECASE)) or text.rstrip().endswith("?")


def weight(term: str, weights: TermWeights) -> float:
    # A claim word is as telling as a common word of the bank (the lower quartile): it matters, but it is plain
    # English, and "more" must not outweigh "underfitting".
    return _quartile(weights) if term.startswith("=") else weights.weight(term)


_QUARTILES: dict[int, tuple[TermWeights, float]] = {}


def _quartile(weights: TermWeights) -> float:
    cached = _QUARTILES.get(id(weights))
    if cached is None or cached[0] is not weights:
        values = sorted(weights.idf.values())
        cached = _QUARTILES[id(weights)] = (weights, values[len(values) // 4] if values else weights.default)
    return cached[1]


def share(target: AbstractSet[str], found: AbstractSet[str], weights: TermWeights) -> float:
    total = math.fsum(weight(t, weights) for t in target)
    return math.fsum(weight(t, weights) for t in target & found) / total if total else 0.0


def statement_of(text: str, question: Question, weights: TermWeights) -> Statement | None:
    """The misconception as a statement, or None when its words alone cannot tell it from a key point."""
    terms = frozenset(claim_terms(text, weights))
    said = set(claim_terms(question.prompt, weights))
    for point in question.key_points:
        said |= claim_terms(point, weights)
    count = negations(tokens(text))
    shared = [t for t in terms & said if not t.startswith("=")] or [t for t in terms if not t.startswith("=")] or list(terms)
    topic = max(sorted(shared), key=lambda t: weight(t, weights))
    statement = Statement(text, terms, frozenset(terms - said), count, topic,
                          tuple((t, weight(t, weights)) for t in sorted(terms)))
    if statement.distinct:
        return statement
    closest = max(question.key_points, key=lambda p: share(terms, claim_terms(p, weights), weights))
    if negations(tokens(closest)) % 2 != count % 2:
        return statement  # the same words, the opposite polarity: polarity alone tells them apart
    return None


def clauses(sentence: str) -> list[str]:
    return [part for part in _CLAUSE_BREAK.split(sentence) if part and part.strip()]


def stated_in(statement: Statement, answer: Reading, weights: TermWeights) -> str:
    """The sentence of the answer (as `read`) that states `statement`, or "" when none does."""
    covers = COVERS if statement.distinct else COVERS_ALL
    if statement.carried(_toward(answer.terms, statement, weights)) < covers:
        return ""
    for text, terms_read in answer.sentences():
        if statement.carried(_toward(terms_read, statement, weights)) < covers or answer.reported(text):
            continue
        # Of the stretches that carry the statement, the one that carries most of it, and the shortest of those,
        # decides its polarity: "not the same, but both need monitoring" is denied in its first clause, and
        # "we didn't need tests, because the metric showed it worked" asserted across both.
        parts = [Clause(c.text, _toward(c.terms, statement, weights), c.negations) for c in answer.clauses(text)]
        best: tuple[float, list[Clause]] | None = None
        for size in range(1, min(MAX_CLAUSES, len(parts)) + 1):
            for begin in range(len(parts) - size + 1):
                stretch = parts[begin:begin + size]
                terms = frozenset().union(*(c.terms for c in stretch))
                carried = statement.carried(terms)
                if statement.topic not in terms or carried < covers:
                    continue
                if statement.distinct and not _distinct_said(statement, stretch, weights):
                    continue
                if best is None or carried > best[0]:
                    best = (carried, stretch)
        if best is not None and sum(c.negations for c in best[1]) % 2 == statement.negations % 2:
            return text
    return ""


def _distinct_said(statement: Statement, parts: list[Clause], weights: TermWeights) -> bool:
    """Enough of the distinguishing words, each in a clause that speaks of the statement's things.

    That is, a clause that names another word of the statement, or names nothing else ("if it hasn't
    changed"). "the inputs look the same but their relationship changed" uses "same" of something else
    than the statement "data drift and concept drift are the same thing" does.
    """
    said: set[str] = set()
    for part in parts:
        ours = part.terms & statement.terms
        if len(ours) >= 2 or part.terms <= statement.terms:
            said |= ours & statement.distinct
    return share(statement.distinct, said, weights) >= DISTINCT
