"""The real app driven by Pilot through the keyboard, against a real SQLite file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from mockmle.app.services import Services
from mockmle.core.interview import build_plan
from mockmle.settings import Settings
from mockmle.store.sessions import SessionStore
from mockmle.tui.app import build_app
from mockmle.tui.screens.home import HomeScreen
from mockmle.tui.screens.interview import InterviewScreen
from mockmle.tui.screens.results import ResultsScreen
from mockmle.tui.screens.review import ReviewScreen
from mockmle.tui.widgets.answer_editor import AnswerEditor
from mockmle.tui.widgets.question_timer import QuestionTimer

pytestmark = pytest.mark.asyncio

ANSWER = ("Overfitting is when the model memorises noise in the training data, so training error is low "
          "but validation error is high. I detect it with a held-out validation set and cross-validation, "
          "and fix it with regularisation, more data, simpler models or early stopping.")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def services(tmp_path: Path) -> Services:
    return Services(Settings(home=tmp_path / "home"))


def shown_text(screen) -> str:
    """Everything the screen's Static widgets hold, rendered as plain text (including what is scrolled off)."""
    console = Console(width=100, file=io.StringIO(), record=True)
    for widget in screen.query(Static):
        console.print(widget.content)
    return console.export_text()


def fresh(services: Services) -> Services:
    """A second app run on the same data home, as after a restart."""
    return Services(services.settings)


