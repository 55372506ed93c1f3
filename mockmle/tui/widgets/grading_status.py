"""Grading in the background: the answers being graded, named beside the timer ("grading Q1, Q2…").

The screen grades each answer in a thread that only posts the outcome back (screens/interview_work.py), so the
next question is on screen while the last answer is graded; this widget shows which are pending. On `Graded` or
`GradeFailed` the screen saves the grade (or says why there is none) and then calls `settled`: a question stays
pending until then, so Results never open before its grade is saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.reactive import var
from textual.widgets import Static

from mockmle.core.grading.models import Grade


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

    def begin(self, position: int) -> bool:
        """Mark question `position` as being graded; False if it is already."""
        if position in self.pending:
            return False
        self.pending = self.pending | {position}
        return True

    def settled(self, position: int) -> None:
        """Question `position` is graded or failed, and the screen has dealt with it."""
        self.pending = self.pending - {position}

    def watch_pending(self, pending: frozenset[int]) -> None:
        self.update("grading " + ", ".join(f"Q{p + 1}" for p in sorted(pending)) + "…" if pending else "")
