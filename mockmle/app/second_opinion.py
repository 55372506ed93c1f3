"""A second opinion: the configured model re-grades the answers the offline judge was unsure of.

Used by the Results screen (the model calls in a worker) and by `mockmle sessions regrade`. The
model's grade replaces the offline one, and its provenance names the model; when the model cannot
grade an answer, the offline grade stays as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from mockmle.app.runner import InterviewRunner
from mockmle.app.services import Services
from mockmle.core.grading.models import Grade, GradeRequest
from mockmle.core.scorecard import Report
from mockmle.errors import UsageError
from mockmle.reporting.text import plural


def unsure(grades: dict[int, Grade]) -> list[int]:
    """Positions of every grade marked unsure, whoever graded it."""
    return sorted(position for position, grade in grades.items() if grade.unsure)


def unsure_offline(grades: dict[int, Grade]) -> list[int]:
    """Positions of the unsure grades the offline judge gave: the ones a model can give a second opinion on."""
    return [position for position in unsure(grades) if grades[position].provenance.judge == "offline"]


def questions(positions: list[int]) -> str:
    """'Q2' or 'Q2, Q4 and Q5'."""
    names = [f"Q{position + 1}" for position in positions]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def unsure_summary(positions: list[int]) -> str:
    """'2 grades are unsure: Q1 and Q3'."""
    verb = "is" if len(positions) == 1 else "are"
    return f"{plural(len(positions), 'grade')} {verb} unsure: {questions(positions)}"


def model_label(services: Services) -> str:
    """The judge model by name when the settings name it; asking the server would be a network call."""
    return services.settings.llm.model_for("judge") or "the configured model"


def unsure_counts(services: Services, session_ids: list[str] | None = None) -> dict[str, int]:
    """How many unsure grades each session holds (of `session_ids`, else every session), for the sessions list."""
    only = "session_id in (select value from json_each(?)) and" if session_ids is not None else ""
    rows = services.store.db.execute(
        f"select session_id, count(*) from grades where {only} json_valid(payload) and "
        "json_extract(payload, '$.confidence') = 'low' group by session_id",
        [json.dumps(session_ids)] if session_ids is not None else [])
    return dict(rows.fetchall())


@dataclass(frozen=True)
class Outcome:
    position: int
    before: Grade
    after: Grade | None  # None: the model could not grade it and `before` stays
    problem: str | None = None

    def line(self) -> str:
        name = f"Q{self.position + 1}"
        if self.after is None:
            return f"{name}: the model could not grade it ({self.problem}); the offline grade {self.before.band}/4 stays"
        if self.after.band == self.before.band:
            return f"{name}: {self.after.band}/4, the model agrees"
        return f"{name}: {self.before.band}/4 \u2192 {self.after.band}/4"


class SecondOpinion:
    """Made on the thread that owns the database; `ask` touches no database, so it may run in a worker
    thread; `keep` and `finish` run back on the database's thread."""

    def __init__(self, services: Services, session_id: str):
        grader = services.llm_grader
        if grader is None:
            raise UsageError("a second opinion needs a model: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server "
                             "(`mockmle doctor` checks the setup)")
        self.services = services
        self.grader = grader
        # Offline for anything the rebuilt report grades itself: only the unsure answers go to the model.
        self.runner = InterviewRunner.resume(services, session_id, judge="offline")
        self.positions = unsure_offline(self.runner.grades)
        self.requests: dict[int, GradeRequest] = {p: self.runner.grade_request(p) for p in self.positions}
        self.before = {p: self.runner.grades[p] for p in self.positions}

    @property
    def session_id(self) -> str:
        return self.runner.session_id

    def ask(self, position: int) -> Outcome:
        before = self.before[position]
        try:
            grade = self.grader.grade(self.requests[position])
        except Exception as exc:  # noqa: BLE001 - one answer's failure must not lose the others
            return Outcome(position, before, None, str(exc) or type(exc).__name__)
        if grade.provenance.fallback:  # the model failed and the offline judge stood in: nothing new
            return Outcome(position, before, None, grade.provenance.fallback_reason or "the model failed")
        return Outcome(position, before, grade)

    def keep(self, outcome: Outcome) -> None:
        if outcome.after is not None:
            self.runner.record_grade(outcome.position, outcome.after)

    def finish(self, outcomes: list[Outcome]) -> Report | None:
        """The scorecard again from the new grades, when the session has one; the written debrief is kept."""
        old = self.services.store.get(self.session_id).report
        if old is None or not any(outcome.after is not None for outcome in outcomes):
            return old
        report = self.runner.report()
        if old.debrief.written:
            debrief = report.debrief.model_copy(update={"written": old.debrief.written,
                                                        "written_by": old.debrief.written_by})
            report = report.model_copy(update={"debrief": debrief})
            self.services.store.save_report(self.session_id, report)
        return report

    def run(self) -> list[Outcome]:
        """Ask about every unsure answer in this thread, saving each new grade as it comes (the CLI)."""
        outcomes = []
        for position in self.positions:
            outcome = self.ask(position)
            self.keep(outcome)
            outcomes.append(outcome)
        self.finish(outcomes)
        return outcomes


def outcome_summary(outcomes: list[Outcome], model: str) -> str:
    """One line for a notification: what the second opinion changed."""
    return f"Second opinion from {model}: {'; '.join(outcome.line() for outcome in outcomes)}."
