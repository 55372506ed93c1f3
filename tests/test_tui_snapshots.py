"""SVG snapshots of the main screens (pytest-textual-snapshot).

Everything that could change between runs is pinned: session ids and dates come from a store with a
fake clock and counter, the question timer reads a frozen clock, plans use fixed question ids, and
dates are shown in UTC. After a deliberate change to a screen, look at the new picture and accept it with
`.venv/bin/python -m pytest tests/test_tui_snapshots.py --snapshot-update`; the SVGs live in
tests/__snapshots__/.
"""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest

from mockmle.app.runner import InterviewRunner
from mockmle.app.services import Services
from mockmle.core.interview import Answer, End, Plan, Skip, build_plan
from mockmle.settings import Settings
from mockmle.store import open_db
from mockmle.store.sessions import SessionStore
from mockmle.tui.app import MockmleApp, build_app

BIAS_VARIANCE = ("Bias is error from wrong assumptions: a model too simple for the data underfits. Variance is error "
                 "from sensitivity to the training sample: a model too flexible overfits. More capacity lowers bias and "
                 "raises variance, so I pick the model complexity with cross-validation and regularisation.")
WHY_TESTS = ("Tests catch silent breakage in data pipelines and feature code. I test data schemas and ranges, "
             "feature transformations on small fixtures, that training runs end to end on a tiny sample, and that "
             "the model beats a simple baseline on a held-out set before it is deployed.")


class Clock:
    """The store's wall clock: a fixed UTC time that the test moves on by hand."""

    def __init__(self, now: str = "2026-11-20T10:00:00+00:00"):
        self.now = now

    def __call__(self) -> str:
        return self.now


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Dates are shown in local time: make that UTC on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(tmp_path, clock) -> Services:
    services = Services(Settings(home=tmp_path / "home"))
    ids = (f"s{n:07d}" for n in itertools.count(1))
    services.store = SessionStore(open_db(services.settings.db_path), clock=clock, new_id=lambda: next(ids))
    return services


def app_for(services: Services) -> MockmleApp:
    return build_app(services, clock=lambda: 0.0)


def plan_for(services: Services, *question_ids: str, follow_ups: int = 0) -> Plan:
    return build_plan(services.bank, question_ids=list(question_ids) or ["technical.bias-variance", "applied-ml.why-tests"],
                      max_follow_ups=follow_ups, time_per_question=180)


def finished_session(services: Services, answers: tuple[str, ...] = (BIAS_VARIANCE, WHY_TESTS)) -> str:
    """A finished, graded session with a saved report: what the Results screen shows."""
    runner = InterviewRunner.create(services, plan_for(services))
    runner.handle_grading(runner.start())
    for seconds, text in enumerate(answers, start=1):
        runner.handle_grading(runner.send(Answer(text=text, seconds=30.0 * seconds)))
    runner.report()
    return runner.session_id


def unfinished_session(services: Services) -> str:
    """Started, one question answered, the next still open."""
    runner = InterviewRunner.create(services, plan_for(services, "technical.gradient-descent", "technical.deployment",
                                                       "technical.decision-forest"))
    runner.handle_grading(runner.start())
    runner.handle_grading(runner.send(Answer(text="Gradient descent steps against the gradient of the loss.", seconds=40.0)))
    return runner.session_id


def ended_early_session(services: Services) -> str:
    """Finished early with a skipped question: the odd row in Review."""
    runner = InterviewRunner.create(services, plan_for(services, "screening.background", "screening.deployment",
                                                       "screening.algorithm-selection"))
    runner.handle_grading(runner.start())
    runner.handle_grading(runner.send(Skip()))
    runner.handle_grading(runner.send(End(text="I package the model in a container behind an API and monitor it.",
                                          seconds=50.0)))
    runner.report()
    return runner.session_id


# -- the screens


def test_home_with_unfinished_and_finished_sessions(snap_compare, services, clock):
    """Home lists the unfinished session to resume and counts the finished one."""
    finished_session(services)
    clock.now = "2026-11-21T09:30:00+00:00"
    unfinished_session(services)
    assert snap_compare(app_for(services), terminal_size=(80, 24))


def test_home_empty(snap_compare, services):
    """A first run: no sessions, nothing to resume."""
    assert snap_compare(app_for(services), terminal_size=(80, 24))


def test_setup(snap_compare, services):
    """Setup after pressing n on Home: stage list focused, defaults selected."""
    assert snap_compare(app_for(services), press=["n"], terminal_size=(80, 24))


