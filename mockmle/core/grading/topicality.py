"""Is the answer about the question asked? The bank's other questions are the natural negatives.

Each question's vocabulary is its prompt, areas, key points and follow-ups. An answer whose
content words (weighted by rarity) land in another question's vocabulary at least OFF_TOPIC_RATIO
times as much as in its own question's, while its own share stays under OWN_BELOW, answers that
other question. Questions that share SIBLINGS_AT of their vocabulary (the smaller one's, by weight)
ask about the same thing ("How have you deployed models?" and "What do you need to ship this
pickled model?"): an answer to one is not off topic for the other. Measured before use
(tests/test_topicality.py): no band-3/4 calibration answer and none of the bank's key points given
back as answers are flagged; strong answers moved to another question of the same stage are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mockmle.core.bank import Bank

OFF_TOPIC_RATIO = 2.0
OWN_BELOW = 0.4
OTHER_AT_LEAST = 0.2  # an answer that matches nothing anywhere is not "about another question"
SHARED_AT_LEAST = 2  # nor is one that shares a single stray word with it ("go" in "You go downhill")
SIBLINGS_AT = 0.3  # about 1% of the bank's question pairs share this much of their vocabulary


@dataclass(frozen=True)
class OffTopic:
    other_question_id: str
    own: float  # share of the answer's weighted words in its own question's vocabulary
    other: float  # the same share for the other question


class _Siblings(dict[str, frozenset[str]]):
    """Each question's siblings, worked out when first asked for: a grade needs its own question's row only, not
    every pair of the bank (which took most of the judge's start)."""

    def __init__(self, vocabulary: dict[str, set[str]], mass: Callable[[set[str]], int]):
        super().__init__()
        self.vocabulary, self.mass = vocabulary, mass
        self.own = {qid: mass(words) for qid, words in vocabulary.items()}

    def __missing__(self, question_id: str) -> frozenset[str]:
        words, own, mass = self.vocabulary[question_id], self.own, self.mass
        row = frozenset(other_id for other_id, other in self.vocabulary.items() if other_id != question_id
                        and mass(words & other) >= SIBLINGS_AT * min(own[question_id], own[other_id]))
        self[question_id] = row
        return row


class Topicality:
    def __init__(self, bank: Bank):
        self.weights = bank.weights
        terms = self.weights.terms  # each text's terms are in the weights' cache when the bank came from its own
        self.vocabulary = {q.id: set().union(*map(terms, [q.prompt, *q.areas, *q.key_points, *q.follow_ups]))
                           for q in bank.questions.values()}
        self.siblings = _Siblings(self.vocabulary, self.weights.mass)

    def off_topic(self, question_id: str, answer: str) -> OffTopic | None:
        own_words = self.vocabulary.get(question_id)
        terms = self.weights.terms(answer)
        if own_words is None or not terms:
            return None
        total, mass = self.weights.mass(terms), self.weights.mass
        own = mass(terms & own_words) / total
        other_id, other = max(((qid, mass(shared) / total) for qid, words in self.vocabulary.items()
                               if qid != question_id and qid not in self.siblings[question_id]
                               and len(shared := terms & words) >= SHARED_AT_LEAST),
                              key=lambda pair: pair[1], default=("", 0.0))
        if other_id and own < OWN_BELOW and other >= max(OTHER_AT_LEAST, OFF_TOPIC_RATIO * own):
            return OffTopic(other_question_id=other_id, own=own, other=other)
        return None
