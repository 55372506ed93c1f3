"""Grading in the background: the answers being graded, named beside the timer ("grading Q1, Q2…").

Each answer is graded in a thread that only posts the outcome back, so the next question is on screen while the
last answer is graded. `Graded` or `GradeFailed` goes on to the screen, which saves the grade (or says why there
is none) and then calls `settled`: a question stays pending until then, so Results never open before its grade
is saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.reactive import var
from textual.widgets import Static

from mockmle.app.runner import InterviewRunner
from mockmle.core.grading.models import Grade
from mockmle.tui.workers import run_model_call


class GradingStatus(Static):
    pending: var[frozenset[int]] = var(frozenset(), init=False)  # questions being graded (replaced, never mutated)

    @dataclass
    class Graded(Message):
        position: int
        grade: Grade

    @dataclass
    class GradeFailed(Message):
        position: int
        error: str

    @property
    def busy(self) -> bool:
        return bool(self.pending)

    def grade(self, runner: InterviewRunner, position: int) -> None:
        """Grade the answer to question `position` in a thread, unless it is being graded already."""
        if position in self.pending:
            return
        self.pending = self.pending | {position}
        request = runner.grade_request(position)
        grader = runner.grader

        def work() -> None:
            try:
                grade = grader.grade(request)
            except Exception as exc:  # noqa: BLE001 - reported, or the question stays pending and Results never open
                self.post_message(self.GradeFailed(position, str(exc)))
            else:
                self.post_message(self.Graded(position, grade))

        run_model_call(self, work, group="grading", name=f"grade Q{position + 1}")

    def settled(self, position: int) -> None:
        """Question `position` is graded or failed, and the screen has dealt with it."""
        self.pending = self.pending - {position}

    def watch_pending(self, pending: frozenset[int]) -> None:
        self.update("grading " + ", ".join(f"Q{p + 1}" for p in sorted(pending)) + "…" if pending else "")