def test_interview_first_question(snap_compare, services):
    """The first question of a fixed plan, answer editor focused, timer frozen at 00:00."""
    plan = plan_for(services)

    async def run_before(pilot) -> None:
        from mockmle.tui.screens.interview import InterviewScreen

        await pilot.app.push_screen(InterviewScreen.new(services, plan))

    assert snap_compare(app_for(services), terminal_size=(80, 24), run_before=run_before)


def test_interview_follow_up(snap_compare, services):
    """A short answer earns a follow-up: question, answer and follow-up in the transcript."""
    plan = plan_for(services, follow_ups=1)

    async def run_before(pilot) -> None:
        from mockmle.tui.screens.interview import InterviewScreen

        await pilot.app.push_screen(InterviewScreen.new(services, plan))
        await pilot.pause()
        pilot.app.screen.query_one("#answer").insert("It is about model complexity.")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(app_for(services), terminal_size=(80, 24), run_before=run_before)


def test_interview_quit_confirm(snap_compare, services):
    """ctrl+q during an interview asks first and says the session is saved."""
    plan = plan_for(services)

    async def run_before(pilot) -> None:
        from mockmle.tui.screens.interview import InterviewScreen

        await pilot.app.push_screen(InterviewScreen.new(services, plan))
        await pilot.pause()
        await pilot.press("ctrl+q")

    assert snap_compare(app_for(services), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_results(snap_compare, services, size):
    """Results of a finished, graded two-question session with fixed answers."""
    session_id = finished_session(services)

    async def run_before(pilot) -> None:
        from mockmle.tui.screens.results import ResultsScreen

        await pilot.app.push_screen(ResultsScreen(services.store.get(session_id)))

    assert snap_compare(app_for(services), terminal_size=size, run_before=run_before)


def test_review(snap_compare, services, clock):
    """Review with three sessions: finished, unfinished, ended early; newest first."""
    finished_session(services)
    clock.now = "2026-11-21T09:30:00+00:00"
    unfinished_session(services)
    clock.now = "2026-11-22T18:45:00+00:00"
    ended_early_session(services)
    assert snap_compare(app_for(services), press=["v"], terminal_size=(80, 24))


def test_review_opens_session(snap_compare, services, clock):
    """Enter on a Review row opens that session's results (titled Session, no New interview key)."""
    finished_session(services)
    assert snap_compare(app_for(services), press=["v", "enter"], terminal_size=(80, 24))


def progress_history(services: Services, clock: Clock) -> None:
    """Three days of sessions: bagging learnt, tests answered better each time, deployment missed twice."""
    calibration = {row["id"]: row["answer"] for row in map(json.loads, (Path(__file__).parent / "data" / "calibration.jsonl").open())}
    unsure = "I'm not sure, I would just try things"
    days = [("2026-11-16T09:00:00+00:00", {"technical.bagging-vs-boosting": calibration["cal-002"],
                                            "applied-ml.why-tests": calibration["cal-031"], "technical.deployment": unsure}),
            ("2026-11-18T09:00:00+00:00", {"technical.bagging-vs-boosting": calibration["cal-004"],
                                            "applied-ml.why-tests": calibration["cal-033"], "technical.deployment": unsure}),
            ("2026-11-20T09:00:00+00:00", {"technical.bagging-vs-boosting": calibration["cal-006"],
                                            "applied-ml.why-tests": WHY_TESTS, "technical.bias-variance": BIAS_VARIANCE})]
    for when, answers in days:
        clock.now = when
        runner = InterviewRunner.create(services, plan_for(services, *answers))
        runner.handle_grading(runner.start())
        for text in answers.values():
            runner.handle_grading(runner.send(Answer(text=text, seconds=60.0)))
        runner.report()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_progress(snap_compare, services, clock, size):
    """Progress over three days of sessions: competencies weakest first, the highlighted one's chart below."""
    progress_history(services, clock)

    async def run_before(pilot) -> None:
        from mockmle.tui.screens.progress import ProgressScreen

        await pilot.app.push_screen(ProgressScreen(now="2026-11-21T09:00:00+00:00"))
        await pilot.pause()
        await pilot.press("down", "down", "down")  # a competency whose line rises over the three days

    assert snap_compare(app_for(services), terminal_size=size, run_before=run_before)


def test_progress_areas(snap_compare, services, clock):
    """The Areas tab: the weakest three marked, the first one's evidence and key points below."""
    progress_history(services, clock)

    async def run_before(pilot) -> None:
        from mockmle.tui.screens.progress import ProgressScreen

        await pilot.app.push_screen(ProgressScreen(now="2026-11-21T09:00:00+00:00"))
        await pilot.pause()
        await pilot.press("2")

    assert snap_compare(app_for(services), terminal_size=(100, 30), run_before=run_before)
