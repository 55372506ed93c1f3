"""`mockmle grade` makes its requests without validating them (cli/grading.py): the request is the one validation
would make, and a grade never builds the request's schema, which holds the bank Question's (issue 18)."""

from grade_probe import grade_building
from mockmle.cli.grading import build_request
from mockmle.core.grading.models import Grade, GradeRequest, Provenance


def test_a_built_request_is_the_validated_one(services):
    cases = [
        dict(question_id="technical.bias-variance"),
        dict(question_text="What is the bias-variance trade-off?"),
        dict(question_text="Design a recommender for a bookshop", reference="Start from co-purchase data."),
    ]
    for case in cases:
        built = build_request(services, "An answer.", **case)
        question = built.question
        validated = GradeRequest(question_text=built.question_text, question=question, answer="An answer.",
                                 reference=case.get("reference"), stage=question.stage if question else None)
        assert built == validated
        assert built.model_fields_set == validated.model_fields_set
        assert built.model_dump() == validated.model_dump()
    assert build_request(services, "x", question_id="technical.bias-variance").question is not None
    assert build_request(services, "x", question_text="Design a recommender for a bookshop").question is None


def test_default_lists_are_fresh_for_each_grade():
    first, second = (Grade(band=1, provenance=Provenance(judge="offline", judge_version="v", rubric_version="r"))
                     for _ in range(2))
    first.areas.append("changed")  # type: ignore[arg-type]
    assert second.areas == [] and second.competencies == {}


def test_a_grade_does_not_build_the_request_schema(tmp_path):
    done = grade_building(tmp_path, "GradeRequest")
    assert done.returncode == 0, done.stderr
    assert "complete False" in done.stderr
