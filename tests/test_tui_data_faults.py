"""The app when saving fails or an earlier run was killed: driven by Pilot against a real SQLite file."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from mockmle.app.runner import InterviewRunner
from mockmle.app.services import Services
from mockmle.core.interview import Answer, build_plan
from mockmle.settings import Settings
from mockmle.tui.app import build_app
from mockmle.tui.screens.interview import InterviewScreen
from mockmle.tui.screens.results import ResultsScreen
from mockmle.tui.widgets.answer_editor import AnswerEditor

QUESTIONS = ["technical.overfitting-underfitting", "technical.bias-variance"]
ANSWER = ("Overfitting is when the model memorises noise in the training data, so training error is low "
          "but validation error is high; I fix it with regularisation, more data or early stopping.")


@pytest.fixture
def services(tmp_path: Path) -> Services:
    return Services(Settings(home=tmp_path / "home", meaning=False))


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.asyncio
async def test_a_failed_send_keeps_the_text_and_sending_again_saves_it_once(services: Services) -> None:
    app = build_app(services)
    async with app.run_test() as pilot:
        screen = InterviewScreen.new(services, build_plan(services.bank, question_ids=QUESTIONS, max_follow_ups=1))
        app.push_screen(screen)
        await pilot.pause()
        screen.query_one(AnswerEditor).insert(ANSWER)
        await pilot.pause()
        services.store.db.execute("PRAGMA busy_timeout = 50")
        blocker = sqlite3.connect(services.settings.db_path)
        blocker.execute("BEGIN EXCLUSIVE")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.query_one(AnswerEditor).text == ANSWER
        assert any("Your text is still in the box" in str(n.message) for n in app._notifications)
        blocker.rollback()
        blocker.close()

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.query_one(AnswerEditor).text == ""
        turn = screen.runner.state.turns[0]
        assert [(e.kind, e.answer) for e in turn.exchanges] == [("question", ANSWER), ("follow_up", None)]
    rows = Services(services.settings).store.db.execute(
        "select position, idx from exchanges where answer is not null").fetchall()
    assert rows == [(0, 0)]


@pytest.mark.asyncio
async def test_a_session_killed_before_its_last_grade_resumes_into_its_results(services: Services) -> None:
    runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=QUESTIONS, max_follow_ups=0))
    runner.handle_grading(runner.start())
    runner.handle_grading(runner.send(Answer(text=ANSWER, seconds=40)))
    runner.send(Answer(text="Bias is error from wrong assumptions; variance is sensitivity to the sample.", seconds=40))
    services.store.db.conn.close()  # killed while grading the last answer

    again = Services(services.settings)
    app = build_app(again)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("r")  # Home: resume the unfinished session
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
    record = Services(services.settings).store.get(runner.session_id)
    assert record.status == "finished" and set(record.grades) == {0, 1} and record.report is not None


@pytest.mark.asyncio
async def test_escape_sequences_stored_in_an_answer_are_drawn_as_text(services: Services) -> None:
    from mockmle.tui.screens.results import ResultsScreen as Results

    runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=QUESTIONS[:1], max_follow_ups=0))
    runner.handle_grading(runner.start())
    runner.handle_grading(runner.send(Answer(text=ANSWER, seconds=40)))
    runner.report()
    hostile = "Overfitting memorises noise \x1b]0;PWNED\x07 and \x1b[31mred\x1b[0m text."
    services.store.db.execute("update exchanges set answer = ?", [hostile])  # written by an older version
    services.store.db.execute("update sessions set state = replace(state, ?, ?)",
                              [ANSWER, hostile.replace("\x1b", "\\u001b").replace("\x07", "\\u0007")])
    services.store.db.conn.commit()
    record = services.store.get(runner.session_id)
    assert "\x1b" in record.state.turns[0].answer_text()

    app = build_app(services)
    async with app.run_test() as pilot:
        app.push_screen(Results(record))
        await settle(pilot)
        await pilot.press("enter")  # the answer's card
        await settle(pilot)
        console = Console(width=120, file=io.StringIO(), record=True)
        for widget in app.screen.query(Static):
            console.print(widget.content)
        drawn = console.export_text()
    assert "PWNED" in drawn and "\x1b" not in drawn and "\x07" not in drawn


def test_answers_and_model_wording_are_stored_without_control_characters() -> None:
    from mockmle.core.interview import Reword

    assert Answer(text="a\x1b]0;t\x07b\r\nc\u202ed").text == "a]0;tb\nc\u202ed"
    assert Reword(text="Why\x1b[2J that?", source="m").text == "Why[2J that?"


@pytest.mark.asyncio
async def test_a_draft_that_cannot_be_saved_is_reported_once_not_on_every_key(services: Services) -> None:
    app = build_app(services)
    async with app.run_test() as pilot:
        screen = InterviewScreen.new(services, build_plan(services.bank, question_ids=QUESTIONS, max_follow_ups=0))
        app.push_screen(screen)
        await pilot.pause()
        services.store.db.execute("PRAGMA busy_timeout = 10")
        blocker = sqlite3.connect(services.settings.db_path)
        blocker.execute("BEGIN EXCLUSIVE")
        await pilot.press(*"bias is")
        await pilot.pause()
        drafts = [n for n in app._notifications if "Could not save your draft" in str(n.message)]
        assert len(drafts) == 1
        blocker.rollback()
        blocker.close()
        await pilot.press(*" error")
        await pilot.pause()
    assert Services(services.settings).store.get_draft(screen.runner.session_id).text == "bias is error"
