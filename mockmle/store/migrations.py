"""Numbered schema migrations, applied in order and recorded in the `_migrations` table.

They alone make a database's schema: no store creates a table of its own. tests/test_migrations_upgrade.py opens
a database left by each earlier version (tests/data/migrations/) and checks it ends up like a new one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlite_utils

from mockmle.errors import StorageError


class NewerDatabase(StorageError):
    """The database has migrations this mockmle does not know."""


# Each migration is frozen: its DDL is the SQL it ran when it was written, and its backfill reads the raw rows and JSON
# of its own version with the little logic it needs copied in. Nothing here imports today's models or stores, so a
# database of any age is upgraded by the code that defined each step. (Statements run one by one: executescript
# would commit the migration's transaction early.)


def _run(db: sqlite_utils.Database, script: str) -> None:
    for statement in filter(None, map(str.strip, script.split(";"))):
        db.execute(statement)


_INITIAL = """
CREATE TABLE "sessions" (
   "id" TEXT PRIMARY KEY,
   "created_at" TEXT NOT NULL,
   "updated_at" TEXT,
   "status" TEXT NOT NULL,
   "stages" TEXT,
   "judge" TEXT,
   "question_count" INTEGER,
   "answered" INTEGER,
   "overall" REAL,
   "ended_early" INTEGER,
   "plan" TEXT NOT NULL,
   "state" TEXT NOT NULL,
   "report" TEXT
);
CREATE TABLE "turns" (
   "session_id" TEXT REFERENCES "sessions"("id"),
   "position" INTEGER,
   "question_id" TEXT,
   "stage" TEXT,
   "question" TEXT,
   "status" TEXT,
   "hints" TEXT,
   "repeats" INTEGER,
   "seconds" REAL,
   "score" REAL,
   PRIMARY KEY ("session_id", "position")
);
CREATE TABLE "exchanges" (
   "session_id" TEXT REFERENCES "sessions"("id"),
   "position" INTEGER,
   "idx" INTEGER,
   "kind" TEXT,
   "prompt" TEXT,
   "target_area" TEXT,
   "answer" TEXT,
   "seconds" REAL,
   "answered_at" TEXT,
   PRIMARY KEY ("session_id", "position", "idx")
);
CREATE TABLE "grades" (
   "session_id" TEXT REFERENCES "sessions"("id"),
   "position" INTEGER,
   "band" INTEGER,
   "score" REAL,
   "judge" TEXT,
   "judge_version" TEXT,
   "rubric_version" TEXT,
   "prompt_version" TEXT,
   "fallback" INTEGER,
   "payload" TEXT,
   "created_at" TEXT,
   PRIMARY KEY ("session_id", "position")
);
CREATE INDEX "idx_sessions_created_at"
    ON "sessions" ("created_at")
"""


def _initial(db: sqlite_utils.Database) -> None:
    _run(db, _INITIAL)


def _drafts(db: sqlite_utils.Database) -> None:
    # One row per session: the text being typed for the open exchange, saved on every edit.
    _run(db, """
CREATE TABLE "drafts" (
   "session_id" TEXT PRIMARY KEY REFERENCES "sessions"("id"),
   "position" INTEGER,
   "idx" INTEGER,
   "text" TEXT,
   "updated_at" TEXT
);
CREATE INDEX "idx_sessions_status"
    ON "sessions" ("status")
""")


def _llm_calls(db: sqlite_utils.Database) -> None:
    # One row per model call, failed ones included: what it cost and how long it took.
    _run(db, """
CREATE TABLE "llm_calls" (
   "id" INTEGER PRIMARY KEY,
   "session_id" TEXT,
   "position" INTEGER,
   "purpose" TEXT NOT NULL,
   "model" TEXT NOT NULL,
   "prompt_version" TEXT,
   "prompt_tokens" INTEGER,
   "completion_tokens" INTEGER,
   "server_prompt_tokens" INTEGER,
   "server_completion_tokens" INTEGER,
   "latency_ms" REAL,
   "ok" INTEGER,
   "error" TEXT,
   "response_format" TEXT,
   "streamed" INTEGER,
   "created_at" TEXT NOT NULL
);
CREATE INDEX "idx_llm_calls_session_id"
    ON "llm_calls" ("session_id")
""")


_PROGRESS = """
CREATE TABLE progress_items (
  id integer primary key, kind text not null, key text not null, n integer not null default 0,
  total real not null default 0, mean real, estimate real,
  spread real, confidence text, trend real, trend_label text, first_at text, last_at text, last_value real,
  questions text, stages text, ease real, reps integer, interval_days real, due_at text, lapses integer,
  unique (kind, key));
CREATE INDEX idx_progress_items_due on progress_items (due_at);
CREATE TABLE progress_events (
  item_id integer not null, at text not null, session_id text not null, position integer not null, value real not null,
  primary key (item_id, at, session_id, position)) without rowid;
CREATE INDEX idx_progress_events_answer on progress_events (session_id, position);
CREATE TABLE progress_item_questions (
  item_id integer not null, question_id text not null, count integer not null,
  primary key (item_id, question_id)) without rowid;
