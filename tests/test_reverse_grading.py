"""Reverse stage: a candidate is credited for the questions they ask and for the warning signs they say they would
look for, in their own words."""

from __future__ import annotations

from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader

ON_CALL = "reverse.on-call"
ASKS = "I'd ask how on-call works here and how often people get paged."
SIGNS = " It would worry me if frequent night pages were treated as normal, or a few people are always expected to answer."


def grade(bank, answer, question_id="reverse.why-open"):
    question = bank.question(question_id)
    return OfflineGrader(bank).grade(GradeRequest(question_text=question.prompt, question=question, answer=answer))


def test_the_signs_a_candidate_would_look_for_earn_credit(bank):
    asks, asks_and_signs = grade(bank, ASKS, ON_CALL), grade(bank, ASKS + SIGNS, ON_CALL)
    assert asks_and_signs.band > asks.band, (asks.explanation, asks_and_signs.explanation)
    check = next(c for c in asks_and_signs.checks if c.id == "names-warning-signs")
    assert check.passed and "Frequent night pages treated as normal" in check.parts_found
    assert len(next(c for c in asks.checks if c.id == "names-warning-signs").parts_found) < len(check.parts_found)


def test_why_the_last_person_left_is_asking_why_the_position_is_open(bank):
    result = grade(bank, "Why is this role open now, why did the previous person leave?")
    area = next(a for a in result.areas if a.area.startswith("Why the position is open"))
    assert area.status != "missed" and result.band >= 1


def test_signs_are_not_credited_outside_the_reverse_stage(bank):
    question = bank.question("technical.bagging-vs-boosting")
    result = OfflineGrader(bank).grade(GradeRequest(question_text=question.prompt, question=question,
                                                    answer="Bagging trains models in parallel on bootstrap samples."))
    assert all(c.id != "names-warning-signs" for c in result.checks)
