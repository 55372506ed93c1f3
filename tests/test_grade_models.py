"""The offline judge builds its grades without validating them (core/grading/models.py): each one is a grade
validation accepts, `as_data` is its `model_dump`, and a `mockmle grade` builds no grade schema (issue 18)."""

import json
from pathlib import Path

from grade_probe import grade_building
from mockmle.core.grading.models import Grade, GradeRequest, as_data

DATA = Path(__file__).parent / "data"


def _answers():
    for name in ("calibration.jsonl", "paraphrases.jsonl"):
        for line in (DATA / name).read_text().splitlines():
            row = json.loads(line)
            yield row["question_id"], row["answer"]


def test_every_offline_grade_is_a_valid_grade_and_as_data_is_its_dump(services):
    judge, bank = services.offline_grader, services.bank
    graded = 0
    for question_id, answer in _answers():
        question = bank.question(question_id)
        grade = judge.grade(GradeRequest(question_text=question.prompt, question=question, answer=answer))
        data = as_data(grade)
        assert data == grade.model_dump(mode="json")
        assert as_data(Grade.model_validate(data)) == data  # validation accepts it and changes nothing
        graded += 1
    assert graded == 144  # 110 calibration answers and 34 paraphrases


def test_as_data_of_an_empty_answer_and_a_reference_grade(services):
    for request in (GradeRequest(question_text="What is overfitting?", answer=""),
                    GradeRequest(question_text="What is overfitting?", answer="It memorises the noise.",
                                 reference="A model that fits noise in the training data and generalises badly.")):
        grade = services.offline_grader.grade(request)
        assert as_data(grade) == grade.model_dump(mode="json")
        Grade.model_validate(as_data(grade))


def test_a_grade_command_builds_no_grade_schema(tmp_path):
    done = grade_building(tmp_path, "Grade")
    assert done.returncode == 0, done.stderr
    assert "complete False" in done.stderr
    printed = json.loads(done.stdout)
    assert 0 <= printed["score"] <= 4 and printed["provenance"]["judge"] == "offline" and "band" not in printed
