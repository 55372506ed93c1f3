"""How a practice session ends: what improved since last time, what is still weak, what is due next.

A drill (questions chosen from the candidate's weak spots) or a reverse-interview practice is no
evidence for a hire, so it ends with this summary instead of a recommendation. Pure: the caller
reads the candidate's earlier results from the progress tables and passes them in as `Earlier`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mockmle.core.bank import Bank
from mockmle.core.grading.models import Grade
from mockmle.core.interview import InterviewState
from mockmle.core.progress import AREA_VALUES

AREA_WORDS = {1.0: "covered", 0.5: "partly covered", 0.0: "missed"}
WEAK_SCORE = 1.5  # a question scored below this (of 4) is still weak
MAX_WEAK = 4
MAX_IMPROVED = 4
MAX_DUE = 3


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DueNext(Model):
    label: str
    due_at: str


class Earlier(Model):
    """The candidate's results before this session: the last score of each question and area."""

    questions: dict[str, float] = Field(default_factory=dict, description="Question id -> last score, 0-4.")
    areas: dict[str, float] = Field(default_factory=dict, description="Area -> last coverage: 1, 0.5 or 0.")
    due: list[DueNext] = Field(default_factory=list, description="What the schedule asks for next, soonest first.")


class Change(Model):
    kind: Literal["question", "area"]
    label: str
    before: float
    now: float

    @property
    def text(self) -> str:
        if self.kind == "question":
            return f"{self.label}: {self.before:g}/4 \u2192 {self.now:g}/4"
        before, now = (AREA_WORDS.get(value, f"{value:.0%}") for value in (self.before, self.now))
        return f"{self.label}: {before} \u2192 {now}"


class PracticeSummary(Model):
    kind: Literal["drill", "reverse"]
    improved: list[Change] = Field(default_factory=list)
    still_weak: list[str] = Field(default_factory=list)
    compared: int = Field(0, description="How many of this session's questions had been answered before.")
    due_next: list[DueNext] = Field(default_factory=list)

    @property
    def title(self) -> str:
        what = "a drill" if self.kind == "drill" else "a reverse-interview practice"
        return f"Practice summary ({what}: practice, not a hiring decision)"

    def lines(self) -> list[tuple[str, list[str]]]:
        """(heading, items) in the order every view shows them; empty headings are left out by the caller."""
        if self.improved:
            improved = [change.text for change in self.improved]
        elif self.compared:
            improved = ["Nothing scored higher than last time yet."]
        else:
            improved = ["First time on these questions: nothing earlier to compare with."]
        return [("Improved since last time", improved), ("Still weak", self.still_weak),
                ("Due next", [f"{d.label} (due {d.due_at[:10]})" for d in self.due_next])]


def short(text: str, limit: int = 40) -> str:
    """The text cut at a word boundary near `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "\u2026"


def practice_summary(bank: Bank, state: InterviewState, grades: dict[int, Grade], scores: dict[int, float],
                     earlier: Earlier) -> PracticeSummary:
    """`scores`: each scored turn's score (band less hints; skipped 0), by position."""
    improved: list[Change] = []
    weak_questions: list[str] = []
    weak_areas: dict[str, bool] = {}  # area -> missed last time too
    compared = 0
    for turn in state.turns:
        now = scores.get(turn.position)
        if now is None:
            continue
        question = bank.questions.get(turn.question_id)
        label = f"Q{turn.position + 1} {short(question.prompt)}" if question else f"Q{turn.position + 1}"
        before = earlier.questions.get(turn.question_id)
        compared += before is not None
        if before is not None and now >= before + 0.5:
            improved.append(Change(kind="question", label=label, before=before, now=now))
        if now < WEAK_SCORE:
            was = f", was {before:g}/4" if before is not None else ""
            weak_questions.append(f"{label}: {'skipped' if turn.status == 'skipped' else f'{now:g}/4'}{was}")
        for area in (grade.areas if (grade := grades.get(turn.position)) else []):
            value, before_area = AREA_VALUES[area.status], earlier.areas.get(area.area)
            if before_area is not None and value > before_area:
                improved.append(Change(kind="area", label=area.area, before=before_area, now=value))
            if area.status == "missed":
                weak_areas[area.area] = weak_areas.get(area.area, False) or before_area == 0.0
    # Areas missed again come before areas missed for the first time.
    areas = [f"{area}: missed again" if again else f"{area}: missed"
             for area, again in sorted(weak_areas.items(), key=lambda item: not item[1])]
    return PracticeSummary(
        kind="drill" if state.plan.kind == "drill" else "reverse",
        improved=sorted(improved, key=lambda c: c.kind != "question")[:MAX_IMPROVED],
        still_weak=(weak_questions + areas)[:MAX_WEAK], compared=compared,
        due_next=earlier.due[:MAX_DUE],
    )
