"""Wrong statements in an answer: one finder the judge and the interviewer share.

`find_misconceptions` returns the wrong ideas the bank lists that an answer states: the
contrasts of rubrics/claims.toml (a property said of the wrong one of two subjects), and each
question's own `misconceptions`, read as statements by grading/statements.py (most of their
rarer words in one stretch of a sentence, with the same polarity, asserted rather than reported).
The offline judge caps the band for each; the interview engine probes the first one with a
follow-up. A new misconception check belongs here, so that both get it.

`find_loose_definitions` serves the interviewer only and never changes a grade: a sentence
that defines a subject the question asks about (the subject of a key point, such as
"Unsupervised learning finds structure in unlabelled data") but shares almost nothing with what
the key points say about it, as in "unsupervised is when it trains on its own overnight". It
asks the candidate to be precise, so it stays cautious: it needs the shape of a definition
("X is", "X means", "X is when"), and it is silent when the answer states that key point
anywhere. tests/test_interview.py measures that it stays silent on every strong calibration answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mockmle.core.bank import Bank
from mockmle.core.bank_models import Question
from mockmle.core.coverage import cover
from mockmle.core.grading.claims import check_contrast
from mockmle.core.grading.statements import Statement, read, stated_in, statement_of
from mockmle.core.text import content_terms, sentences

SUBJECT_WORDS = 3  # a key point's subject is at most its first three words
SHARES_ALMOST_NONE = 0.1  # rarity-weighted share of the sentence's content found in the key points
MIN_TERMS = 2  # a sentence must say at least this much beyond naming the subject
_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*|[=:]")
# "X is when ...", "X means ...", "X = ...": the words that make a sentence a definition of X.
_DEFINES = re.compile(r"(?:is|are)(?: (?:basically|just|simply|essentially))? (?:when|where|about|like|a|an|the|how)"
                      r"|(?:is|are) (?:basically|just|simply|essentially)|means?|refers|=|:")
# Verbs a question asks with: a key point opening with one ("Describes the ...") has no subject.
_ASKING = frozenset(content_terms("describe explain tell give walk discuss talk share compare define detect address "
                                  "handle choose determine look find know check decide show say"))
_LEADS = 3  # tokens after the subject in which the defining word must come
# A listed misconception found by its words is a serious error, but a lexical match is not a certain one: the cap
# leaves room for an answer that is otherwise strong (see tests/test_misconceptions.py for what was measured).
STATED_CAP = 2


@dataclass(frozen=True)
class Misconception:
    misconception: str  # the wrong idea, in the bank's words
    evidence: str  # the answer's sentence that states it
    cap: int  # the band the judge caps the answer at
    reason: str  # why, in plain words, for the grade's explanation


def find_misconceptions(bank: Bank, question: Question | None, answer: str) -> list[Misconception]:
    found = []
    for contrast in bank.contrasts.values():
        if not contrast.applies_to(question):
            continue
        finding = check_contrast(contrast, answer)
        if finding.reversed:
            wrong = contrast.misconception
            found.append(Misconception(misconception=wrong, evidence=finding.evidence, cap=contrast.cap,
                                       reason=f"said the wrong way round: {wrong[0].lower()}{wrong[1:]}"))
    if question is None:
        return found
    named = {f.misconception for f in found}
    statements = [s for s in _statements(bank, question) if s.text not in named]
    reading = read(answer, bank.weights)
    for statement in statements:
        evidence = stated_in(statement, reading, bank.weights)
        if evidence:
            found.append(Misconception(misconception=statement.text, evidence=evidence, cap=STATED_CAP,
                                       reason=f"states a misconception: {statement.text[0].lower()}{statement.text[1:]}"))
    return found


_STATEMENTS: dict[tuple[int, str], tuple[object, list[Statement]]] = {}


def _statements(bank: Bank, question: Question) -> list[Statement]:
    """The question's misconceptions as statements, worked out once per bank's weights."""
    weights = bank.weights
    key = (id(weights), question.id)
    cached = _STATEMENTS.get(key)
    if cached is None or cached[0] is not weights:
        built = [s for text in question.misconceptions if (s := statement_of(text, question, weights)) is not None]
        cached = _STATEMENTS[key] = (weights, built)
    return cached[1]


@dataclass(frozen=True)
class LooseDefinition:
    subject: str  # as the key point names it, e.g. "Unsupervised learning"
    statement: str  # the answer's sentence
    key_points: tuple[str, ...]  # what the bank says about the subject


@dataclass(frozen=True)
class _Subject:
    text: str
    terms: frozenset[str]  # all of the subject's stems
    head: frozenset[str]  # the stems a sentence must name: those no other subject of the question shares
    key_points: tuple[str, ...]


def _subjects(question: Question) -> list[_Subject]:
    """Key points that open with words the question itself uses ("Overfitting means ..."), by subject."""
    asked = set(content_terms(question.prompt))
    grouped: dict[tuple[str, ...], tuple[str, list[str]]] = {}
    for point in question.key_points:
        lead: list[str] = []
        for word in point.split()[:SUBJECT_WORDS]:
            stems = content_terms(word)
            if not stems or not set(stems) <= asked or set(stems) & _ASKING or word.endswith("ly") \
                    or set(stems) & {s for w in lead for s in content_terms(w)}:
                break  # a verb of the question's ("Describes ..."), an adverb, or "learning learns"
            lead.append(word.strip(",.;:()"))
            if word[-1] in ",.;:)":
                break
        if lead:
            key = tuple(s for w in lead for s in content_terms(w))
            grouped.setdefault(key, (" ".join(lead), []))[1].append(point)
    subjects = []
    for key, (text, points) in grouped.items():
        others = {s for k in grouped if k != key for s in k}
        head = frozenset(key) - others or frozenset(key)
        subjects.append(_Subject(text, frozenset(key), head, tuple(points)))
    return subjects


def _defines(tokens: list[str], head: frozenset[str], subject: frozenset[str]) -> bool:
    """True when the subject is named and then, within a few words, defined ("is when", "means")."""
    stems = [content_terms(t)[0] if content_terms(t) else t for t in tokens]
    for i, term in enumerate(stems):
        if term not in head:
            continue
        j = i + 1
        while j < len(stems) and stems[j] in subject:  # the rest of the subject: "unsupervised learning"
            j += 1
        window = tokens[j:j + _LEADS]
        if any(_DEFINES.fullmatch(" ".join(window[:n])) for n in range(1, len(window) + 1)):
            return True
    return False


def find_loose_definitions(bank: Bank, question: Question, answer: str) -> list[LooseDefinition]:
    weights = bank.weights
    found = []
    for subject in _subjects(question):
        if any(r.status != "missed" for r in cover(subject.key_points, answer, weights)):
            continue  # the answer says it right somewhere
        said = set().union(*(weights.terms(p) for p in subject.key_points)) - subject.terms
        said |= {t[2:] for t in said if t.startswith("un") and t[2:] in weights.idf}  # "unlabelled" speaks of labels
        for span in sentences(answer):
            if not _defines(_TOKEN.findall(span.text.lower()), subject.head, subject.terms):
                continue
            terms = weights.terms(span.text) - subject.terms
            if len(terms) >= MIN_TERMS and weights.overlap(terms, said) <= SHARES_ALMOST_NONE:
                found.append(LooseDefinition(subject=subject.text, statement=span.text, key_points=subject.key_points))
                break
    return found
