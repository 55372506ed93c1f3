"""The store under faults: failed saves, a full database, a kill before the last grade, a newer or damaged
database, session ids typed with wildcards. Everything here runs on real SQLite files."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from mockmle.app.runner import InterviewRunner
from mockmle.app.services import Services
from mockmle.core.interview import Answer, build_plan
from mockmle.errors import MockmleError
from mockmle.settings import Settings
from mockmle.store import open_db
from mockmle.store.faults import StorageError
from mockmle.store.migrations import MIGRATIONS, NewerDatabase
from mockmle.store.sessions import DamagedSession

QUESTIONS = ["technical.overfitting-underfitting", "technical.bagging-vs-boosting"]
OVERFITTING = ("Overfitting is when the model memorises noise in the training data, so the validation loss rises "
               "while the training loss keeps falling; I use regularisation, more data and early stopping.")


@pytest.fixture
def services(tmp_path):
    return Services(Settings(home=tmp_path / "home", meaning=False))


def new_runner(services: Services, follow_ups: int = 1) -> InterviewRunner:
    plan = build_plan(services.bank, question_ids=QUESTIONS, max_follow_ups=follow_ups)
    runner = InterviewRunner.create(services, plan)
    runner.start()
    return runner


def answers_in_db(services: Services, session_id: str) -> list[tuple[int, int, str]]:
    return [tuple(row) for row in services.store.db.execute(
        "select position, idx, answer from exchanges where session_id = ? and answer is not null order by 1, 2",
        [session_id]).fetchall()]


def test_a_failed_save_changes_nothing_and_sending_again_saves_the_answer_once(services):
    runner = new_runner(services)
    services.store.db.execute("PRAGMA busy_timeout = 50")
    before = runner.state.model_copy(deep=True)
    blocker = sqlite3.connect(services.settings.db_path)
    blocker.execute("BEGIN EXCLUSIVE")
    with pytest.raises(StorageError, match="busy"):
        runner.send(Answer(text=OVERFITTING, seconds=30))
    assert runner.state == before  # not moved on to a follow-up nobody saw
    blocker.rollback()
    blocker.close()

    runner.send(Answer(text=OVERFITTING, seconds=30))
    assert answers_in_db(services, runner.session_id) == [(0, 0, OVERFITTING)]
    assert runner.state.turns[0].exchanges[-1].kind == "follow_up"
    assert runner.state.turns[0].exchanges[-1].answer is None


def test_a_full_database_says_so_in_one_line_keeps_what_was_saved_and_carries_on_once_there_is_room(services):
    runner = new_runner(services, follow_ups=0)
    runner.handle_grading(runner.send(Answer(text=OVERFITTING, seconds=30)))
    saved = answers_in_db(services, runner.session_id)
    db = services.store.db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL, as on a full disk
    long_answer = "Bagging trains models independently on bootstrap samples and averages them. " * 400
    with pytest.raises(StorageError) as failure:
        runner.send(Answer(text=long_answer, seconds=30))
    assert str(failure.value).startswith("the disk is full") and "\n" not in str(failure.value)
    assert answers_in_db(services, runner.session_id) == saved
    assert runner.state.current.position == 1 and runner.state.current.exchanges[0].answer is None

    db.execute("PRAGMA max_page_count = 1073741823")
    runner.handle_grading(runner.send(Answer(text=long_answer, seconds=30)))
    assert answers_in_db(services, runner.session_id) == [*saved, (1, 0, long_answer)]


def test_a_session_killed_before_its_last_grade_stays_resumable_and_resuming_grades_it(services):
    runner = new_runner(services, follow_ups=0)
    runner.handle_grading(runner.send(Answer(text=OVERFITTING, seconds=30)))
    runner.send(Answer(text="Bagging averages independent models; boosting fits each on the last one's errors.",
                       seconds=30))  # the process dies here, before grading the last answer
    assert runner.finished
    assert services.store.list()[0]["status"] == "active"

    fresh = Services(Settings(home=services.settings.home, meaning=False))  # the next run
    resumed = InterviewRunner.resume(fresh, runner.session_id)
    assert [type(a).__name__ for a in resumed.start()] == ["Finished"]
    assert resumed.ungraded() == [1]
    resumed.report()
    record = fresh.store.get(runner.session_id)
    assert record.status == "finished" and set(record.grades) == {0, 1} and record.report is not None


def test_sessions_marked_finished_without_a_scorecard_by_an_older_mockmle_become_resumable(tmp_path, services):
    runner = new_runner(services, follow_ups=0)
    services.store.db.execute("update sessions set status = 'finished' where id = ?", [runner.session_id])
    services.store.db.execute("delete from _migrations where id = 6")
    services.store.db.conn.commit()
    reopened = open_db(services.settings.db_path)
    assert reopened.execute("select status from sessions").fetchone()[0] == "active"


def test_a_database_from_a_newer_mockmle_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "mockmle.db"
    db = open_db(path)
    newest = max(number for number, _, _ in MIGRATIONS)
    db["_migrations"].insert({"id": newest + 1, "name": "from the future", "applied_at": "2027-01-01"})
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    for side in ("-wal", "-shm"):
        (tmp_path / f"mockmle.db{side}").unlink(missing_ok=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    with pytest.raises(NewerDatabase) as refused:
        open_db(path)
    line = str(refused.value)
    assert f"schema version {newest + 1}" in line and f"knows up to {newest}" in line and "\n" not in line
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not (tmp_path / "mockmle.db-wal").exists()


def test_a_damaged_session_is_reported_as_such_and_the_others_still_work(services):
    good = new_runner(services, follow_ups=0).session_id
    bad = new_runner(services, follow_ups=0).session_id
    services.store.db.execute("update sessions set state = '{\"plan\": [broken' where id = ?", [bad])
    services.store.db.conn.commit()

    with pytest.raises(DamagedSession, match=f"session {bad} is damaged"):
        services.store.get(bad)
    assert services.store.get(good).id == good
    assert {row["id"] for row in services.store.list()} == {good, bad}


@pytest.mark.parametrize("typed", ["%", "_", "%%%%%%%%", "_" * 8])
def test_session_ids_are_matched_literally_not_as_patterns(services, typed):
    new_runner(services, follow_ups=0)
    with pytest.raises(MockmleError, match="no session"):
        services.store.resolve(typed)


def test_a_very_long_session_id_gets_a_short_error(services):
    with pytest.raises(MockmleError) as error:
        services.store.resolve("a" * 100_000)
    assert len(str(error.value)) < 200


def test_grades_of_a_damaged_row_do_not_break_the_table_listing(services):
    runner = new_runner(services, follow_ups=0)
    runner.handle_grading(runner.send(Answer(text=OVERFITTING, seconds=30)))
    services.store.db.execute("update grades set payload = 'not json'")
    services.store.db.conn.commit()
    from mockmle.app.second_opinion import unsure_counts

    assert unsure_counts(services) == {}
    with pytest.raises(DamagedSession):
        services.store.get(runner.session_id)
    assert json.loads(json.dumps(services.store.list()))[0]["id"] == runner.session_id


def test_an_answer_holding_a_lone_surrogate_is_saved_and_graded(services):
    runner = new_runner(services, follow_ups=0)  # bad bytes typed at a terminal arrive as lone surrogates
    runner.handle_grading(runner.send(Answer(text="Overfitting \udcff memorises noise in the training data.")))
    assert answers_in_db(services, runner.session_id) == [(0, 0, "Overfitting \ufffd memorises noise in the training data.")]
    assert 0 in runner.grades
