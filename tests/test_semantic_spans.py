"""One model pass per sentence: an answer's clauses read as spans of their sentence (`Encoder.encode_spans`), and
many answers encoded together (`SemanticMeaning.prefetch`), with the real model. Span vectors must never make a
grade depend on what was graded before, and batching must never change a number."""

from __future__ import annotations

import numpy as np
import pytest

import mockmle.semantic.meaning as meaning_module
from mockmle.core.grading.semantic_cover import clauses_of
from mockmle.semantic.encoder import Encoder, _pieces
from mockmle.semantic.meaning import SemanticMeaning, reading_plan

ANSWER_A = ("Bagging trains many deep trees on bootstrap samples of the rows, and it averages their votes to cut "
            "variance. Boosting fits shallow trees one after another, each on the errors the ensemble still makes.")
# Says A's first clause as a sentence of its own (the last, with no full stop): its standalone vector must not leak
# into A's grade, nor A's span vector into B's.
ANSWER_B = "Random forests also subsample features. Bagging trains many deep trees on bootstrap samples of the rows"
TARGETS = ["Bagging trains models independently on bootstrap samples.", "Bagging reduces variance.",
           "Boosting trains models sequentially, each correcting the previous ones.", "Boosting reduces bias."]


class Counting(Encoder):
    """The real encoder, counting the texts it runs the model on."""

    def __init__(self):
        super().__init__()
        self.runs: list[list[str]] = []

    def encode_spans(self, texts, spans):
        self.runs.append(list(texts))
        return super().encode_spans(texts, spans)


@pytest.fixture(scope="module")
def encoder():
    return Encoder()


def test_sub_clauses_are_read_from_their_sentence():
    clauses = clauses_of(ANSWER_A)
    plan = reading_plan(clauses)
    sentences = [c for c in clauses if plan[c] == c]
    assert len(sentences) == 2 and all(s.endswith(".") for s in sentences)
    parts = [c for c in clauses if c not in sentences]
    assert len(parts) == 4
    for part in parts:
        parent, start, end = plan[part]
        assert parent in sentences and parent[start:end] == part
    assert reading_plan(["", "  ", "a b c"]) == {"": "", "  ": "  ", "a b c": "a b c"}  # blanks are never spans
    # nested: the innermost text is read from the outermost one
    assert reading_plan(["x y z w", "y z", "z"]) == {"x y z w": "x y z w", "y z": ("x y z w", 2, 5),
                                                     "z": ("x y z w", 4, 5)}


def test_span_vectors_are_unit_length_and_close_to_the_clause_read_alone(encoder):
    clauses = clauses_of(ANSWER_A)
    plan = reading_plan(clauses)
    parts = [c for c in clauses if plan[c] != c]
    parents = list(dict.fromkeys(plan[p][0] for p in parts))
    whole, pooled = encoder.encode_spans(parents, [(parents.index(plan[p][0]), plan[p][1], plan[p][2]) for p in parts])
    assert np.array_equal(whole, encoder.encode(parents))  # whole texts exactly as before (cached rubric vectors)
    assert np.allclose(np.linalg.norm(pooled, axis=1), 1.0, atol=1e-5)
    cosines = pooled @ encoder.encode(parts).T
    # Measured over the calibration answers' 1,089 clauses: mean 0.73 (0.82 for clauses over ten words), 5th
    # percentile 0.47; these clauses of 6-12 words score 0.78-0.91. Each must be nearest its own clause read alone.
    assert (np.diag(cosines) > 0.7).all(), np.diag(cosines)
    assert (cosines.argmax(axis=1) == np.arange(len(parts))).all(), cosines


def test_span_pieces_follow_character_offsets_outside_ascii(encoder):
    encoder.load()
    text = "Naïve Bayes — straße: works well, 🙂 honestly"
    start = text.index("straße")
    encoding = encoder._tokenizer.encode(text)
    tokens = [encoding.tokens[p] for p in _pieces(encoding, start, start + len("straße: works well"))]
    assert tokens == ["st", "##raße", ":", "works", "well"]


def test_a_clause_past_the_cut_is_read_alone(encoder):
    long = " ".join(["the trees vote"] * 120) + ", and bagging averages many deep trees to reduce variance"
    clause = "bagging averages many deep trees to reduce variance"
    start = long.index(clause)
    encoder.load()
    assert encoder._tokenizer.encode(long).overflowing  # the clause is past the model's 256 word pieces
    _, pooled = encoder.encode_spans([long], [(0, start, start + len(clause))])
    assert np.array_equal(pooled[0], encoder.encode([clause])[0])


def test_the_same_answer_always_gets_the_same_numbers(encoder):
    meaning = SemanticMeaning(encoder)
    first = meaning.similarities(TARGETS, clauses_of(ANSWER_A))
    in_b = meaning.similarities(TARGETS, clauses_of(ANSWER_B))
    again = meaning.similarities(TARGETS, clauses_of(ANSWER_A))
    fresh = SemanticMeaning(encoder).similarities(TARGETS, clauses_of(ANSWER_A))
    assert first == again == fresh
    # The shared clause really is read two ways (a span in A, a sentence in B), so the keying mattered: grading the
    # clause on its own first, then A, still gives A's numbers.
    shared = "Bagging trains many deep trees on bootstrap samples of the rows"
    assert shared in clauses_of(ANSWER_A) and shared in clauses_of(ANSWER_B)
    assert reading_plan(clauses_of(ANSWER_A))[shared] != shared and reading_plan(clauses_of(ANSWER_B))[shared] == shared
    clause_first = SemanticMeaning(encoder)
    standalone = clause_first.similarities(TARGETS, [shared])
    assert clause_first.similarities(TARGETS, clauses_of(ANSWER_A)) == first
    column = clauses_of(ANSWER_A).index(shared)
    assert [row[column] for row in first] != [row[0] for row in standalone]
    assert in_b == SemanticMeaning(encoder).similarities(TARGETS, clauses_of(ANSWER_B))


