"""A behavioural question answered with what the candidate would do, not what they did, is capped for any judge."""

from __future__ import annotations

import pytest

from mockmle.core.grading.model_band import ModelVerdict, combine
from mockmle.core.grading.models import GradeRequest, Provenance
from mockmle.core.grading.offline import OfflineGrader
from mockmle.core.grading.story import hypothetical

QUESTION = "team-culture.technical-disagreement"
IMAGINED = ("I would first listen carefully to understand why my colleague prefers their approach, and I'd share my own "
            "reasoning with data. Then I'd suggest we run a small experiment to compare both options, and we would "
            "agree up front on the metric that decides. I'd keep it respectful and I'd escalate only if we were stuck.")
TOLD = ("At my last job a colleague wanted to move our feature pipeline to streaming and I thought batch was enough. "
        "I proposed a two-week spike with a latency target we both agreed on; the spike showed batch met it, so we "
        "kept batch. Looking back I would do the same again, and I'd involve the product manager earlier.")


def request(bank, answer):
    question = bank.question(QUESTION)
    return GradeRequest(question_text=question.prompt, question=question, answer=answer)


@pytest.mark.parametrize("text, imagined", [
    (IMAGINED, True), (TOLD, False),
    ("I'd say I handled it well: I talked to him and we agreed.", False),
    ("I wouldn't do it differently.", False),
])
def test_what_counts_as_a_hypothetical(text, imagined):
    assert (hypothetical(text) is not None) == imagined


def test_the_offline_judge_caps_a_hypothetical_and_says_why(bank):
    grade = OfflineGrader(bank).grade(request(bank, IMAGINED))
    check = next(c for c in grade.checks if c.id == "tells-what-happened")
    assert not check.passed and grade.band <= 1
    assert any("hypothetical" in line for line in grade.explanation)
    told = OfflineGrader(bank).grade(request(bank, TOLD))
    assert next(c for c in told.checks if c.id == "tells-what-happened").passed


def test_the_model_band_is_capped_too(bank):
    offline = OfflineGrader(bank).grade(request(bank, IMAGINED))
    grade = combine(bank, request(bank, IMAGINED), offline, [ModelVerdict(model="m", band=3)], 1, False,
                    Provenance(judge="", judge_version="t", rubric_version="t"))
    assert grade.band <= bank.grading.ceilings.no_example
    assert any("a hypothetical caps the model's band 3" in c for c in grade.conflicts)
