"""A database left by every earlier schema version opens with today's mockmle: its sessions, grades, spoken takes and
progress read back, and its schema ends up the same as a new database's.

The databases are SQL dumps in tests/data/migrations/, written by the old code itself at the last commit of each
version (tools/migration_fixtures.py): a finished interview graded offline with one question skipped, and an active
one with one graded answer (and a spoken take from version 5). Replaying today's migrations 1..N instead would only
show that today's code agrees with itself; the dumps hold the rows and JSON old versions really wrote.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from mockmle.core.grading.models import Grade
from mockmle.core.progress import events_for_grade
from mockmle.store import open_db
from mockmle.store.migrations import MIGRATIONS, applied
from mockmle.store.progress import ProgressStore
from mockmle.store.sessions import SessionStore

FIXTURES = Path(__file__).parent / "data" / "migrations"
LATEST = max(number for number, _, _ in MIGRATIONS)
VERSIONS = list(range(1, LATEST))
# Each item's summary as every version from 4 on keeps it, then its schedule: due_at, and FSRS's card from version 7.
KEPT = ("kind", "key", "n", "total", "mean", "estimate", "spread", "confidence", "trend", "trend_label", "first_at",
        "last_at", "last_value", "questions", "stages", "lapses")
ITEM = (*KEPT, "due_at", "stability", "difficulty", "state", "step", "last_review")
DUE = ITEM.index("due_at")


def test_there_is_a_dump_for_every_earlier_version():
    assert sorted(int(path.stem[1:]) for path in FIXTURES.glob("v*.sql")) == VERSIONS


def old_database(tmp_path: Path, version: int) -> Path:
    path = tmp_path / "home" / "mockmle.db"
    path.parent.mkdir(parents=True)
    raw = sqlite3.connect(path)
    raw.executescript((FIXTURES / f"v{version}.sql").read_text())
    raw.close()
    return path


def schema(db) -> list[tuple[str, str, str]]:
    """Every table and index with its SQL, quoting and spacing aside (older sqlite-utils quoted differently)."""
    def normal(sql: str | None) -> str:
        return re.sub(r"\s+", " ", re.sub(r'["\[\]`]', "", sql or "")).replace("( ", "(").replace(" )", ")").strip().lower()

    return sorted((kind, name, normal(sql)) for kind, name, sql in
                  db.execute("select type, name, sql from sqlite_master where name not like 'sqlite_stat%'"))


def items(db, columns: tuple[str, ...] = ITEM) -> dict[tuple[str, str], tuple]:
    return {row[:2]: row for row in db.execute(f"select {', '.join(columns)} from progress_items order by kind, key")}


def sessions(path: Path) -> tuple[str, str]:
    raw = sqlite3.connect(path)
    finished, active = (raw.execute(f"select id from sessions where report is {which} null").fetchone()[0]
                        for which in ("not", ""))
    raw.close()
    return finished, active


@pytest.mark.parametrize("version", VERSIONS)
def test_an_old_database_upgrades_and_reads_back(tmp_path, version):
    path = old_database(tmp_path, version)
    finished, active = sessions(path)
    before = items(sqlite3.connect(path), (*KEPT, "due_at")) if version >= 4 else None

    db = open_db(path)
    assert applied(db) == list(range(1, LATEST + 1))
    store = SessionStore(db)
    listed = {row["id"]: row["status"] for row in store.list()}
    assert listed == {finished: "finished", active: "active"}

    done = store.get(finished)
    assert [turn.question_id for turn in done.state.turns] == [
        "technical.bias-variance", "technical.gradient-descent", "applied-ml.why-tests"]
    assert [turn.status for turn in done.state.turns] == ["answered", "skipped", "answered"]
    assert sorted(done.grades) == [0, 2] and all(grade.provenance.judge == "offline" for grade in done.grades.values())
    assert done.report is not None and done.report.overall == 2.0
    assert "training and validation error" in done.state.turns[0].exchanges[0].answer

    going = store.get(active)
    assert going.report is None and sorted(going.grades) == [0]
    assert [turn.status for turn in going.state.turns] == ["answered", "open"]
    if version >= 5:
        (take,) = going.takes.values()
        assert take.audio_path == "recordings/q1-1.wav" and take.spoken.text.startswith("um Gradient descent")
        assert take.delivery.words == 16 and take.delivery.checks  # today's Delivery model reads version 5's JSON

    after = items(db)
    if before is None:
        assert_backfilled(db, after)
    else:
        assert {key: row[:len(KEPT)] for key, row in after.items()} == {
            key: row[:len(KEPT)] for key, row in before.items()}, "a migration after 4 changed progress needlessly"
    ProgressStore(db, clock=lambda: "").rebuild()
    derived = items(db)
    if before is None:
        assert derived == after  # what the upgrade left is what today's code derives from the events
    else:
        # FSRS's card is what today's code derives; the due date is the earlier of SM-2's and FSRS's, so nothing
        # that was due stops being due.
        assert {key: row[:DUE] + row[DUE + 1:] for key, row in after.items()} == {
            key: row[:DUE] + row[DUE + 1:] for key, row in derived.items()}
        assert {key: row[DUE] for key, row in after.items()} == {
            key: min(filter(None, (before[key][-1], row[DUE])), default=None) for key, row in derived.items()}
        assert [key for key, row in before.items() if row[-1]] == [
            key for key, row in after.items() if row[DUE]], "what was due is still scheduled, and nothing else"
    assert schema(db) == schema(open_db(tmp_path / "fresh.db"))


def test_the_fsrs_migration_keeps_whichever_due_date_is_earlier(tmp_path):
    """Version 6's SM-2 dates are edited first: one earlier than FSRS's (on an item FSRS would not schedule at all)
    and one later (FSRS has the item, answered badly last, due at once)."""
    path = old_database(tmp_path, 6)
    raw = sqlite3.connect(path)
    raw.execute("update progress_items set due_at = '2020-01-01T00:00:00+00:00' where key = 'technical.bias-variance'")
    raw.execute("update progress_items set due_at = '2099-01-01T00:00:00+00:00' where key = 'technical.gradient-descent'")
    raw.commit()
    raw.close()
    db = open_db(path)
    rows = {key: row for key, *row in db.execute(
        "select key, due_at, last_at, state, stability from progress_items where kind = 'question'")}
    assert rows["technical.bias-variance"][0] == "2020-01-01T00:00:00+00:00"
    due_at, last_at, state, stability = rows["technical.gradient-descent"]
    assert due_at == last_at and state == 1 and stability > 0  # FSRS's: again, learning, due at once
    assert rows["applied-ml.why-tests"][0] is None


def assert_backfilled(db, after: dict[tuple[str, str], tuple]) -> None:
    """Migration 4's frozen backfill gave each graded answer the events today's code would give it, and a skip 0."""
    expected: dict[tuple[str, str], list[float]] = {}
    answers = db.execute(
        "select t.question_id, coalesce(t.score, g.band), g.payload from turns t left join grades g "
        "on g.session_id = t.session_id and g.position = t.position "
        "where g.payload is not null or t.status = 'skipped'").fetchall()
    for question_id, score, payload in answers:
        events = events_for_grade(Grade.model_validate_json(payload), question_id, score) if payload else []
        for event in events or [type("Skip", (), {"kind": "question", "key": question_id, "value": 0.0})]:
            expected.setdefault((event.kind, event.key), []).append(event.value)
    assert {key: (row[2], round(row[3], 6)) for key, row in after.items()} == {
        key: (len(values), round(sum(values), 6)) for key, values in expected.items()}
    skipped = after[("question", "technical.gradient-descent")]
    assert skipped[2] == 2 and skipped[12] == 0.25  # the skip, then the active session's band 1 answer
    assert all(row[5] is not None for row in after.values())  # estimates derived once the migrations ran


def test_an_empty_file_is_a_new_database(tmp_path):
    path = tmp_path / "home" / "mockmle.db"
    path.parent.mkdir()
    path.touch()
    db = open_db(path)
    assert applied(db) == list(range(1, LATEST + 1))
    assert schema(db) == schema(open_db(":memory:"))


def test_the_migrations_import_nothing_of_todays_models():
    source = (Path(__file__).parent.parent / "mockmle" / "store" / "migrations.py").read_text()
    imports = re.findall(r"^\s*(?:from|import) (mockmle\.\S+)", source, re.MULTILINE)
    assert imports == ["mockmle.errors"]