def test_prefetch_gives_exactly_the_numbers_of_similarities_alone_and_then_encodes_nothing():
    answers = [ANSWER_A, ANSWER_B, "Boosting reduces bias; bagging reduces variance, mostly.", "",
               "I would use a random forest first. Then gradient boosting, with early stopping and a small learning "
               "rate, when the last bit of accuracy matters."]
    groups = [clauses_of(a) for a in answers]
    alone = SemanticMeaning(Encoder())
    expected = [alone.similarities(TARGETS, g) for g in groups]
    counting = Counting()
    batched = SemanticMeaning(counting)
    batched.vectors(TARGETS)
    assert batched.prefetch(groups) == len(groups)
    assert len(counting.runs) == 2  # the targets, then every answer's sentences in one call
    assert [batched.similarities(TARGETS, g) for g in groups] == expected
    assert len(counting.runs) == 2  # nothing more was encoded
    # the model read each answer's sentences once; the clauses inside them were spans of those runs
    read = {key if isinstance(key, str) else key[0] for g in groups for key in reading_plan(g).values()}
    assert sorted(counting.runs[1]) == sorted(read) and len(read) < len({c for g in groups for c in g})
    assert batched.prefetch(groups) == len(groups) and len(counting.runs) == 2  # all remembered: nothing to do


def test_prefetch_stops_at_its_limit_but_always_takes_one_group(encoder, monkeypatch):
    monkeypatch.setattr(meaning_module, "_PREFETCH_LIMIT", 7)
    meaning = SemanticMeaning(encoder)
    groups = [clauses_of(ANSWER_A), clauses_of(ANSWER_B)]  # 6 and 2 new vectors
    assert meaning.prefetch(groups) == 1
    assert meaning.prefetch(groups[1:]) == 1
    monkeypatch.setattr(meaning_module, "_PREFETCH_LIMIT", 2)
    assert SemanticMeaning(encoder).prefetch(groups) == 1
    assert meaning.prefetch([]) == 0


def test_memory_stays_bounded(encoder, monkeypatch):
    monkeypatch.setattr(meaning_module, "_MEMORY_LIMIT", 10)
    meaning = SemanticMeaning(encoder)
    meaning.prefetch([clauses_of(ANSWER_A), clauses_of(ANSWER_B)])
    rows = meaning.similarities(TARGETS, clauses_of(ANSWER_A))
    assert len(meaning._memory) <= 10
    assert rows == SemanticMeaning(encoder).similarities(TARGETS, clauses_of(ANSWER_A))


@pytest.mark.parametrize("clauses", [[""], ["   "], ["", "bias and variance", "  ", "bias"], clauses_of("   ")])
def test_blank_clauses_do_not_crash(encoder, clauses):
    meaning = SemanticMeaning(encoder)
    rows = meaning.similarities(["bias"], clauses)
    assert len(rows) == 1 and len(rows[0]) == len(clauses) and all(-1.0 <= v <= 1.0 for v in rows[0])
    assert meaning.prefetch([clauses]) == 1
    whole, pooled = encoder.encode_spans(["bias and variance"], [(0, 4, 4), (0, 4, 5)])
    assert np.isfinite(pooled).all() and np.allclose(np.linalg.norm(pooled, axis=1), 1.0, atol=1e-5)


def test_spans_can_be_turned_off(encoder):
    counting = Counting()
    SemanticMeaning(counting, spans=False).similarities(TARGETS, clauses_of(ANSWER_A))
    assert sorted(counting.runs[-1]) == sorted(clauses_of(ANSWER_A))  # every clause run on its own


def test_word_recall_reads_the_clauses_too_and_prefetch_with_words_leaves_nothing_to_read():
    alone = SemanticMeaning(Encoder())
    expected_recall = alone.word_recall(TARGETS, ANSWER_A, {"bag"})
    expected_rows = alone.similarities(TARGETS, clauses_of(ANSWER_A))
    counting = Counting()
    meaning = SemanticMeaning(counting)
    meaning.vectors(TARGETS)
    runs = len(counting.runs)
    assert meaning.word_recall(TARGETS, ANSWER_A, {"bag"}) == expected_recall
    assert meaning.similarities(TARGETS, clauses_of(ANSWER_A)) == expected_rows
    assert len(counting.runs) - runs == 1  # the targets' words and the answer's sentences, in one call
    batched = SemanticMeaning(counting)
    batched.vectors(TARGETS)
    batched.word_recall(TARGETS, "Warm the targets' words up.")
    assert batched.prefetch([clauses_of(ANSWER_A), clauses_of(ANSWER_B)], words=True) == 2
    runs = len(counting.runs)
    assert batched.word_recall(TARGETS, ANSWER_A, {"bag"}) == expected_recall
    assert batched.similarities(TARGETS, clauses_of(ANSWER_A)) == expected_rows
    assert len(counting.runs) == runs  # read by the prefetch
