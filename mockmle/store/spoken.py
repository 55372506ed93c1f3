"""Spoken answers: the recording, the raw transcript with word timings, and how it was delivered.

One row per answered exchange that was recorded. The exchange row keeps the text the candidate
submitted (the transcript as corrected); this row keeps what the transcriber heard.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from mockmle.core.delivery import Delivery
from mockmle.core.speech import SpokenText


@dataclass(frozen=True)
class Take:
    position: int
    idx: int
    audio_path: str  # relative to the data home when the recording is inside it
    spoken: SpokenText
    delivery: Delivery
    created_at: str


class SpokenStore:
    def __init__(self, db: sqlite_utils.Database, clock: Callable[[], str]):
        self.db = db
        self._now = clock

    def save(self, session_id: str, position: int, idx: int, audio_path: str, spoken: SpokenText,
             delivery: Delivery) -> None:
        """A new take of the same exchange replaces the last one."""
        self.db.table("spoken_answers").upsert({
            "session_id": session_id, "position": position, "idx": idx, "audio_path": audio_path,
            "raw_text": spoken.text, "words": json.dumps([w.model_dump() for w in spoken.words]),
            "duration": spoken.duration, "backend": spoken.backend, "model": spoken.model,
            "delivery": delivery.model_dump_json(), "created_at": self._now(),
        }, pk=("session_id", "position", "idx"))

    def takes(self, session_id: str, position: int | None = None, answered_only: bool = False) -> list[Take]:
        where = "s.session_id = ?" + (" and s.position = ?" if position is not None else "")
        if answered_only:
            where += " and e.answer is not null"
        rows = self.db.execute(
            "select s.position, s.idx, s.audio_path, s.raw_text, s.words, s.duration, s.backend, s.model, s.delivery, "
            "s.created_at from spoken_answers s left join exchanges e on e.session_id = s.session_id "
            f"and e.position = s.position and e.idx = s.idx where {where} order by s.position, s.idx",
            [session_id] + ([position] if position is not None else [])).fetchall()
        return [Take(position=r[0], idx=r[1], audio_path=r[2], created_at=r[9], delivery=Delivery.model_validate_json(r[8]),
                     spoken=SpokenText(text=r[3], words=json.loads(r[4]), duration=r[5], backend=r[6], model=r[7]))
                for r in rows]
