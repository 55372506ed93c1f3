"""Sessions, turns, exchanges and grades: written the moment they happen."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlite_utils

from mockmle.core.clock import utc_now
from mockmle.core.delivery import Delivery
from mockmle.core.grading.models import Grade
from mockmle.errors import StorageError, UsageError
from mockmle.store.attempts import Attempt, AttemptStore
from mockmle.store.faults import guarded
from mockmle.store.progress import ProgressStore
from mockmle.store.spoken import SpokenStore, Take

if TYPE_CHECKING:  # the engine loads when a session is read, not when the app lists sessions on Home
    from mockmle.core.interview import InterviewState
    from mockmle.core.scorecard import Report


class DamagedSession(StorageError):
    """A session whose stored rows no longer parse (edited by hand, a bad disk); the others are unaffected."""

    def __init__(self, session_id: str, cause: Exception):
        first = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        super().__init__(f"session {session_id} is damaged and cannot be read ({first}); "
                         f"the other sessions are fine, and `mockmle sessions delete {session_id}` removes it")
        self.session_id = session_id


def random_id() -> str:
    return secrets.token_hex(4)


# The first time an exchange is answered is kept: later saves of the same state never move it.
_UPSERT_EXCHANGE = """
insert into exchanges (session_id, position, idx, kind, prompt, target_area, answer, seconds, answered_at)
values (:session_id, :position, :idx, :kind, :prompt, :target_area, :answer, :seconds, :answered_at)
on conflict (session_id, position, idx) do update set
  kind = excluded.kind, prompt = excluded.prompt, target_area = excluded.target_area, answer = excluded.answer,
  seconds = excluded.seconds, answered_at = coalesce(exchanges.answered_at, excluded.answered_at)