async def settle(pilot) -> None:
    """Let key presses land, background grading and exports finish, and their messages arrive."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    editor = pilot.app.screen.query_one(AnswerEditor)
    editor.insert(text)
    await pilot.pause()


def open_interview(app, services: Services, question_ids: list[str], **plan_options) -> InterviewScreen:
    plan = build_plan(services.bank, question_ids=question_ids, **plan_options)
    screen = InterviewScreen.new(services, plan)
    app.push_screen(screen)
    return screen


async def test_full_offline_interview_through_the_keyboard(services: Services) -> None:
    app = build_app(services)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("n")
        await pilot.pause()
        # Questions: tab from the stage list to the count, open it, pick 3 (one up from 5).
        await pilot.press("tab", "enter", "up", "enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.query_one(AnswerEditor).has_focus
        for _ in range(10):  # three questions, each perhaps with a follow-up
            if not isinstance(app.screen, InterviewScreen):
                break
            await pilot.press(*"I would start from the business goal and a simple baseline.")
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        shown = shown_text(app.screen)
        assert "Hiring recommendation" in shown
        assert "Q3 ·" in shown and "Areas to cover" in shown and "A strong answer would say" in shown

    record = fresh(services).store.get(screen.runner.session_id)
    assert record.status == "finished"
    assert [t.status for t in record.state.turns] == ["answered"] * 3
    assert sorted(record.grades) == [0, 1, 2]
    assert record.report is not None and record.report.answered == 3
    assert all("baseline" in (t.exchanges[0].answer or "") for t in record.state.turns)


async def test_text_typed_just_before_send_is_all_sent(services: Services) -> None:
    app = build_app(services)
    async with app.run_test() as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting"], max_follow_ups=0)
        await pilot.pause()
        await pilot.press(*"all of this", "ctrl+s")
        await pilot.pause()
        assert screen.runner.state.turns[0].exchanges[0].answer == "all of this"


async def test_quit_mid_interview_asks_once_keeps_answers_and_draft_then_resumes(services: Services) -> None:
    app = build_app(services)
    async with app.run_test() as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting", "technical.bias-variance"], max_follow_ups=0)
        await pilot.pause()
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_text(pilot, "Bias is error from wrong assumptions")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.screen.query_one("#confirm-question")  # asked, not quit
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    session_id = screen.runner.session_id

    again = fresh(services)
    record = again.store.get(session_id)
    assert record.status == "active"
    assert record.state.turns[0].exchanges[0].answer == ANSWER
    assert again.store.get_draft(session_id).text == "Bias is error from wrong assumptions"

    app = build_app(again)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("r")  # resume the latest unfinished session from Home
        await pilot.pause()
        resumed = app.screen
        assert isinstance(resumed, InterviewScreen)
        editor = resumed.query_one(AnswerEditor)
        assert editor.text == "Bias is error from wrong assumptions"
        await type_text(pilot, ", variance is sensitivity to the training sample.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
    record = fresh(services).store.get(session_id)
    assert record.status == "finished"
    assert record.state.turns[1].exchanges[0].answer.endswith("sensitivity to the training sample.")
    assert fresh(services).store.get_draft(session_id) is None


async def test_draft_survives_an_abrupt_exit(services: Services) -> None:
    app = build_app(services)
    async with app.run_test() as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting"])
        await pilot.pause()
        await pilot.press(*"half an ans")
        await pilot.pause()
        app.exit()  # no confirmation, as if killed: nothing is written at exit
    assert fresh(services).store.get_draft(screen.runner.session_id).text == "half an ans"


async def test_timer_warns_near_the_limit_and_never_cuts_off(services: Services) -> None:
    clock = FakeClock()
    app = build_app(services, clock=clock)
    async with app.run_test() as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting"], time_per_question=100, max_follow_ups=0)
        await pilot.pause()
        timer = screen.query_one(QuestionTimer)
        clock.now += 85
        timer.tick()
        assert timer.has_class("-warn") and "left" in str(timer.render())
        clock.now += 60
        timer.tick()
        assert timer.has_class("-over") and not timer.has_class("-warn")
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
    turn = fresh(services).store.get(screen.runner.session_id).state.turns[0]
    assert turn.status == "answered"
    assert turn.exchanges[0].seconds == pytest.approx(145, abs=0.5)


async def test_hint_repeat_and_skip_with_text_asks_first(services: Services) -> None:
    app = build_app(services)
    async with app.run_test() as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting", "technical.bias-variance"], max_follow_ups=0)
        await pilot.pause()
        await pilot.press("ctrl+t", "ctrl+r")
        await pilot.pause()
        entries = [str(e.render()) for e in screen.query(".entry")]
        assert any("Hint" in e for e in entries)
        assert sum("overfitting" in e.lower() for e in entries) >= 2  # asked, then repeated
        await type_text(pilot, "not sure")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.query_one("#confirm-question")
        await pilot.press("n")  # keep the text
        await pilot.pause()
        assert screen.query_one(AnswerEditor).text == "not sure"
        await pilot.press("ctrl+n", "y")
        await pilot.pause()
        assert screen.runner.state.turns[0].status == "skipped"
        assert screen.runner.state.turns[0].hints
        assert screen.query_one(AnswerEditor).text == ""


async def test_end_sends_the_text_in_the_box_and_shows_results(services: Services) -> None:
    app = build_app(services)
    async with app.run_test() as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting", "technical.bias-variance"])
        await pilot.pause()
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+g", "y")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
    record = fresh(services).store.get(screen.runner.session_id)
    assert record.state.ended_early
    assert record.state.turns[0].status == "answered"
    assert 0 in record.grades


class BrokenGrader:
    name = "broken"

    def grade(self, request):
        raise RuntimeError("judge unavailable")


async def test_a_grading_failure_notifies_and_keeps_the_session(services: Services) -> None:
    services.grader_for = lambda judge: BrokenGrader()
    app = build_app(services)
    async with app.run_test() as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting", "technical.bias-variance"], max_follow_ups=0)
        await pilot.pause()
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("failed" in str(n.message) for n in app._notifications)
        assert isinstance(app.screen, InterviewScreen)  # the next question is up; nothing crashed
    record = fresh(services).store.get(screen.runner.session_id)
    assert record.state.turns[0].exchanges[0].answer == ANSWER
    # A working judge grades it on resume.
    again = fresh(services)
    app = build_app(again)
    async with app.run_test() as pilot:
        app.push_screen(InterviewScreen.resume(again, screen.runner.session_id))
        await settle(pilot)
    assert 0 in fresh(services).store.get(screen.runner.session_id).grades


def seed_sessions(services: Services) -> list[str]:
    from mockmle.app.runner import InterviewRunner
    from mockmle.core.interview import Answer

    ids = []
    for question_id, answer in (("technical.overfitting-underfitting", ANSWER),
                                ("applied-ml.why-tests", "Tests catch regressions in the data pipeline.")):
        runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=[question_id], max_follow_ups=0))
        runner.handle_grading(runner.start())
        runner.handle_grading(runner.send(Answer(text=answer, seconds=20)))
        runner.report()
        ids.append(runner.session_id)
    return ids


async def test_review_filters_opens_exports_and_deletes(services: Services) -> None:
    overfit_id, tests_id = seed_sessions(services)
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        table = review.query_one("DataTable")
        assert table.row_count == 2
        await pilot.press("slash", *"applied")
        await pilot.pause()
        assert table.row_count == 1 and review.selected_id() == tests_id
        await pilot.press("enter")  # from the search box to the table
        await pilot.press("enter")  # open it
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, ResultsScreen) and detail.record.id == tests_id
        await pilot.press("e")
        await settle(pilot)
        exported = services.settings.transcripts_dir / f"session-{tests_id}.md"
        assert exported.exists() and "Tests catch regressions" in exported.read_text()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is review
        await pilot.press("slash", "ctrl+a", "ctrl+k", "enter")  # clear the filter
        await pilot.pause()
        assert table.row_count == 2
        table.move_cursor(row=[r["id"] for r in review.rows].index(overfit_id))
        await pilot.pause()
        assert review.selected_id() == overfit_id
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")  # cancel first: nothing deleted
        await pilot.pause()
        assert table.row_count == 2
        await pilot.press("d", "y")
        await pilot.pause()
        assert table.row_count == 1
    remaining = [row["id"] for row in fresh(services).store.list()]
    assert remaining == [tests_id]


async def test_every_footer_action_is_in_the_command_palette(services: Services) -> None:
    app = build_app(services)
    async with app.run_test() as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting"])
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(screen)}
        assert {"Send", "Hint", "Skip", "Repeat", "End", "Quit"} <= titles


async def test_store_ids_and_dates_can_be_fixed(tmp_path: Path) -> None:
    from mockmle.store import open_db

    ids = iter(["a1", "b2"])
    store = SessionStore(open_db(tmp_path / "x.db"), clock=lambda: "2026-01-01T00:00:00+00:00", new_id=lambda: next(ids))
    services = Services(Settings(home=tmp_path))
    plan = build_plan(services.bank, question_ids=["technical.overfitting-underfitting"])
    assert store.create(services.interview.new(plan), judge="offline") == "a1"
    assert store.list()[0]["created_at"] == "2026-01-01T00:00:00+00:00"


async def test_ctrl_q_twice_quits_mid_interview(services: Services) -> None:
    app = build_app(services)
    async with app.run_test() as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting"])
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert fresh(services).store.get(screen.runner.session_id).status == "active"


async def test_settings_and_progress_say_where_things_are_and_what_is_coming(services: Services) -> None:
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        text = shown_text(app.screen)
        assert str(services.settings.db_path) in text and "Offline judge" in text
        await pilot.press("escape", "p")
        await pilot.pause()
        assert "No graded answers yet" in shown_text(app.screen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.has_unfinished and app.screen.check_action("resume_latest", ()) is False