CREATE TABLE progress_days (
  item_id integer not null, day text not null, total real not null, count integer not null,
  primary key (item_id, day)) without rowid
"""
_AREA_VALUES = {"covered": 1.0, "partly": 0.5, "missed": 0.0}


def _grade_events(payload: dict, question_id: str, turn_score: float) -> list[tuple[str, str, float]]:
    """(kind, key, value) for one graded answer, from the grade's JSON as version 4 stored it; the first of each
    (kind, key) counts. A competency is capped by the turn's score (band less hints, over 4)."""
    score = turn_score / 4
    events = [("question", question_id, score)]
    events += [("competency", competency, min(level / 4, score))
               for competency, level in (payload.get("competencies") or {}).items()]
    events += [("area", area["area"], _AREA_VALUES[area["status"]]) for area in payload.get("areas") or []]
    events += [("check", check["id"], 1.0 if check["passed"] else 0.0) for check in payload.get("checks") or []]
    events += [("misconception", found["misconception"], 0.0) for found in payload.get("misconceptions") or []]
    first: dict[tuple[str, str], float] = {}
    for kind, key, value in events:
        first.setdefault((kind, key), value)
    return [(kind, key, value) for (kind, key), value in first.items()]


def _progress(db: sqlite_utils.Database) -> None:
    # Weak areas over time, backfilled from every grade and skip stored before this migration: the events, each
    # item's count and total, the questions behind it and the charted days. The estimates, trends and schedules
    # are derived from those events by today's arithmetic: `migrate` leaves them to its `derive_progress`.
    _run(db, _PROGRESS)
    rows = db.execute(
        "select t.session_id, t.position, t.question_id, coalesce(t.score, g.band), g.payload, "
        "coalesce(g.created_at, s.updated_at) from turns t join sessions s on s.id = t.session_id left join grades g "
        "on g.session_id = t.session_id and g.position = t.position "
        "where g.payload is not null or t.status = 'skipped' order by 6, t.rowid").fetchall()
    for session_id, position, question_id, score, payload, at in rows:
        events = _grade_events(json.loads(payload), question_id, score) if payload else [("question", question_id, 0.0)]
        for kind, key, value in events:
            db.execute("insert into progress_items (kind, key) values (?, ?) on conflict do nothing", [kind, key])
            db.execute("insert or replace into progress_events (item_id, at, session_id, position, value) "
                       "select id, ?, ?, ?, ? from progress_items where kind = ? and key = ?",
                       [at, session_id, position, value, kind, key])
    db.execute("update progress_items set n = (select count(*) from progress_events e where e.item_id = progress_items.id), "
               "total = (select coalesce(sum(value), 0) from progress_events e where e.item_id = progress_items.id)")
    db.execute(
        "insert into progress_item_questions (item_id, question_id, count) select e.item_id, t.question_id, count(*) "
        "from progress_events e join turns t on t.session_id = e.session_id and t.position = e.position "
        "group by e.item_id, t.question_id")
    db.execute(
        "insert into progress_days (item_id, day, total, count) select e.item_id, substr(e.at, 1, 10), sum(e.value), "
        "count(*) from progress_events e join progress_items i on i.id = e.item_id where i.kind = 'competency' "
        "group by e.item_id, substr(e.at, 1, 10)")


def _spoken(db: sqlite_utils.Database) -> None:
    # Recorded answers: raw transcript, word timings and delivery, beside the submitted text in `exchanges`.
    _run(db, """
CREATE TABLE "spoken_answers" (
   "session_id" TEXT REFERENCES "sessions"("id"),
   "position" INTEGER,
   "idx" INTEGER,
   "audio_path" TEXT,
   "raw_text" TEXT,
   "words" TEXT,
   "duration" REAL,
   "backend" TEXT,
   "model" TEXT,
   "delivery" TEXT,
   "created_at" TEXT,
   PRIMARY KEY ("session_id", "position", "idx")
)
""")


def _unscored_finished(db: sqlite_utils.Database) -> None:
    # Older versions marked a session finished before its last answer was graded; one killed then was stuck.
    # A session is finished only once its scorecard is saved, so those become resumable (resuming grades them).
    db.execute("update sessions set status = 'active' where status = 'finished' and report is null")


_FSRS = """
ALTER TABLE progress_items DROP COLUMN ease;
ALTER TABLE progress_items DROP COLUMN reps;
ALTER TABLE progress_items DROP COLUMN interval_days;
ALTER TABLE progress_items ADD COLUMN stability real;
ALTER TABLE progress_items ADD COLUMN difficulty real;
ALTER TABLE progress_items ADD COLUMN state integer;
ALTER TABLE progress_items ADD COLUMN step integer;
ALTER TABLE progress_items ADD COLUMN last_review text;
CREATE TABLE progress_parameters (
  id integer primary key check (id = 1), parameters text not null, reviews integer not null, fitted_at text not null)
"""


