"""An answer that copies the interviewer's area headings names topics without saying anything about them."""

from __future__ import annotations

from collections import Counter

import mockmle.core.grading.offline as offline
from mockmle.core.grading.models import GradeRequest


def grade(bank, question_id, answer):
    question = bank.question(question_id)
    return offline.OfflineGrader(bank).grade(GradeRequest(question_text=question.prompt, question=question, answer=answer))


def test_the_seven_headings_of_bias_variance_are_not_an_answer(bank):
    headings = bank.question("technical.bias-variance").areas
    assert grade(bank, "technical.bias-variance", ". ".join(headings) + ".").band <= 1


def test_headings_copied_as_a_list_score_at_most_1_on_almost_every_question(bank):
    bands = Counter()
    for question in bank.questions.values():
        for join in (". ", "\n", ", "):
            bands[grade(bank, question.id, join.join(question.areas) + ".").band] += 1
    total = sum(bands.values())
    assert bands[3] + bands[4] == 0, bands
    assert (bands[0] + bands[1]) / total >= 0.95, bands


def test_a_statement_in_the_rubrics_words_keeps_its_credit(bank, monkeypatch):
    """Every key point given back as an answer grades exactly as it did before the heading rule."""
    with_rule = {(q.id, k): grade(bank, q.id, k).band for q in bank.questions.values() for k in q.key_points}
    monkeypatch.setattr(offline, "_headings_are_not_content", lambda results, *rest: results)
    without = {(q.id, k): grade(bank, q.id, k).band for q in bank.questions.values() for k in q.key_points}
    assert with_rule == without


def test_naming_the_concept_inside_a_real_answer_keeps_its_credit(bank):
    answer = ("It's Simpson's paradox. It happens when the two arms have a different mix of regions: if the new "
              "model's arm got far more traffic from the high-converting region, its overall rate looks higher even "
              "if it is worse inside every region. I'd check the randomisation and compare within each region.")
    result = grade(bank, "science.simpsons-paradox", answer)
    assert next(a for a in result.areas if a.area == "Simpson's paradox").status != "missed"
    assert result.band >= 2
