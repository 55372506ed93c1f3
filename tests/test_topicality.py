"""Off-topic answers: the bank's other questions are the negatives (core/grading/topicality.py)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader
from mockmle.core.grading.topicality import Topicality

CALIBRATION = [json.loads(line) for line in (Path(__file__).parent / "data" / "calibration.jsonl").open()]
STRONG = [row for row in CALIBRATION if row["band"] >= 3]

GRADIENT_DESCENT = ("Gradient descent updates the weights against the gradient of the loss, scaled by a learning rate. "
                    "Stochastic and mini-batch variants trade noise for speed, momentum smooths the updates, and Adam or "
                    "Adagrad adapt the step per parameter, Adam with bias correction of its moment estimates.")
DEPLOYMENT = ("I package the model with its preprocessing in a container, pin the library versions, serve it behind an "
              "API with a canary release, watch latency and prediction drift on dashboards, and keep the previous "
              "version ready so I can roll back in one step.")


@pytest.fixture(scope="module")
def topicality(bank):
    return Topicality(bank)


def grade(bank, question_id: str, answer: str):
    question = bank.question(question_id)
    return OfflineGrader(bank).grade(GradeRequest(question_text=question.prompt, question=question, answer=answer))


def test_no_right_answer_is_read_as_off_topic(bank, topicality):
    flagged = [row["id"] for row in STRONG if topicality.off_topic(row["question_id"], row["answer"])]
    flagged += [point for q in bank.questions.values() for point in q.key_points if topicality.off_topic(q.id, point)]
    assert flagged == []


def test_strong_answers_moved_to_another_question_of_their_stage_are_off_topic(bank, topicality):
    rng = random.Random(7)
    moved = []
    for row in STRONG:
        stage = bank.question(row["question_id"]).stage
        others = [q.id for q in bank.questions_for(stage) if q.id != row["question_id"]]
        moved.append((rng.choice(others), row["answer"]))
    caught = [(qid, answer) for qid, answer in moved if topicality.off_topic(qid, answer)]
    assert len(caught) >= 0.7 * len(moved)  # measured 26 of 34; close topics (bias-variance, overfitting) overlap
    assert all(grade(bank, qid, answer).band <= 1 for qid, answer in caught)


def test_a_fluent_answer_to_another_question_scores_at_most_one(bank):
    gradient = grade(bank, "technical.bias-variance", GRADIENT_DESCENT)
    assert gradient.band <= 1, gradient.explanation
    assert not next(c for c in gradient.checks if c.id == "on-topic").passed
    assert any("off topic" in step for step in gradient.explanation)
    assert grade(bank, "technical.bias-variance", DEPLOYMENT).band == 0
    assert grade(bank, "technical.gradient-descent", GRADIENT_DESCENT).band >= 2  # the same answer where it belongs


def test_an_answer_that_addresses_nothing_asked_scores_zero_not_one(bank):
    unrelated = grade(bank, "technical.bias-variance", "I enjoy hiking at weekends and I cook a lot of pasta with friends.")
    assert unrelated.band == 0, unrelated.explanation
    thin = grade(bank, "technical.overfitting-underfitting", "Overfitting is bad.")  # on topic, covers a little
    assert thin.band == 1


def test_questions_about_the_same_thing_are_not_each_others_off_topic(bank):
    """'How have you deployed models?' and 'what do you need to ship this pickled model?' are siblings: a deployment
    answer to one is on topic for the other, while an answer about gradient descent is still off topic for
    bias-variance."""
    topicality = Topicality(bank)
    assert "applied-ml.beyond-model-file" in topicality.siblings["screening.deployment"]
    assert "technical.gradient-descent" not in topicality.siblings["technical.bias-variance"]
    assert topicality.off_topic("screening.deployment",
                                "I package the model in a container behind an API and monitor it.") is None
