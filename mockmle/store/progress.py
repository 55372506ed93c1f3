"""Progress tables: what each answer said about each item, and each item's rolling summary.

- `progress_items`: one row per item (a competency, area, rule check, misconception, delivery check
  of spoken answers, or question)
  with its estimate, trend, confidence and FSRS schedule. Reading progress reads only this.
- `progress_events`: the evidence, one small row per item an answer touched, clustered by item
  and time so an item's history is one range scan.
- `progress_days`: each competency's daily sum and count, for the charts.
- `progress_parameters`: the candidate's own FSRS parameters, once fitted (`mockmle progress --fit`).

Items and days are derived, and recomputed for exactly what an answer or a deleted session
touches; `rebuild` recomputes everything from the events.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from itertools import groupby

import sqlite_utils

from mockmle.core.delivery import Delivery
from mockmle.core.grading.models import Grade
from mockmle.core.progress import (
    Event,
    estimate,
    events_for_delivery,
    events_for_grade,
    events_for_skip,
    schedule,
)

# Older answers weigh almost nothing (0.7 ** 60 is 5e-10), so estimates and schedules replay only these.
HISTORY = 60
SCHEDULED = ("question", "area")
CHARTED = "competency"

_ITEM_STATS = ("mean", "estimate", "spread", "confidence", "trend", "trend_label", "first_at", "last_at",
               "last_value", "questions", "stages", "stability", "difficulty", "state", "step", "last_review",
               "due_at", "lapses")


ITEM_COLUMNS = ("kind", "key", "n", "estimate", "spread", "confidence", "trend", "trend_label", "first_at",
                "last_at", "last_value", "questions", "stages", "due_at", "lapses", "stability", "last_review")


class ProgressStore:
    def __init__(self, db: sqlite_utils.Database, clock: Callable[[], str], refresh: bool = True):
        self.db = db
        self._now = clock
        self._refresh = refresh  # False when loading in bulk: call `rebuild` once at the end

    # -- reading, for the progress view (mockmle.app.progress_view)

    def items(self) -> list[dict]:
        """Every item with at least one answer, as a dict of ITEM_COLUMNS."""
        return [dict(zip(ITEM_COLUMNS, row, strict=True))
                for row in self.db.execute(f"select {', '.join(ITEM_COLUMNS)} from progress_items where n is not null")]

    def session_count(self) -> int:
        return self.db.execute("select count(*) from sessions").fetchone()[0]

    def competency_days(self, points: int) -> list[tuple[str, str, float, int]]:
        """(competency, last day, total, count) per stretch: each competency's span of days cut into at most `points`
        equal stretches, in order."""
        return self.db.execute(
            "with span as (select d.item_id, julianday(min(d.day)) as lo, julianday(max(d.day)) - julianday(min(d.day)) + 1 "
            "as days from progress_days d join progress_items i on i.id = d.item_id where i.kind = 'competency' "
            "group by d.item_id) "
            "select i.key, max(d.day), sum(d.total), sum(d.count) from progress_days d join span s on s.item_id = d.item_id "
            "join progress_items i on i.id = d.item_id "
            "group by d.item_id, cast((julianday(d.day) - s.lo) * :points / s.days as integer) order by i.key, 2",
            {"points": points}).fetchall()

    def area_evidence(self, area: str, limit: int) -> list[tuple[str, int, str, float, str, str | None]]:
        """The latest answers scored on `area`: (session_id, position, question_id, value, at, grade payload)."""
        return self.db.execute(
            "select e.session_id, e.position, t.question_id, e.value, e.at, g.payload from progress_events e "
            "join progress_items i on i.id = e.item_id "
            "join turns t on t.session_id = e.session_id and t.position = e.position "
            "left join grades g on g.session_id = e.session_id and g.position = e.position "
            "where i.kind = 'area' and i.key = ? order by e.at desc, e.session_id desc, e.position desc limit ?",
            [area, limit]).fetchall()

    # -- writing (callers hold the transaction)

    def record_grade(self, session_id: str, position: int, grade: Grade, score: float,
                     deliveries: Sequence[Delivery] = ()) -> None:
        """`score` is the turn's scorecard score: the band less the cost of hints; `deliveries`, how each
        spoken part of the answer was delivered."""
        if (question_id := self._question_of(session_id, position)) is not None:
            self._replace(session_id, position, question_id, events_for_grade(grade, question_id, score)
                          + events_for_delivery(deliveries))

    def record_skip(self, session_id: str, position: int, question_id: str) -> None:
        if not self.db.execute("select 1 from progress_events where session_id = ? and position = ? limit 1",
                               [session_id, position]).fetchone():
            self._replace(session_id, position, question_id, events_for_skip(question_id))

    def forget_session(self, session_id: str) -> None:
        """Call before the session's turns are deleted: they name the questions being taken out."""
        self.refresh(self._remove("e.session_id = ?", [session_id]))

    def record_attempt(self, session_id: str, position: int, grade: Grade, at: str) -> None:
        """Another take of an answered question (store/attempts.py): counted beside the first take's, at `at`."""
        if (question_id := self._question_of(session_id, position)) is not None:
            self._add(session_id, position, question_id, events_for_grade(grade, question_id, grade.band), at, set())

    def _question_of(self, session_id: str, position: int) -> str | None:
        row = self.db.execute("select question_id from turns where session_id = ? and position = ?",
                              [session_id, position]).fetchone()
        return row[0] if row is not None else None

    def _replace(self, session_id: str, position: int, question_id: str, events: list[Event]) -> None:
        # A later take's events are answers of their own: grading the first take again keeps them.
        touched = self._remove("e.session_id = ? and e.position = ? and e.at not in (select a.created_at from attempts a "
                               "where a.session_id = e.session_id and a.position = e.position)", [session_id, position])
        self._add(session_id, position, question_id, events, self._now(), touched)

    def _add(self, session_id: str, position: int, question_id: str, events: list[Event], at: str,
             touched: set[tuple[int, str]]) -> None:
        rows = [(self._item_id(e.kind, e.key), at, session_id, position, e.value) for e in events]
        self.db.conn.executemany(
            "insert into progress_events (item_id, at, session_id, position, value) values (?, ?, ?, ?, ?)", rows)
        self._count([(item_id, 1, value, question_id) for item_id, _, _, _, value in rows])
        if self._refresh:
            self.refresh(touched | {(item_id, at[:10]) for item_id, *_ in rows})

    def _remove(self, where: str, params: list) -> set[tuple[int, str]]:
        """Delete the events matching `where`; return the (item id, day) pairs to recompute."""
        rows = self.db.execute(
            "select e.item_id, e.at, e.value, t.question_id from progress_events e left join turns t "
            f"on t.session_id = e.session_id and t.position = e.position where {where}", params).fetchall()
        if not rows:
            return set()
        self.db.execute(f"delete from progress_events as e where {where}", params)
        self._count([(item_id, -1, -value, question_id) for item_id, _, value, question_id in rows])
        return {(item_id, at[:10]) for item_id, at, _, _ in rows}

    def _count(self, changes: list[tuple[int, int, float, str | None]]) -> None:
        """Keep each item's answer count, total and questions current, so no refresh has to scan its history."""
        self.db.conn.executemany("update progress_items set n = n + ?, total = total + ? where id = ?",
                                 [(dn, dv, item_id) for item_id, dn, dv, _ in changes])
        self.db.conn.executemany(
            "insert into progress_item_questions (item_id, question_id, count) values (?, ?, ?) "
            "on conflict do update set count = count + excluded.count",
            [(item_id, question_id, dn) for item_id, dn, _, question_id in changes if question_id])
        self.db.execute("delete from progress_item_questions where count <= 0")

    def _item_id(self, kind: str, key: str) -> int:
        self.db.execute("insert into progress_items (kind, key) values (?, ?) on conflict do nothing", [kind, key])
        return self.db.execute("select id from progress_items where kind = ? and key = ?", [kind, key]).fetchone()[0]

    def asked_questions(self) -> set[str]:
        return {key for (key,) in self.db.execute("select key from progress_items where kind = 'question'")}

    # -- the candidate's own FSRS parameters

    def parameters(self) -> list[float] | None:
        """The fitted parameters, or None for FSRS's defaults."""
        row = self.db.execute("select parameters from progress_parameters where id = 1").fetchone()
        return json.loads(row[0]) if row else None

    def histories(self) -> list[tuple[str, list[tuple[str, float]]]]:
        """Every scheduled item's answers, (kind, [(when, value), ...]) oldest first: the optimizer's review logs."""
        cursor = self.db.execute(
            "select i.id, i.kind, e.at, e.value from progress_events e join progress_items i on i.id = e.item_id "
            f"where i.kind in ({', '.join('?' * len(SCHEDULED))}) order by e.item_id, e.at, e.session_id, e.position",
            SCHEDULED)
        return [(rows[0][1], [(at, value) for _, _, at, value in rows])
                for rows in (list(grouped) for _, grouped in groupby(cursor, key=lambda r: r[0]))]

    def save_parameters(self, parameters: list[float], reviews: int, at: str) -> None:
        """Keep the candidate's fitted parameters (from `reviews` reviews) and reschedule every item with them."""
        self.db.execute("insert or replace into progress_parameters (id, parameters, reviews, fitted_at) "
                        "values (1, ?, ?, ?)", [json.dumps(parameters), reviews, at])
        self.rebuild()

    # -- deriving

    def refresh(self, touched: Iterable[tuple[int, str]]) -> None:
        """Recompute the summaries of these items and their charted days."""
        touched = set(touched)
        parameters = self.parameters()
        for item_id in {item_id for item_id, _ in touched}:
            self._refresh_item(item_id, parameters)
        for item_id, day in touched:
            self._refresh_day(item_id, day)

    def _refresh_item(self, item_id: int, parameters: list[float] | None) -> None:
        kind, n, total = self.db.execute("select kind, n, total from progress_items where id = ?", [item_id]).fetchone()
        if n <= 0:
            for table, column in (("progress_items", "id"), ("progress_days", "item_id"),
                                  ("progress_item_questions", "item_id")):
                self.db.execute(f"delete from {table} where {column} = ?", [item_id])
            return
        first_at = self.db.execute("select min(at) from progress_events where item_id = ?", [item_id]).fetchone()[0]
        recent = self.db.execute(
            "select value, at from progress_events where item_id = ? order by at desc, session_id desc, position desc "
            "limit ?", [item_id, HISTORY]).fetchall()[::-1]
        questions = [q for (q,) in self.db.execute(
            "select question_id from progress_item_questions where item_id = ?", [item_id])]
        self._write_item(item_id, _stats(kind, recent, total / n, first_at, questions, parameters))

    def _refresh_day(self, item_id: int, day: str) -> None:
        row = self.db.execute("select kind from progress_items where id = ?", [item_id]).fetchone()
        if row is None or row[0] != CHARTED:
            return
        total, count = self.db.execute(
            "select sum(value), count(*) from progress_events where item_id = ? and at >= ? and at < ?",
            [item_id, day, day + "\uffff"]).fetchone()
        if count:
            self.db.execute("insert or replace into progress_days (item_id, day, total, count) values (?, ?, ?, ?)",
                            [item_id, day, total, count])
        else:
            self.db.execute("delete from progress_days where item_id = ? and day = ?", [item_id, day])

    def _write_item(self, item_id: int, stats: dict) -> None:
        assignments = ", ".join(f"{column} = :{column}" for column in _ITEM_STATS)
        self.db.execute(f"update progress_items set {assignments} where id = :id", {**stats, "id": item_id})

    def rebuild(self) -> None:
        """Recompute every count, summary and day from the events (after a migration, or after loading in bulk)."""
        for table in ("progress_days", "progress_item_questions"):
            self.db.execute(f"delete from {table}")
        self.db.execute("delete from progress_items where id not in (select distinct item_id from progress_events)")
        self.db.execute("update progress_items set n = 0, total = 0")
        self.db.execute(
            "insert into progress_item_questions (item_id, question_id, count) select e.item_id, t.question_id, count(*) "
            "from progress_events e join turns t on t.session_id = e.session_id and t.position = e.position "
            "group by e.item_id, t.question_id")
        kinds = dict(self.db.execute("select id, kind from progress_items").fetchall())
        parameters = self.parameters()
        questions: dict[int, list[str]] = {}
        for item_id, question_id in self.db.execute("select item_id, question_id from progress_item_questions"):
            questions.setdefault(item_id, []).append(question_id)
        cursor = self.db.execute("select item_id, value, at from progress_events order by item_id, at, session_id, position")
        for item_id, grouped in groupby(cursor, key=lambda r: r[0]):
            rows = [(value, at) for _, value, at in grouped]
            total = sum(value for value, _ in rows)
            self.db.execute("update progress_items set n = ?, total = ? where id = ?", [len(rows), total, item_id])
            self._write_item(item_id, _stats(kinds[item_id], rows[-HISTORY:], total / len(rows), rows[0][1],
                                             questions.get(item_id, []), parameters))
        self.db.execute(
            "insert into progress_days (item_id, day, total, count) select e.item_id, substr(e.at, 1, 10), sum(e.value), "
            "count(*) from progress_events e join progress_items i on i.id = e.item_id where i.kind = ? "
            "group by e.item_id, substr(e.at, 1, 10)", [CHARTED])


def _stats(kind: str, recent: list[tuple[float, str]], mean: float, first_at: str, questions: list[str],
           parameters: list[float] | None) -> dict:
    """recent: the last HISTORY (value, at), oldest first; questions: every question that touched the item."""
    values = [value for value, _ in recent]
    est = estimate(values)
    plan = schedule(kind, [(at, value) for value, at in recent], parameters) if kind in SCHEDULED else None
    return {
        "mean": round(mean, 4), "estimate": round(est.estimate, 4), "spread": round(est.spread, 4),
        "confidence": est.confidence, "trend": round(est.trend, 4), "trend_label": est.trend_label,
        "first_at": first_at, "last_at": recent[-1][1], "last_value": values[-1],
        "questions": json.dumps(sorted(set(questions))),
        "stages": json.dumps(sorted({q.split(".", 1)[0] for q in questions})),
        "stability": plan.stability if plan else None, "difficulty": plan.difficulty if plan else None,
        "state": plan.state if plan else None, "step": plan.step if plan else None,
        "last_review": plan.last_review if plan else None, "due_at": plan.due_at if plan else None,
        "lapses": plan.lapses if plan else 0,
    }
