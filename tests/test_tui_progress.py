"""The Progress screen and drills in the real app (Pilot), over real SQLite files seeded by playing interviews."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from mockmle.app.progress_view import build_progress
from mockmle.app.runner import InterviewRunner
from mockmle.app.services import Services
from mockmle.core.interview import Answer, build_plan
from mockmle.settings import Settings
from mockmle.store import open_db
from mockmle.store.sessions import SessionStore
from mockmle.tui.app import build_app
from mockmle.tui.screens.home import HomeScreen
from mockmle.tui.screens.interview import InterviewScreen
from mockmle.tui.screens.progress import ProgressScreen
from mockmle.tui.screens.setup import SetupScreen
from mockmle.tui.widgets.competency_chart import CompetencyChart
from mockmle.tui.widgets.transcript import Transcript
from test_progress import BAGGING, CALIBRATION, WHY_TESTS, Clock

pytestmark = pytest.mark.asyncio

UNSURE = "I'm not sure, I would just try things"
DEPLOYMENT = "technical.deployment"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(tmp_path: Path, clock: Clock) -> Services:
    services = Services(Settings(home=tmp_path / "home"))
    services.store = SessionStore(open_db(services.settings.db_path), clock=clock)
    return services


def play(services: Services, answers: dict[str, str]) -> str:
    """One finished session answering each question in order, graded offline, no follow-ups."""
    runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=list(answers), max_follow_ups=0))
    runner.handle_grading(runner.start())
    for text in answers.values():
        runner.handle_grading(runner.send(Answer(text=text, seconds=60.0)))
    runner.report()
    return runner.session_id


def history(services: Services, clock: Clock) -> list[str]:
    """Three days of sessions: bagging learnt, tests answered well, deployment answered badly twice, and one
    screening question once (its competencies have a single point)."""
    first = play(services, {"technical.bagging-vs-boosting": UNSURE, "applied-ml.why-tests": WHY_TESTS, DEPLOYMENT: UNSURE})
    clock.now += timedelta(days=2)
    second = play(services, {"technical.bagging-vs-boosting": BAGGING, "applied-ml.why-tests": WHY_TESTS, DEPLOYMENT: UNSURE})
    clock.now += timedelta(days=1)
    third = play(services, {"screening.algorithm-selection": CALIBRATION["cal-046"]["answer"]})
    clock.now += timedelta(days=1)
    return [first, second, third]


async def open_progress(pilot) -> ProgressScreen:
    await pilot.press("p")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ProgressScreen)
    return screen


def shown(widget: Static) -> str:
    """A Static's text as the user reads it, markup rendered."""
    content = widget.content
    return content.plain if isinstance(content, (Text, Content)) else Content.from_markup(str(content)).plain


def keys(table: DataTable) -> list[str]:
    return [row.key.value for row in table.ordered_rows]


async def test_a_chart_for_every_competency_drawn_from_its_series(services: Services, clock: Clock) -> None:
    history(services, clock)
    expected = build_progress(services.store.progress, services.bank).competencies
    assert any(len(c.series) >= 2 for c in expected) and any(len(c.series) < 2 for c in expected)
    app = build_app(services)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = await open_progress(pilot)
        summary = shown(screen.query_one("#progress-summary", Static))
        assert "3 sessions · 7 answers" in summary and "d drills what's due" in summary
        table = screen.query_one("#competency-table", DataTable)
        assert keys(table) == [c.id for c in expected]  # weakest first, as build_progress sorts them
        chart = screen.query_one(CompetencyChart)
        plot = chart.query_one(PlotextPlot)
        for row, competency in enumerate(expected):  # every competency's chart is a cursor move away
            table.move_cursor(row=row)
            await pilot.pause()
            assert chart.competency.id == competency.id
            title = shown(chart.query_one(".chart-title", Static))
            assert competency.name in title and f"{competency.level:.1f} ±{competency.spread:.1f}" in title
            assert plot.display == (len(competency.series) >= 2)
            if plot.display:
                drawn = plot.render().plain
                assert all(point.date in drawn for point in (competency.series[0], competency.series[-1]))
                assert any("\u2800" <= ch <= "\u28ff" for ch in drawn)  # the braille line itself
            else:
                assert "One day of answers so far" in shown(chart.query_one(".chart-note", Static))
        assert len(screen.query(PlotextPlot)) == 1  # one chart, redrawn per row, not a dozen


