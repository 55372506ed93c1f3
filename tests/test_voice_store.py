"""A spoken answer through the runner and the real SQLite store: the raw transcript and the submitted text are
both kept, delivery is stored with it, shown with the grade, tracked in progress, and deleted with the session."""

from __future__ import annotations

import sqlite_utils

from mockmle.app.progress_view import build_progress
from mockmle.app.runner import InterviewRunner
from mockmle.cli.progress_cmds import progress_text
from mockmle.core.interview import Answer
from mockmle.core.plan import build_plan
from mockmle.core.speech import SpokenText, Word
from mockmle.reporting.session import session_data, session_markdown
from mockmle.store import open_db
from mockmle.store.migrations import MIGRATIONS

RAW = ("um so for the hold out set I would split by time uh to avoid leakage and then you know write tests for the "
       "feature pipeline")
SUBMITTED = ("So for the hold-out set I would split by time to avoid leakage, and then write tests for the feature "
             "pipeline.")


def spoken(text: str = RAW, step: float = 0.35) -> SpokenText:
    words = [Word(text=token, start=round(0.5 + i * step, 2), end=round(0.5 + i * step + 0.25, 2))
             for i, token in enumerate(text.split())]
    return SpokenText(text=text, words=words, duration=words[-1].end + 0.5, backend="faster-whisper", model="base")


def start(services, question_id="applied-ml.why-tests"):
    runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=[question_id], max_follow_ups=0,
                                                         time_per_question=180))
    runner.start()
    return runner


def test_a_take_keeps_the_raw_transcript_beside_the_submitted_text(services, tmp_path):
    runner = start(services)
    position, idx = runner.open_exchange()
    wav = str(services.settings.session_recordings(runner.session_id) / "q1-1.wav")
    delivery = runner.record_take(position, idx, wav, spoken())

    # saved the moment it was transcribed, before anything is sent
    row = services.store.db.execute("select raw_text, audio_path, delivery from spoken_answers").fetchone()
    assert row[0] == RAW and row[1] == f"recordings/{runner.session_id}/q1-1.wav"  # relative to the data home
    assert [f.text for f in delivery.fillers] == ["um", "uh", "you know"]
    assert delivery.time_limit == 180 and delivery.check("time").passed

    runner.handle_grading(runner.send(Answer(text=SUBMITTED)))
    record = services.store.get(runner.session_id)
    assert record.state.turns[0].exchanges[0].answer == SUBMITTED
    assert record.takes[(0, 0)].spoken.text == RAW
    assert record.deliveries(0)[0].fillers == delivery.fillers

    exchange = session_data(record)["turns"][0]["exchanges"][0]
    assert exchange["answer"] == SUBMITTED and exchange["spoken"]["raw_transcript"] == RAW
    assert exchange["spoken"]["delivery"]["wpm"] == delivery.wpm
    markdown = session_markdown(record)
    assert "*Spoken: " in markdown and "Filler words" in markdown


def test_delivery_is_tracked_in_progress_and_forgotten_with_the_session(services):
    runner = start(services)
    runner.record_take(*runner.open_exchange(), "q1-1.wav", spoken())
    runner.handle_grading(runner.send(Answer(text=SUBMITTED)))
    db = services.store.db

    view = build_progress(services.store.progress, services.bank)
    by_id = {c.id: c for c in view.delivery}
    assert {"pace", "fillers", "pauses", "time", "focus"} <= set(by_id)
    assert by_id["fillers"].pass_rate == 0.0  # three fillers in 8 seconds
    assert by_id["time"].pass_rate == 1.0
    assert "Spoken answers: how you said them" in progress_text(view)

    services.store.delete(runner.session_id)
    assert db.execute("select count(*) from spoken_answers").fetchone()[0] == 0
    assert build_progress(services.store.progress, services.bank).delivery == []


def test_a_take_of_an_exchange_that_was_never_sent_is_not_graded_as_delivery(services):
    runner = start(services)
    runner.record_take(*runner.open_exchange(), "q1-1.wav", spoken())
    runner.send(Answer(text="typed instead"))  # the take's exchange is answered, so it counts...
    assert runner.services.store.spoken.takes(runner.session_id, 0, answered_only=True)

    other = start(services)
    other.record_take(*other.open_exchange(), "q1-1.wav", spoken())
    assert other.services.store.spoken.takes(other.session_id, 0, answered_only=True) == []  # ...until then it doesn't


def test_a_retake_replaces_the_last_one(services):
    runner = start(services)
    where = runner.open_exchange()
    runner.record_take(*where, "q1-1.wav", spoken())
    runner.record_take(*where, "q1-1-take2.wav", spoken("we split by time and test the pipeline"))
    (take,) = services.store.spoken.takes(runner.session_id)
    assert take.audio_path == "q1-1-take2.wav" and take.delivery.fillers == []


def test_migration_5_adds_the_table_to_an_existing_database(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    db["_migrations"].create({"id": int, "name": str, "applied_at": str}, pk="id")
    for number, name, step in MIGRATIONS[:4]:
        step(db)
        db["_migrations"].insert({"id": number, "name": name, "applied_at": "2026-01-01"})
    db.close()
    migrated = open_db(path)
    assert "spoken_answers" in migrated.table_names()
    assert [r["id"] for r in migrated["_migrations"].rows] == [number for number, _, _ in MIGRATIONS]


def test_deleting_a_session_removes_its_recordings_and_reports_show_delivery(services):
    from mockmle.reporting.html_session import session_html

    runner = start(services)
    folder = services.settings.session_recordings(runner.session_id)
    folder.mkdir(parents=True)
    (folder / "q1-1.wav").write_bytes(b"RIFF")
    runner.record_take(*runner.open_exchange(), str(folder / "q1-1.wav"), spoken())
    runner.handle_grading(runner.send(Answer(text=SUBMITTED)))
    page = session_html(services.store.get(runner.session_id), generated_at="2026-11-22T10:00:00+00:00")
    assert "Spoken: " in page and "Filler words" in page

    other = start(services)
    services.delete_session(runner.session_id[:5])
    assert not folder.exists()
    assert [r["id"] for r in services.store.list()] == [other.session_id]
