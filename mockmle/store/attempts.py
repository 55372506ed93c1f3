"""Later takes of an answered question ("try again"): attempt 2, 3, ... beside the first take, which stays in
`exchanges` and `grades` as it was answered and graded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from mockmle.core.grading.models import Grade
from mockmle.store.faults import guarded
from mockmle.store.progress import ProgressStore


@dataclass(frozen=True)
class Attempt:
    position: int
    attempt: int  # 2 for the first try again: the first take is the answer given in the interview
    answer: str
    grade: Grade
    created_at: str


class AttemptStore:
    def __init__(self, db: sqlite_utils.Database, clock: Callable[[], str], progress: ProgressStore):
        self.db = db
        self._now = clock
        self.progress = progress

    @guarded
    def save(self, session_id: str, position: int, answer: str, grade: Grade) -> Attempt:
        """Store the take and count it in progress as another answer to the question."""
        with self.db.atomic():
            number = self.db.execute("select coalesce(max(attempt), 1) + 1 from attempts where session_id = ? and "
                                     "position = ?", [session_id, position]).fetchone()[0]
            at = self._after(session_id, position)
            self.db.table("attempts").insert({
                "session_id": session_id, "position": position, "attempt": number, "answer": answer,
                "band": grade.band, "judge": grade.provenance.judge, "payload": grade.model_dump_json(),
                "created_at": at})
            self.progress.record_attempt(session_id, position, grade, at)
        return Attempt(position, number, answer, grade, at)

    def _after(self, session_id: str, position: int) -> str:
        """Now, or a second after this answer's latest take when that is no earlier (the clock counts seconds): each
        take's progress events are told apart by their time."""
        now = self._now()
        latest = self.db.execute("select max(at) from progress_events where session_id = ? and position = ?",
                                 [session_id, position]).fetchone()[0]
        if latest is None or now > latest:
            return now
        return (datetime.fromisoformat(latest) + timedelta(seconds=1)).isoformat(timespec="seconds")

    def list(self, session_id: str, position: int | None = None) -> list[Attempt]:
        where, params = ("session_id = ?", [session_id]) if position is None else (
            "session_id = ? and position = ?", [session_id, position])
        return [Attempt(row["position"], row["attempt"], row["answer"], Grade.model_validate_json(row["payload"]),
                        row["created_at"])
                for row in self.db.table("attempts").rows_where(where, params, order_by="position, attempt")]