def _fsrs_rating(kind: str, value: float) -> int:
    """Version 7's rating of an answer: an area covered 3 (Good), partly 2 (Hard), missed 1 (Again); a question by
    the whole bands its turn score (value * 4) keeps: 0-1 Again, 2 Hard, 3 Good, 4 Easy."""
    if kind == "area":
        return 3 if value >= 1.0 else 2 if value >= 0.5 else 1
    return (1, 1, 2, 3, 4)[max(0, min(4, int(value * 4 + 1e-9)))]


def _fsrs(db: sqlite_utils.Database) -> None:
    # SM-2 gives way to FSRS (the fsrs package, pinned at 6.3.2): each question's and area's card is seeded by
    # replaying its last 60 answers through FSRS with its default parameters (one zero-minute learning and relearning
    # step, no fuzz), oldest first. Nothing due is lost: an item keeps SM-2's due date where that is earlier than
    # FSRS's, so what was due stays due until it is answered again.
    import fsrs

    _run(db, _FSRS)
    plan = fsrs.Scheduler(learning_steps=(timedelta(0),), relearning_steps=(timedelta(0),), enable_fuzzing=False)
    items = db.execute("select id, kind, due_at from progress_items where kind in ('question', 'area')").fetchall()
    for item_id, kind, due_at in items:
        rows = db.execute("select at, value from progress_events where item_id = ? "
                          "order by at desc, session_id desc, position desc limit 60", [item_id]).fetchall()[::-1]
        card, lapses = None, 0
        for at, value in rows:
            when = datetime.fromisoformat(at)
            when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
            card = card or fsrs.Card(card_id=0, due=when)
            rating = _fsrs_rating(kind, value)
            lapses += rating <= 2
            card, _ = plan.review_card(card, fsrs.Rating(rating), when)
        if card is None or card.last_review is None or not (lapses or due_at):
            continue
        due = card.due.isoformat(timespec="seconds")
        db.execute("update progress_items set stability = ?, difficulty = ?, state = ?, step = ?, last_review = ?, "
                   "due_at = ?, lapses = ? where id = ?",
                   [card.stability, card.difficulty, int(card.state), card.step,
                    card.last_review.isoformat(timespec="seconds"), min(due, due_at) if due_at else due, lapses,
                    item_id])


def _attempts(db: sqlite_utils.Database) -> None:
    # Another take of an answered question ("try again"): the first take stays in `exchanges` and `grades` as it was;
    # each later one (attempt 2, 3, ...) is a row here with its own grade. Its progress events carry its created_at.
    _run(db, """
CREATE TABLE "attempts" (
   "session_id" TEXT REFERENCES "sessions"("id"),
   "position" INTEGER,
   "attempt" INTEGER CHECK ("attempt" >= 2),
   "answer" TEXT NOT NULL,
   "band" INTEGER,
   "judge" TEXT,
   "payload" TEXT NOT NULL,
   "created_at" TEXT NOT NULL,
   PRIMARY KEY ("session_id", "position", "attempt")
)
""")


MIGRATIONS: list[tuple[int, str, Callable[[sqlite_utils.Database], None]]] = [
    (1, "initial", _initial),
    (2, "drafts", _drafts),
    (3, "llm_calls", _llm_calls),
    (4, "progress", _progress),
    (5, "spoken_answers", _spoken),
    (6, "unscored_finished_sessions", _unscored_finished),
    (7, "fsrs", _fsrs),
    (8, "attempts", _attempts),
]
# Migrations that add progress events: the summaries derived from them are recomputed once all have run.
DERIVES_PROGRESS = {4}


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


_MIGRATIONS_TABLE = """
CREATE TABLE "_migrations" (
   "id" INTEGER PRIMARY KEY,
   "name" TEXT,
   "applied_at" TEXT
)
"""


def migrate(db: sqlite_utils.Database,
            derive_progress: Callable[[sqlite_utils.Database], None] | None = None) -> list[int]:
    """Apply every migration not yet recorded; return the ids applied now.

    `derive_progress` recomputes the progress summaries from the events (today's `ProgressStore.rebuild`, which
    `open_db` passes); it runs after the last migration, in the same transaction, when one that added events ran.
    Two processes may open a new data home at once, so the work is done holding the write lock, after
    checking again what is recorded.
    """
    if not _pending(db):
        return []
    newly = []
    with db.atomic():
        if "_migrations" not in db.table_names():
            db.execute(_MIGRATIONS_TABLE)
        check_known(db, "here")
        done = set(applied(db))
        for number, name, step in MIGRATIONS:
            if number in done:
                continue
            with db.atomic():
                step(db)
                db.execute("insert into _migrations (id, name, applied_at) values (?, ?, ?)",
                           [number, name, datetime.now(UTC).isoformat()])
            newly.append(number)
        if derive_progress is not None and DERIVES_PROGRESS & set(newly):
            derive_progress(db)
    return newly


def _pending(db: sqlite_utils.Database) -> bool:
    return bool({number for number, _, _ in MIGRATIONS} - set(applied(db)))
