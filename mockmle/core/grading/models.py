"""What a grade holds. The offline and LLM judges both produce these models.

The offline judge builds them with `model_construct`: every value is its own, of its field's type, and validating
would build these models' schemas, about a tenth of a `mockmle grade`. They are built when first validated or
serialised instead (the LLM judge validates what a model returns; saving a grade serialises it), and `as_data`
gives a grade's JSON without either. tests/test_grade_models.py validates every grade the offline judge gives on
the calibration set and holds `as_data` to `model_dump`.
"""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from mockmle.core.bank_models import Question

AreaStatus = Literal["covered", "partly", "missed"]


class GradeModel(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


# Default factories are Python functions, not the list and dict builtins: pydantic reads each factory's signature
# when it builds a model, and a builtin's is parsed from text with tokenize, a few milliseconds of every start-up.
def new_list() -> list:
    return []


def new_dict() -> dict:
    return {}


class AreaResult(GradeModel):
    area: str
    status: AreaStatus
    evidence: str = Field("", description="Verbatim quote from the answer; empty when missed.")


class CheckResult(GradeModel):
    id: str
    description: str = ""
    passed: bool
    evidence: str = ""
    parts_found: list[str] = Field(default_factory=new_list, description="For multi-part checks: which parts matched.")
    spans: list[tuple[int, int]] = Field(default_factory=new_list, description="Character offsets of the evidence in the answer.")


class MisconceptionFound(GradeModel):
    misconception: str
    evidence: str


class Provenance(GradeModel):
    judge: str = Field(description="'offline' or the model name.")
    judge_version: str
    rubric_version: str
    prompt_version: str | None = None
    fallback: bool = False
    fallback_reason: str | None = Field(None, description="Why the fallback judge graded this turn, in one calm line.")
    meaning: str | None = Field(None, description="The offline judge's sentence-embedding model (e.g. 'all-MiniLM-L6-v2 "
                                "int8'); None when it matched words only.")
    meaning_unavailable: str | None = Field(None, description="Why the meaning model was not used, in one line "
                                            "(a broken install); None when it was used or not wanted.")
    combiner: str | None = Field(None, description="Version of the fitted coefficients that turned evidence into the band.")


Confidence = Literal["high", "low"]


class Grade(GradeModel):
    band: int = Field(ge=0, le=4, description="Overall band 0-4; 0 = no usable information.")
    competencies: dict[str, int] = Field(default_factory=new_dict)
    areas: list[AreaResult] = Field(default_factory=new_list)
    key_points: list[AreaResult] = Field(default_factory=new_list,
                                         description="Key points of a strong answer and whether this one made them.")
    checks: list[CheckResult] = Field(default_factory=new_list)
    misconceptions: list[MisconceptionFound] = Field(default_factory=new_list)
    strength: str = ""
    improvement: str = ""
    explanation: list[str] = Field(default_factory=new_list, description="How the band was reached, in plain words.")
    conflicts: list[str] = Field(default_factory=new_list, description="Where the model's grade and the rule checks disagree.")
    samples: list[int] = Field(default_factory=new_list, description="Self-consistency: the band of each model sample.")
    main_band: int | None = Field(None, ge=0, le=4, description="The band of the answer to the question itself, "
                                  "when follow-ups were answered too (see core/grading/main_answer.py).")
    confidence: Confidence | None = Field(None, description="How sure the judge is of the band: 'low' when the evidence "
                                          "sits near a band boundary or the word and meaning evidence disagree.")
    confidence_reason: str = Field("", description="Why the confidence is low, in plain words.")
    provenance: Provenance

    @property
    def unsure(self) -> bool:
        return self.confidence == "low"

    def missed_areas(self) -> list[str]:
        return [a.area for a in self.areas if a.status == "missed"]


class GradeRequest(GradeModel):
    """Everything a judge needs: the question (from the bank or ad hoc) and the whole answer."""

    # Built when first validated, since its schema holds the bank Question's whole schema (~6 ms): `mockmle grade`
    # makes its requests with model_construct from values it has checked itself, so it never builds it.
    model_config = ConfigDict(defer_build=True)

    question_text: str
    answer: str
    question: Question | None = None
    reference: str | None = None
    stage: str | None = None
    red_flag: str | None = Field(None, description="Reverse stage: the warning sign the company's answer hinted at.")
    red_flag_reply: str | None = Field(None, description="What the candidate said after hearing that answer.")
    main_answer: str | None = Field(None, description="The answer to the question itself, when follow-ups were "
                                    "answered too: it bounds the band (core/grading/main_answer.py).")
    session_id: str | None = None
    position: int | None = None


def as_data(model: BaseModel) -> dict[str, object]:
    """A grade model as JSON-ready data, as `model_dump(mode="json")` gives it, without building pydantic's
    serializer: these models hold only strings, numbers, booleans, None, containers and each other."""
    return {name: _plain(getattr(model, name)) for name in type(model).model_fields}


def _plain(value: object) -> object:
    if isinstance(value, BaseModel):
        return as_data(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


class Grader(Protocol):
    @property
    def name(self) -> str: ...  # "offline", or "llm:MODEL" once the model is known

    def grade(self, request: GradeRequest) -> Grade: ...
