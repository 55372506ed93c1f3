"""Precision before recall: no cap and no failed rule check lands on a right answer."""

from __future__ import annotations

import pytest

from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader
from mockmle.core.grading.signals import read_signals
from mockmle.core.text import stem


def capped(bank, question, answer) -> list[str]:
    grade = OfflineGrader(bank).grade(GradeRequest(question_text=question.prompt, question=question, answer=answer))
    return [line for line in grade.explanation if line.startswith("capped at")]


def test_no_key_point_given_back_as_the_answer_is_capped(bank):
    found = [(q.id, k, c) for q in bank.questions.values() for k in q.key_points if (c := capped(bank, q, k))]
    assert found == []


def test_no_strong_development_answer_is_capped(bank, strong_dev_answers):
    found = [(r.id, c) for r in strong_dev_answers if (c := capped(bank, bank.question(r.question_id), r.answer))]
    assert found == []


@pytest.mark.parametrize("answer", [
    "Raising model complexity usually lowers bias and raises variance",
    "Regularisation, cross-validated tuning and ensembles manage the balance: bagging mainly cuts variance, "
    "boosting mainly cuts bias",
    "Names the three families of feature selection: filter (correlation, mutual information), wrapper (recursive "
    "feature elimination) and embedded (L1, tree-based importance)",
])
def test_a_terse_statement_is_not_keyword_salad(answer):
    assert not read_signals(answer).keyword_salad


@pytest.mark.parametrize("answer", [
    "ensemble. bootstrap aggregation. adaboost. gradient boosting. weak learners -> strong learner. variance down",
    "Random forest: decision trees + bagging + bootstrap + Gini + entropy + out-of-bag + majority vote",
    "pytest, unit tests, integration tests, CI/CD, great expectations, data validation, schema checks, mocks",
])
def test_a_list_of_terms_is_still_keyword_salad(answer):
    assert read_signals(answer).keyword_salad


def test_restating_the_question_with_the_word_that_answers_it_is_not_an_echo(bank):
    grader = OfflineGrader(bank)
    question = "How are arrays passed to functions?"
    grade = grader.grade(GradeRequest(question_text=question, reference="By reference.",
                                      answer="Arrays are passed to functions by reference."))
    assert next(c for c in grade.checks if c.id == "not-an-echo").passed and grade.band >= 3
    echo = grader.grade(GradeRequest(question_text=question, reference="By reference.",
                                     answer="Arrays are passed to functions."))
    assert not next(c for c in echo.checks if c.id == "not-an-echo").passed and echo.band == 0


@pytest.mark.parametrize("forms", [("decrease", "decreases", "decreased", "decreasing"), ("tree", "trees"),
                                   ("database", "databases"), ("release", "released", "releases")])
def test_the_forms_of_one_word_share_a_stem(forms):
    assert len({stem(word) for word in forms}) == 1


MENTORING = ("At my current company I mentor two junior engineers. I set up weekly pairing sessions and we review each "
             "other's pull requests; I wrote a short guide on our feature pipeline. Within three months both of them "
             "were shipping model changes on their own, and onboarding time dropped from six weeks to three.")


def test_a_result_written_in_words_is_a_measured_result(bank):
    from mockmle.core.answer_shape import flat_star

    assert read_signals(MENTORING).numbers >= 2
    assert not flat_star(bank, bank.question("team-culture.mentoring"), MENTORING)
    assert read_signals("I'd say it went well and everyone was happy.").numbers == 0
