"""Numbered schema migrations, applied in order and recorded in the `_migrations` table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

from mockmle.errors import StorageError


class NewerDatabase(StorageError):
    """The database has migrations this mockmle does not know."""


def _initial(db: sqlite_utils.Database) -> None:
    db["sessions"].create(
        {"id": str, "created_at": str, "updated_at": str, "status": str, "stages": str, "judge": str,
         "question_count": int, "answered": int, "overall": float, "ended_early": int,
         "plan": str, "state": str, "report": str},
        pk="id",
        not_null={"created_at", "status", "plan", "state"},
    )
    db["turns"].create(
        {"session_id": str, "position": int, "question_id": str, "stage": str, "question": str,
         "status": str, "hints": str, "repeats": int, "seconds": float, "score": float},
        pk=("session_id", "position"),
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db["exchanges"].create(
        {"session_id": str, "position": int, "idx": int, "kind": str, "prompt": str, "target_area": str,
         "answer": str, "seconds": float, "answered_at": str},
        pk=("session_id", "position", "idx"),
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db["grades"].create(
        {"session_id": str, "position": int, "band": int, "score": float, "judge": str, "judge_version": str,
         "rubric_version": str, "prompt_version": str, "fallback": int, "payload": str, "created_at": str},
        pk=("session_id", "position"),
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db["sessions"].create_index(["created_at"])


def _drafts(db: sqlite_utils.Database) -> None:
    # One row per session: the text being typed for the open exchange, saved on every edit.
    db["drafts"].create(
        {"session_id": str, "position": int, "idx": int, "text": str, "updated_at": str},
        pk="session_id",
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db["sessions"].create_index(["status"])


def _llm_calls(db: sqlite_utils.Database) -> None:
    # One row per model call, failed ones included: what it cost and how long it took.
    db["llm_calls"].create(
        {"id": int, "session_id": str, "position": int, "purpose": str, "model": str, "prompt_version": str,
         "prompt_tokens": int, "completion_tokens": int, "server_prompt_tokens": int, "server_completion_tokens": int,
         "latency_ms": float, "ok": int, "error": str, "response_format": str, "streamed": int, "created_at": str},
        pk="id",
        not_null={"purpose", "model", "created_at"},
    )
    db["llm_calls"].create_index(["session_id"])


def _progress(db: sqlite_utils.Database) -> None:
    # Weak areas over time, backfilled from every grade and skip stored before this migration.
    from mockmle.core.grading.models import Grade
    from mockmle.store.progress import ProgressStore, create_tables

    create_tables(db)
    rows = db.execute(
        "select t.session_id, t.position, t.question_id, coalesce(t.score, g.band), g.payload, "
        "coalesce(g.created_at, s.updated_at) from turns t join sessions s on s.id = t.session_id left join grades g "
        "on g.session_id = t.session_id and g.position = t.position "
        "where g.payload is not null or t.status = 'skipped' order by 6, t.rowid").fetchall()
    when = [""]
    progress = ProgressStore(db, clock=lambda: when[0], refresh=False)
    for session_id, position, question_id, score, payload, when[0] in rows:
        if payload:
            progress.record_grade(session_id, position, Grade.model_validate_json(payload), score)
        else:
            progress.record_skip(session_id, position, question_id)
    progress.rebuild()


def _spoken(db: sqlite_utils.Database) -> None:
    # Recorded answers: raw transcript, word timings and delivery, beside the submitted text in `exchanges`.
    from mockmle.store.spoken import create_table

    create_table(db)


def _unscored_finished(db: sqlite_utils.Database) -> None:
    # Older versions marked a session finished before its last answer was graded; one killed then was stuck.
    # A session is finished only once its scorecard is saved, so those become resumable (resuming grades them).
    db.execute("update sessions set status = 'active' where status = 'finished' and report is null")


MIGRATIONS: list[tuple[int, str, Callable[[sqlite_utils.Database], None]]] = [
    (1, "initial", _initial),
    (2, "drafts", _drafts),
    (3, "llm_calls", _llm_calls),
    (4, "progress", _progress),
    (5, "spoken_answers", _spoken),
    (6, "unscored_finished_sessions", _unscored_finished),
]


def applied(db: sqlite_utils.Database) -> list[int]:
    if "_migrations" not in db.table_names():
        return []
    return [row["id"] for row in db["_migrations"].rows_where(order_by="id")]


def check_known(db: sqlite_utils.Database, where: object) -> None:
    """Refuse a database that a newer mockmle has migrated further than this one knows how to."""
    known = {number for number, _, _ in MIGRATIONS}
    if unknown := sorted(set(applied(db)) - known):
        raise NewerDatabase(
            f"the database {where} is from a newer mockmle (schema version {max(unknown)}; this mockmle knows up to "
            f"{max(known)}): upgrade mockmle, or use another --home; nothing was changed")


def migrate(db: sqlite_utils.Database) -> list[int]:
    """Apply every migration not yet recorded; return the ids applied now.

    Two processes may open a new data home at once, so the work is done holding the write lock, after
    checking again what is recorded.
    """
    if not _pending(db):
        return []
    newly = []
    with db.atomic():
        if "_migrations" not in db.table_names():
            db["_migrations"].create({"id": int, "name": str, "applied_at": str}, pk="id")
        check_known(db, "here")
        done = set(applied(db))
        for number, name, step in MIGRATIONS:
            if number in done:
                continue
            with db.atomic():
                step(db)
                db["_migrations"].insert({"id": number, "name": name, "applied_at": datetime.now(UTC).isoformat()})
            newly.append(number)
    return newly


def _pending(db: sqlite_utils.Database) -> bool:
    return bool({number for number, _, _ in MIGRATIONS} - set(applied(db)))