"""


@dataclass
class SessionRecord:
    id: str
    created_at: str
    updated_at: str
    status: str
    judge: str
    state: InterviewState
    grades: dict[int, Grade]
    report: Report | None
    # (position, exchange index) -> the spoken answer; only exchanges that were answered
    takes: dict[tuple[int, int], Take] = field(default_factory=dict)
    # position -> later takes of the question ("try again"), in order; the first take is in `state` and `grades`
    attempts: dict[int, list[Attempt]] = field(default_factory=dict)

    def deliveries(self, position: int) -> dict[int, Delivery]:
        """How each spoken answer to a question was said, by exchange index."""
        return {idx: take.delivery for (pos, idx), take in self.takes.items() if pos == position}


@dataclass(frozen=True)
class Draft:
    position: int
    idx: int
    text: str
    updated_at: str


class SessionStore:
    def __init__(self, db: sqlite_utils.Database, clock: Callable[[], str] = utc_now, new_id: Callable[[], str] = random_id):
        self.db = db
        self._now = clock
        self._new_id = new_id
        self.progress = ProgressStore(db, clock)
        self.spoken = SpokenStore(db, clock)
        self.attempts = AttemptStore(db, clock, self.progress)

    # -- writing

    @guarded
    def create(self, state: InterviewState, judge: str) -> str:
        session_id = self._new_id()
        now = self._now()
        with self.db.atomic():
            self.db.table("sessions").insert({
                "id": session_id, "created_at": now, "updated_at": now, "status": "active",
                "stages": ",".join(state.plan.stages), "judge": judge,
                "question_count": len(state.plan.question_ids), "answered": 0, "overall": None,
                "ended_early": 0, "plan": state.plan.model_dump_json(), "state": state.model_dump_json(), "report": None,
            })
        return session_id

    @guarded
    def save_state(self, session_id: str, state: InterviewState) -> None:
        """Persist the whole interview state and its turns in one transaction."""
        now = self._now()
        turn_rows, exchange_rows = [], []
        for turn in state.turns:
            question_stage = turn.question_id.split(".", 1)[0]
            turn_rows.append({
                "session_id": session_id, "position": turn.position, "question_id": turn.question_id,
                "stage": question_stage, "question": turn.exchanges[0].prompt, "status": turn.status,
                "hints": json.dumps(turn.hints), "repeats": turn.repeats, "seconds": turn.seconds(),
            })
            for idx, exchange in enumerate(turn.exchanges):
                exchange_rows.append({
                    "session_id": session_id, "position": turn.position, "idx": idx, "kind": exchange.kind,
                    "prompt": exchange.prompt, "target_area": exchange.target_area, "answer": exchange.answer,
                    "seconds": exchange.seconds, "answered_at": now if exchange.answer is not None else None,
                })
        answered = sum(1 for t in state.turns if t.status == "answered")
        with self.db.atomic():
            # Finished only once its scorecard is saved (save_report): a session whose last answer was never
            # graded (the process was killed while grading) stays active, so resuming it grades and scores it.
            self.db.execute(
                "update sessions set state = ?, updated_at = ?, answered = ?, ended_early = ?, status = case "
                "when ? = 'finished' and report is not null then 'finished' else 'active' end where id = ?",
                [state.model_dump_json(), now, answered, int(state.ended_early), state.status, session_id])
            if turn_rows:
                self.db.table("turns").upsert_all(turn_rows, pk=("session_id", "position"))
            if exchange_rows:
                self.db.conn.executemany(_UPSERT_EXCHANGE, exchange_rows)
            for turn in state.turns:
                if turn.status == "skipped":
                    self.progress.record_skip(session_id, turn.position, turn.question_id)
            # A draft belongs to the open exchange only; once that is answered or skipped it is spent.
            current = state.current
            open_at = (current.position, len(current.exchanges) - 1) if current else (-1, -1)
            self.db.execute("delete from drafts where session_id = ? and not (position = ? and idx = ?)", [session_id, *open_at])

    @guarded
    def save_grade(self, session_id: str, position: int, grade: Grade, score: float | None,
                   judge: str | None = None) -> None:
        """`judge` is the grader's name now: "llm:gemma" names a session created as "llm" (model not yet known)."""
        provenance = grade.provenance
        with self.db.atomic():
            if judge:
                self.db.execute("update sessions set judge = ? where id = ? and ? like judge || ':_%'",
                                [judge, session_id, judge])
            self.db.table("grades").upsert({
                "session_id": session_id, "position": position, "band": grade.band, "score": score,
                "judge": provenance.judge, "judge_version": provenance.judge_version,
                "rubric_version": provenance.rubric_version, "prompt_version": provenance.prompt_version,
                "fallback": int(provenance.fallback), "payload": grade.model_dump_json(), "created_at": self._now(),
            }, pk=("session_id", "position"))
            self.db.table("turns").update((session_id, position), {"score": score})
            deliveries = [take.delivery for take in self.spoken.takes(session_id, position, answered_only=True)]
            self.progress.record_grade(session_id, position, grade, grade.band if score is None else score, deliveries)

    @guarded
    def save_report(self, session_id: str, report: Report) -> None:
        with self.db.atomic():
            self.db.execute(
                "update sessions set report = ?, overall = ?, updated_at = ?, status = case "
                "when json_extract(state, '$.status') = 'finished' then 'finished' else status end where id = ?",
                [report.model_dump_json(), report.overall, self._now(), session_id])

    @guarded
    def delete(self, session_id: str) -> None:
        session_id = self.resolve(session_id)
        with self.db.atomic():
            self.progress.forget_session(session_id)
            for table in ("drafts", "llm_calls", "attempts", "grades", "spoken_answers", "exchanges", "turns"):
                self.db.table(table).delete_where("session_id = ?", [session_id])
            self.db.table("sessions").delete(session_id)

    @guarded
    def save_draft(self, session_id: str, position: int, idx: int, text: str) -> None:
        """Called on every edit of the answer being typed, so a crash or kill loses nothing."""
        self.db.table("drafts").upsert({"session_id": session_id, "position": position, "idx": idx, "text": text,
                                  "updated_at": self._now()}, pk="session_id")

    @guarded
    def clear_draft(self, session_id: str) -> None:
        self.db.table("drafts").delete_where("session_id = ?", [session_id])

    def get_draft(self, session_id: str) -> Draft | None:
        rows = list(self.db.table("drafts").rows_where("session_id = ?", [session_id]))
        if not rows:
            return None
        row = rows[0]
        return Draft(position=row["position"], idx=row["idx"], text=row["text"] or "", updated_at=row["updated_at"])

    # -- reading

    def resolve(self, prefix: str) -> str:
        """A full session id from a unique prefix of it."""
        prefix = prefix.strip()
        if not prefix:
            raise UsageError("a session id is required (see `mockmle sessions list`)")
        shown = prefix if len(prefix) <= 40 else prefix[:40] + "…"
        # substr, not LIKE: '%' and '_' in what the user typed are characters, not patterns
        matches = [r["id"] for r in self.db.query(
            "select id from sessions where substr(id, 1, length(:prefix)) = :prefix", {"prefix": prefix})]
        if not matches:
            raise UsageError(f"no session {shown!r} (see `mockmle sessions list`)")
        if len(matches) > 1:
            raise UsageError(f"session id {shown!r} is ambiguous: {', '.join(sorted(matches))}")
        return matches[0]

    def page(self, limit: int | None, offset: int = 0, status: str | None = None,
             with_questions: bool = False) -> list[dict]:
        """`list`, `limit` rows of it from `offset` (all of it when `limit` is None): a long history a screenful at a time."""
        columns = ("id, created_at, updated_at, status, stages, judge, question_count, answered, overall, ended_early, "
                   "coalesce(case when json_valid(state) then json_extract(state, '$.plan.kind') end, 'interview') as kind")
        if with_questions:
            columns += ", (select group_concat(question, ' | ') from turns where turns.session_id = sessions.id) as questions"
        where = "where status = :status" if status else ""
        window = "limit :limit offset :offset" if limit is not None else ""
        return list(self.db.query(f"select {columns} from sessions {where} order by created_at desc, rowid desc {window}",
                                  {"status": status, "limit": limit, "offset": offset}))

    def count(self, status: str | None = None) -> int:
        where, params = ("where status = ?", [status]) if status else ("", [])
        return self.db.execute(f"select count(*) from sessions {where}", params).fetchone()[0]

    def list(self, status: str | None = None, with_questions: bool = False) -> list[dict]:
        """Every session (or every one with `status`), newest first."""
        return self.page(None, status=status, with_questions=with_questions)

    def get(self, session_id: str) -> SessionRecord:
        from mockmle.core.interview import InterviewState
        from mockmle.core.scorecard import Report

        session_id = self.resolve(session_id)
        row = self.db.table("sessions").get(session_id)
        try:
            grades = {g["position"]: Grade.model_validate_json(g["payload"])
                      for g in self.db.table("grades").rows_where("session_id = ?", [session_id])}
            return SessionRecord(
                id=row["id"], created_at=row["created_at"], updated_at=row["updated_at"], status=row["status"],
                judge=row["judge"], state=InterviewState.model_validate_json(row["state"]), grades=grades,
                report=Report.model_validate_json(row["report"]) if row["report"] else None,
                takes={(t.position, t.idx): t for t in self.spoken.takes(session_id, answered_only=True)},
                attempts=_by_position(self.attempts.list(session_id)),
            )
        except (ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
            raise DamagedSession(session_id, exc) from None


def _by_position(attempts: list[Attempt]) -> dict[int, list[Attempt]]:
    by_position: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_position.setdefault(attempt.position, []).append(attempt)
    return by_position
