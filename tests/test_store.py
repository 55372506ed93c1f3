"""Migrations on an in-memory database, and the session store on a real SQLite file."""

import sqlite3

import pytest

from mockmle.app.runner import InterviewRunner
from mockmle.core.grading.models import GradeRequest
from mockmle.core.interview import Answer, Hint, build_plan
from mockmle.errors import MockmleError, UsageError
from mockmle.store import open_db
from mockmle.store.migrations import MIGRATIONS, applied, migrate


def test_migrations_apply_once_and_are_recorded_in_memory():
    db = open_db(":memory:")
    assert applied(db) == [number for number, _, _ in MIGRATIONS]
    assert {"sessions", "turns", "exchanges", "grades", "_migrations"} <= set(db.table_names())
    assert migrate(db) == []  # nothing left to apply
    assert db["_migrations"].count == len(MIGRATIONS)


def test_database_file_uses_wal(tmp_path):
    db = open_db(tmp_path / "m.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_unusable_database_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(MockmleError, match="bad.db"):
        open_db(bad)


def test_answers_are_committed_before_grading_and_visible_to_a_second_connection(services, tmp_path):
    runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=["technical.bias-variance"], max_follow_ups=0))
    runner.start()
    runner.send(Answer(text="Bias is error from wrong assumptions; variance is sensitivity to the sample.", seconds=12.5))
    other = sqlite3.connect(services.settings.db_path)  # a second reader, as another process would be
    answer, seconds = other.execute("select answer, seconds from exchanges where session_id = ?", [runner.session_id]).fetchone()
    assert answer.startswith("Bias is error") and seconds == 12.5
    assert other.execute("select count(*) from grades").fetchone()[0] == 0  # not graded yet, still saved


def test_grades_report_and_listing(services):
    runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=["technical.bias-variance"], max_follow_ups=0))
    runner.start()
    runner.send(Hint())
    actions = runner.send(Answer(text="High bias underfits and high variance overfits; more complex models lower bias but raise variance."))
    runner.handle_grading(actions)
    report = runner.report()
    record = services.store.get(runner.session_id[:4])  # unique prefix works
    assert record.status == "finished"
    grade = record.grades[0]
    assert grade.provenance.judge == "offline" and grade.provenance.rubric_version == services.bank.rubric_version
    assert record.report == report
    row = services.store.db["turns"].get((runner.session_id, 0))
    assert row["score"] == max(0, grade.band - 0.5)  # one hint costs half a band
    (listed,) = services.store.list()
    assert listed["id"] == runner.session_id and listed["answered"] == 1 and listed["judge"] == "offline"


def test_delete_removes_everything_of_that_session_only(services):
    ids = []
    for _ in range(2):
        runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=["technical.bias-variance"], max_follow_ups=0))
        runner.start()
        runner.handle_grading(runner.send(Answer(text="Bias and variance trade off.")))
        ids.append(runner.session_id)
    services.store.delete(ids[0])
    db = services.store.db
    for table in ("sessions", "turns", "exchanges", "grades"):
        column = "id" if table == "sessions" else "session_id"
        assert db.execute(f"select count(*) from {table} where {column} = ?", [ids[0]]).fetchone()[0] == 0
        assert db.execute(f"select count(*) from {table} where {column} = ?", [ids[1]]).fetchone()[0] == 1
    with pytest.raises(UsageError, match="no session"):
        services.store.get(ids[0])


def test_resume_regrades_answers_left_ungraded(services):
    plan = build_plan(services.bank, question_ids=["technical.bias-variance", "technical.gradient-descent"], max_follow_ups=0)
    runner = InterviewRunner.create(services, plan)
    runner.start()
    runner.send(Answer(text="Bias is underfitting, variance is overfitting."))  # graded never: as if killed here
    resumed = InterviewRunner.resume(services, runner.session_id)
    assert resumed.grade_pending() == [0]
    (ask,) = resumed.start()
    assert ask.question_id == "technical.gradient-descent"
    assert 0 in services.store.get(runner.session_id).grades


def test_grader_outputs_validate(services):
    grade = services.grader.grade(GradeRequest(question_text="What is X?", answer="I don't know"))
    assert grade.band == 0


def test_a_second_reader_does_not_block_writes(services):
    """WAL: another instance holding a read transaction open must not stop answers being saved."""
    runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=["technical.bias-variance"], max_follow_ups=0))
    runner.start()
    reader = sqlite3.connect(services.settings.db_path, timeout=0.1)
    reader.execute("BEGIN")
    assert reader.execute("select count(*) from sessions").fetchone()[0] == 1  # read transaction now open
    runner.send(Answer(text="Saved while another process is reading."))
    assert reader.execute("select count(*) from exchanges where answer is not null").fetchone()[0] == 0  # its snapshot
    reader.rollback()
    assert reader.execute("select answer from exchanges").fetchone()[0] == "Saved while another process is reading."


def test_draft_is_kept_for_the_open_exchange_and_dropped_once_answered(services):
    runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=["technical.bias-variance"], max_follow_ups=1))
    runner.start()
    store = services.store
    store.save_draft(runner.session_id, 0, 0, "Bias is")
    runner.send(Hint())  # a hint keeps the exchange open: the draft stays
    assert store.get_draft(runner.session_id).text == "Bias is"
    runner.send(Answer(text="Bias is error from assumptions."))
    assert store.get_draft(runner.session_id) is None
    store.save_draft(runner.session_id, 0, 1, "follow-up draft")
    other = sqlite3.connect(services.settings.db_path)  # on disk at once, for a process killed right after
    assert other.execute("select text from drafts").fetchone()[0] == "follow-up draft"
    store.delete(runner.session_id)
    assert other.execute("select count(*) from drafts").fetchone()[0] == 0


def test_unfinished_sessions_are_listed_on_their_own(services):
    runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=["technical.bias-variance"], max_follow_ups=0))
    runner.start()
    done = InterviewRunner.create(services, build_plan(services.bank, question_ids=["technical.bias-variance"], max_follow_ups=0))
    done.start()
    done.handle_grading(done.send(Answer(text="Bias and variance.")))
    done.report()  # finished once its scorecard is saved
    assert [r["id"] for r in services.store.list(status="active")] == [runner.session_id]
    rows = services.store.list(with_questions=True)
    assert all("bias-variance tradeoff" in row["questions"] for row in rows) and len(rows) == 2
