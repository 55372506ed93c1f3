"""The model answer built from a question's key points (core/model_answer.py): spoken prose the offline judge
grades highly."""

from __future__ import annotations

from collections import Counter

import pytest

from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader
from mockmle.core.model_answer import model_answer
from mockmle.core.phrasebook import Phrasebook
from mockmle.core.text import content_terms
from mockmle.resources import data_dir


@pytest.fixture(scope="module")
def phrasebook():
    return Phrasebook.load(data_dir("prompts") / "offline_interviewer.toml")


def test_guide_answer_is_first_person_prose_with_every_key_point(bank, phrasebook):
    question = bank.question("applied-ml.beyond-model-file")
    answer = model_answer(question, phrasebook)
    assert answer.source == "guide" and answer.label == "Built from the interview guide"
    assert not any(line.lstrip().startswith(("-", "*", "•")) for line in answer.text.splitlines())
    assert 2 <= answer.text.count("\n\n") + 1 <= 4  # a few paragraphs
    assert "I need the exact preprocessing and feature code" in answer.text
    assert "so only load files from trusted sources or use a safer format" in answer.text
    assert "the libraries and their pinned versions" in answer.text  # "their" is the libraries' here
    assert any(c in answer.text for c in phrasebook.model_answer_connectives)
    said = {t.rstrip("s") for t in content_terms(answer.text)}  # "uses" is said "use"
    for point in question.key_points:
        expected = {t.rstrip("s") for t in content_terms(point.split(" ", 1)[1])} - {"use"}  # "use": a generic word
        assert expected <= said, point


def test_a_question_about_the_past_is_told_as_a_story(bank, phrasebook):
    question = bank.question("applied-ml.end-to-end-system")
    assert question.behavioural
    paragraphs = model_answer(question, phrasebook).text.split("\n\n")
    assert [p.split(":")[0] for p in paragraphs] == ["Situation first", "My task was this" if "My task was this:" in
                                                     paragraphs[1] else "My task was what I personally owned in it, and "
                                                     "what had to be true for it to count as done.", "What I did",
                                                     "The result"]
    assert "I named the components end to end" in paragraphs[2]  # told in the past tense
    assert "I was clear about which parts I built myself" in paragraphs[2]  # the candidate's pronouns said as "I"


def test_statements_of_fact_are_said_as_they_are(bank, phrasebook):
    text = model_answer(bank.question("technical.bias-variance"), phrasebook).text
    assert "ias is error from overly simple assumptions" in text and "Expected squared error splits" in text
    assert "I bias" not in text and "I expected" not in text


def test_same_question_same_answer(bank, phrasebook):
    question = bank.question("screening.algorithm-selection")
    assert model_answer(question, phrasebook) == model_answer(question, phrasebook)


def test_every_guide_answer_grades_well_with_the_offline_judge(bank, phrasebook):
    """Measured over the whole bank (at this commit: knowledge questions 40 at band 4, 7 at 3; behavioural all 16
    at 4). A behavioural answer is told as a STAR story; a part no key point speaks to is said by the phrasebook's
    line pointing at the candidate's own project, so it grades on the story's shape, not on facts the guide lacks."""
    judge = OfflineGrader(bank)
    bands: dict[bool, Counter] = {True: Counter(), False: Counter()}
    for question in bank.questions.values():
        text = model_answer(question, phrasebook).text
        grade = judge.grade(GradeRequest(question_text=question.prompt, question=question, answer=text))
        bands[question.behavioural][grade.band] += 1
    print("guide answers' bands: knowledge", dict(bands[False]), "behavioural", dict(bands[True]))
    assert min(bands[False]) >= 3
    assert sum(n for band, n in bands[False].items() if band == 4) >= 0.8 * sum(bands[False].values())
    assert min(bands[True]) >= 3
