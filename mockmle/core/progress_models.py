"""What a candidate's progress looks like when shown: levels, weak areas with their evidence, checks, what is due.
Built by `mockmle.app.progress_view.build_progress`; drawn by the Progress screen and the reports."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

DESIRED_RETENTION = 0.9  # FSRS's default: an item is due when its predicted recall falls to this


class View(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Point(View):
    date: str
    level: float = Field(description="Mean competency level that day (or span of days), 0-4.")
    answers: int


class CompetencyProgress(View):
    id: str
    name: str
    stages: list[str]
    level: float = Field(description="Recency-weighted level, 0-4.")
    spread: float = Field(description="Plus or minus this much, in levels.")
    confidence: str
    trend: float = Field(description="Change across the last few answers, in levels.")
    trend_label: str
    answers: int
    last_at: str
    series: list[Point] = Field(default_factory=list)


class AnswerEvidence(View):
    session_id: str
    position: int
    question_id: str
    question: str
    at: str
    status: str
    band: int | None
    missed: list[str] = Field(default_factory=list, description="Areas this answer missed.")


class AreaProgress(View):
    area: str
    question_ids: list[str]
    stages: list[str]
    coverage: float = Field(description="Recency-weighted coverage, 0-1 (covered 1, partly 0.5, missed 0).")
    spread: float
    confidence: str
    trend_label: str
    answers: int
    last_at: str
    due_at: str | None
    weak: bool


class WeakArea(AreaProgress):
    evidence: list[AnswerEvidence]
    key_points: list[str] = Field(description="What a strong answer says: the key points those answers missed.")


class CheckProgress(View):
    id: str
    description: str
    pass_rate: float
    answers: int
    trend_label: str
    last_at: str


class MisconceptionSeen(View):
    misconception: str
    count: int
    first_at: str
    last_at: str


class DueItem(View):
    kind: str = Field(description="question or area")
    key: str
    label: str
    question_ids: list[str]
    due_at: str
    lapses: int = Field(description="How many answers went badly (rated Again or Hard).")
    last_value: float
    recall: float = Field(description="FSRS's predicted probability, 0-1, of recalling it now.")

    @property
    def recall_text(self) -> str:
        """"recall 62%"; "just missed" for an item due because its last answer went badly, not because memory has
        faded (FSRS brings those back at once, while it still predicts recall above the 90% it schedules for)."""
        return "just missed" if self.recall >= DESIRED_RETENTION else f"recall {self.recall:.0%}"


class Progress(View):
    generated_at: str
    sessions: int
    answers: int
    competencies: list[CompetencyProgress]
    weakest: list[WeakArea]
    areas: list[AreaProgress]
    checks: list[CheckProgress]
    delivery: list[CheckProgress] = Field(default_factory=list, description="How spoken answers were delivered.")
    misconceptions: list[MisconceptionSeen]
    due: list[DueItem]
