"""Progress with a long history: 10,000 sessions of 5 answers in a temporary data home (`make bench`)."""

from __future__ import annotations

import os
import statistics
import sys
import time

import pytest

from mockmle.app.progress_view import build_progress
from mockmle.core.grading.models import GradeRequest
from mockmle.core.interview import Answer, Start, build_plan
from seed_history import seed
from test_bench import _median_seconds

pytestmark = pytest.mark.bench
SESSIONS = int(os.environ.get("MOCKMLE_BENCH_SESSIONS", "10000"))


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    home = tmp_path_factory.mktemp("history") / "home"
    began = time.perf_counter()
    services = seed(home, SESSIONS)
    size = sum(p.stat().st_size for p in home.glob("mockmle.db*")) / 1e6
    print(f"\n[bench] seeded {SESSIONS} sessions x 5 answers in {time.perf_counter() - began:.1f} s; database {size:.0f} MB")
    return services


def test_progress_command_with_ten_thousand_sessions(history):
    env = {**os.environ, "MOCKMLE_HOME": str(history.settings.home)}
    progress = _median_seconds([sys.executable, "-m", "mockmle", "progress"], env, runs=5)
    as_json = _median_seconds([sys.executable, "-m", "mockmle", "progress", "--json"], env, runs=5)
    listing = _median_seconds([sys.executable, "-m", "mockmle", "bank", "stages"], env, runs=5)
    print(f"\n[bench] mockmle progress: {progress * 1000:.0f} ms, --json {as_json * 1000:.0f} ms; "
          f"`mockmle bank stages` (start-up and bank, no database) {listing * 1000:.0f} ms; "
          f"ratio {progress / listing:.2f}x (median of 5, {SESSIONS} sessions)")
    assert progress < 5


def test_progress_view_in_process(history):
    db, bank = history.store.progress, history.bank
    build_progress(db, bank)
    times = []
    for _ in range(10):
        start = time.perf_counter()
        view = build_progress(db, bank)
        times.append(time.perf_counter() - start)
    points = sum(len(c.series) for c in view.competencies)
    print(f"\n[bench] build_progress: {statistics.median(times) * 1000:.1f} ms (median of 10): {view.answers} answers, "
          f"{len(view.competencies)} competencies, {points} chart points, {len(view.areas)} areas, {len(view.due)} due")
    assert view.answers == SESSIONS * 5


def test_saving_a_grade_and_deleting_a_session_with_a_long_history(history):
    services = history
    plan = build_plan(services.bank, stages=["technical"], count=5, seed=1, max_follow_ups=0)
    state = services.interview.new(plan)
    session_id = services.store.create(state, judge="offline")
    state, _ = services.interview.transition(state, Start())
    grader = services.offline_grader
    times = []
    for position, question_id in enumerate(plan.question_ids):
        question = services.bank.question(question_id)
        state, _ = services.interview.transition(state, Answer(text=" ".join(question.key_points)))
        services.store.save_state(session_id, state)
        grade = grader.grade(GradeRequest(question_text=question.prompt, question=question, answer=" ".join(question.key_points)))
        start = time.perf_counter()
        services.store.save_grade(session_id, position, grade, float(grade.band))
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    services.store.delete(session_id)
    deleted = time.perf_counter() - start
    print(f"\n[bench] saving one grade (with its progress refresh): median {statistics.median(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms; deleting a 5-answer session: {deleted * 1000:.1f} ms ({SESSIONS} sessions stored)")
    assert max(times) < 5


def test_progress_screen_opens_with_ten_thousand_sessions(history):
    """From pressing p on Home to the Progress screen drawn with its charts, through Textual's headless driver."""
    import asyncio

    from mockmle.tui.app import build_app
    from mockmle.tui.screens.progress import ProgressScreen

    async def open_once() -> tuple[float, float]:
        app = build_app(history)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, ProgressScreen)
            opened = time.perf_counter() - start
            start = time.perf_counter()
            await pilot.press("escape")
            await pilot.pause()
            closed = time.perf_counter() - start
        return opened, closed

    runs = [asyncio.run(open_once()) for _ in range(5)]
    opened = statistics.median(r[0] for r in runs)
    closed = statistics.median(r[1] for r in runs)
    print(f"\n[bench] Progress screen, p pressed to drawn: median {opened * 1000:.0f} ms; Escape back to Home "
          f"{closed * 1000:.0f} ms for comparison (of 5, {SESSIONS} sessions)")
    assert opened < 10