async def test_areas_weakest_first_marked_with_evidence_and_key_points(services: Services, clock: Clock) -> None:
    first, second, _ = history(services, clock)
    progress = build_progress(services.store.progress, services.bank)
    weakest = [w.area for w in progress.weakest]
    assert len(weakest) == 3 and all(w.question_ids == [DEPLOYMENT] for w in progress.weakest)
    app = build_app(services)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = await open_progress(pilot)
        await pilot.press("2")
        await pilot.pause()
        table = screen.query_one("#area-table", DataTable)
        assert table.has_focus
        assert keys(table)[:3] == weakest
        for row in range(table.row_count):
            cell = table.get_cell_at((row, 0))
            assert isinstance(cell, Text)
            marked = row < 3
            assert cell.plain.startswith("▲") == marked
            assert ("red" in str(cell.style)) == marked
        details = screen.query_one("#area-details", Static)
        text = shown(details)
        assert weakest[0] in text and "one of your weakest" in text
        assert f"session {second}" in text and f"session {first}" in text and "missed" in text
        assert "Key points to learn" in text
        table.move_cursor(row=table.row_count - 1)
        await pilot.pause()
        text = shown(details)
        assert keys(table)[-1] in text and "one of your weakest" not in text


async def test_deleting_a_session_removes_it_from_progress(services: Services, clock: Clock) -> None:
    weak_session = play(services, {DEPLOYMENT: UNSURE})
    clock.now += timedelta(days=1)
    play(services, {"applied-ml.why-tests": WHY_TESTS})
    deployment = {a.area for a in build_progress(services.store.progress, services.bank).areas if DEPLOYMENT in a.question_ids}
    app = build_app(services)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = await open_progress(pilot)
        await pilot.press("2")
        await pilot.pause()
        areas = keys(screen.query_one("#area-table", DataTable))
        assert deployment and deployment <= set(areas) and areas[0] in deployment
        services.store.delete(weak_session)
        await pilot.press("escape")
        await pilot.pause()
        screen = await open_progress(pilot)
        await pilot.press("2")
        await pilot.pause()
        areas = keys(screen.query_one("#area-table", DataTable))
        assert areas and not deployment & set(areas)
        assert "1 session · " in shown(screen.query_one("#progress-summary", Static))


async def test_empty_history_says_what_to_do_and_draws_nothing(services: Services) -> None:
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_progress(pilot)
        assert "No graded answers yet" in shown(screen.query_one("#progress-empty", Static))
        assert not screen.query(PlotextPlot) and not screen.query(DataTable)
        await pilot.press("d")  # nothing to drill: a calm note, and the screen stays
        await pilot.pause()
        assert app.screen is screen
        assert any("nothing to drill" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_setup_drill_key_starts_a_drill_with_reasons_in_the_transcript(services: Services, clock: Clock) -> None:
    history(services, clock)
    progress = build_progress(services.store.progress, services.bank)
    app = build_app(services)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        weak = sum(a.weak for a in progress.areas)
        assert shown(app.screen.query_one("#setup-drill", Static)) == f"Drill: {len(progress.due)} due · {weak} weak areas"
        await pilot.press("tab", "enter", "up", "enter")  # 3 questions instead of 5
        await pilot.pause()
        await pilot.press("ctrl+d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        plan = screen.plan
        assert plan.kind == "drill" and len(plan.question_ids) == 3
        assert DEPLOYMENT in plan.question_ids  # the weak one is drilled
        assert shown(screen.query_one("#interview-bar", Static)).startswith("Drill · ")
        first = plan.question_ids[0]
        entries = [shown(entry) for entry in screen.query_one(Transcript).query(Static)]
        reason = entries.index(f"Drill: {plan.reasons[first]}")
        assert services.bank.question(first).prompt in entries[reason + 1]  # the reason comes just before its question


async def test_setup_drill_with_no_history_notifies_and_stays(services: Services) -> None:
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        setup = app.screen
        assert "after your first interview" in shown(setup.query_one("#setup-drill", Static))
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert app.screen is setup
        assert any("nothing to drill yet" in str(n.message) for n in app._notifications)
    assert services.store.list() == []


async def test_progress_d_starts_the_same_drill(services: Services, clock: Clock) -> None:
    history(services, clock)
    app = build_app(services)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await open_progress(pilot)
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.plan.kind == "drill"
        assert len(screen.plan.question_ids) == 5 and screen.plan.time_per_question == 180
        await pilot.press("ctrl+q", "ctrl+q")  # quit mid-drill: saved like any interview
        await pilot.pause()
    assert services.store.get(screen.runner.session_id).state.plan.kind == "drill"


async def test_the_due_tab_shows_each_items_predicted_recall(services: Services, clock: Clock) -> None:
    history(services, clock)
    due = build_progress(services.store.progress, services.bank).due
    assert due and all(0 < item.recall <= 1 for item in due)
    app = build_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_progress(pilot)
        await pilot.press("3")
        await pilot.pause()
        lines = shown(screen.query_one("#due-list", Static)).splitlines()
        first = next(line for line in lines if due[0].kind in line)
        assert due[0].recall_text in first and due[0].label[:20] in first
