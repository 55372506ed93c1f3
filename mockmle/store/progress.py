"""Progress tables: one row per item touched by an answer, and each item's rolling summary.

`progress_events` is the evidence (which answer said what about which item); `progress_items` is
derived from it and recomputed for exactly the items an answer or a deleted session touches, so
reading progress never scans the history. `rebuild` recomputes everything from the events.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import groupby

import sqlite_utils

from mockmle.core.grading.models import Grade
from mockmle.core.progress import Event, estimate, events_for_grade, events_for_skip, schedule

ItemKey = tuple[str, str]
# Older answers weigh almost nothing (0.7 ** 60 is 5e-10), so estimates and schedules replay only these.
HISTORY = 60
SCHEDULED = ("question", "area", "key_point")


def create_tables(db: sqlite_utils.Database) -> None:
    db["progress_events"].create(
        {"session_id": str, "position": int, "question_id": str, "stage": str, "kind": str, "key": str,
         "value": float, "at": str},
        pk=("session_id", "position", "kind", "key"),
        not_null={"kind", "key", "value", "at"},
    )
    db["progress_events"].create_index(["kind", "key", "at"])
    db["progress_items"].create(
        {"kind": str, "key": str, "n": int, "mean": float, "estimate": float, "spread": float, "confidence": str,
         "trend": float, "trend_label": str, "first_at": str, "last_at": str, "last_value": float,
         "questions": str, "stages": str, "ease": float, "reps": int, "interval_days": float, "due_at": str,
         "lapses": int},
        pk=("kind", "key"),
    )
    db["progress_items"].create_index(["due_at"])


class ProgressStore:
    def __init__(self, db: sqlite_utils.Database, clock: Callable[[], str], refresh: bool = True):
        self.db = db
        self._now = clock
        self._refresh = refresh  # False when loading in bulk: call `rebuild` once at the end

    # -- writing (callers hold the transaction)

    def record_grade(self, session_id: str, position: int, grade: Grade) -> None:
        turn = self._turn(session_id, position)
        if turn is None:
            return
        question_id, stage, hints = turn
        self._replace(session_id, position, question_id, stage, events_for_grade(grade, question_id, hints))

    def record_skip(self, session_id: str, position: int, question_id: str) -> None:
        if self.db.execute("select 1 from progress_events where session_id = ? and position = ? limit 1",
                           [session_id, position]).fetchone():
            return
        self._replace(session_id, position, question_id, question_id.split(".", 1)[0], events_for_skip(question_id))

    def forget_session(self, session_id: str) -> None:
        touched = self._keys("where session_id = ?", [session_id])
        self.db.execute("delete from progress_events where session_id = ?", [session_id])
        self.refresh(touched)

    def wipe(self) -> None:
        self.db.execute("delete from progress_events")
        self.db.execute("delete from progress_items")

    def _turn(self, session_id: str, position: int) -> tuple[str, str, int] | None:
        row = self.db.execute("select question_id, stage, hints from turns where session_id = ? and position = ?",
                              [session_id, position]).fetchone()
        if row is None:
            return None
        return row[0], row[1], len(json.loads(row[2] or "[]"))

    def _replace(self, session_id: str, position: int, question_id: str, stage: str, events: list[Event]) -> None:
        where = "where session_id = ? and position = ?"
        touched = self._keys(where, [session_id, position])
        self.db.execute(f"delete from progress_events {where}", [session_id, position])
        at = self._now()
        rows = [(session_id, position, question_id, stage, e.kind, e.key, e.value, at) for e in events]
        self.db.conn.executemany(
            "insert into progress_events (session_id, position, question_id, stage, kind, key, value, at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        if self._refresh:
            self.refresh(touched | {(e.kind, e.key) for e in events})

    def _keys(self, where: str, params: list) -> set[ItemKey]:
        return {(k, key) for k, key in self.db.execute(f"select distinct kind, key from progress_events {where}", params)}

    # -- deriving

    def refresh(self, keys: Iterable[ItemKey]) -> None:
        for kind, key in keys:
            n, mean, first_at = self.db.execute(
                "select count(*), avg(value), min(at) from progress_events where kind = ? and key = ?", [kind, key]).fetchone()
            if not n:
                self.db.execute("delete from progress_items where kind = ? and key = ?", [kind, key])
                continue
            recent = self.db.execute(
                "select value, at, question_id, stage from progress_events where kind = ? and key = ? "
                "order by at desc, rowid desc limit ?", [kind, key, HISTORY]).fetchall()[::-1]
            places = self.db.execute("select distinct question_id, stage from progress_events where kind = ? and key = ?",
                                     [kind, key]).fetchall()
            row = _item_row(kind, key, recent, n, mean, first_at, places)
            self.db["progress_items"].upsert(row, pk=("kind", "key"))

    def rebuild(self) -> None:
        """Recompute every item from the events (after a migration, or when seeding a database in bulk)."""
        self.db.execute("delete from progress_items")
        cursor = self.db.execute(
            "select kind, key, value, at, question_id, stage from progress_events order by kind, key, at, rowid")
        items = []
        for (kind, key), grouped in groupby(cursor, key=lambda r: (r[0], r[1])):
            rows = [r[2:] for r in grouped]
            mean = sum(r[0] for r in rows) / len(rows)
            places = list(dict.fromkeys((r[2], r[3]) for r in rows))
            items.append(_item_row(kind, key, rows[-HISTORY:], len(rows), mean, rows[0][1], places))
        self.db["progress_items"].insert_all(items, pk=("kind", "key"), batch_size=1000)


def _item_row(kind: str, key: str, recent: list[tuple], n: int, mean: float, first_at: str,
              places: list[tuple[str, str]]) -> dict:
    """recent: the last HISTORY (value, at, question_id, stage), oldest first; places: (question_id, stage) seen."""
    values = [r[0] for r in recent]
    est = estimate(values)
    plan = schedule([(r[1], r[0]) for r in recent]) if kind in SCHEDULED else None
    return {
        "kind": kind, "key": key, "n": n, "mean": round(mean, 4), "estimate": round(est.estimate, 4),
        "spread": round(est.spread, 4), "confidence": est.confidence,
        "trend": round(est.trend, 4), "trend_label": est.trend_label, "first_at": first_at, "last_at": recent[-1][1],
        "last_value": values[-1],
        "questions": json.dumps(sorted({q for q, _ in places})), "stages": json.dumps(sorted({s for _, s in places})),
        "ease": plan.ease if plan else None, "reps": plan.reps if plan else None,
        "interval_days": plan.interval_days if plan else None, "due_at": plan.due_at if plan else None,
        "lapses": plan.lapses if plan else 0,
    }
