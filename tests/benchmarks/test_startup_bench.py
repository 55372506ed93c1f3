"""Start-up and Review with a long history, as ratios measured in one run (issue 18, `make bench`).

Each process is timed from start to exit, alternating the two commands compared so that a busy machine slows
both alike; the median of the runs is kept.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from seed_history import seed

pytestmark = pytest.mark.bench
HERE = Path(__file__).parent
RUNS = 11
SESSIONS = int(os.environ.get("MOCKMLE_BENCH_SESSIONS", "10000"))
ANSWER = ("I would look at the learning curves first: high training and validation error means high bias, so a "
          "richer model; a large gap between them means high variance, so more data, regularisation or bagging.")


def _paired_medians(first: list[str], second: list[str], env: dict | None = None, runs: int = RUNS) -> tuple[float, float]:
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for command, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            out.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def _first_screen(command: list[str], env: dict) -> tuple[float, float]:
    """Seconds from the process's start to its first screen's first frame, and to the first frame with its data."""
    start = time.time()
    out = subprocess.run(command, check=True, capture_output=True, env=env, text=True).stdout
    moments = dict(line.split() for line in out.splitlines() if line.startswith(("drawn ", "ready ")))
    return float(moments["drawn"]) - start, float(moments["ready"]) - start


def _mockmle() -> list[str]:
    """The console script when installed beside this interpreter (what a user runs), else `python -m mockmle`."""
    script = Path(sys.executable).with_name("mockmle")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mockmle"]


@pytest.fixture(scope="module")
def bytecode(tmp_path_factory) -> str:
    """Where the processes timed keep their compiled bytecode. An installed copy has it (pip compiles on install) and
    so does a checkout after its first run, but this environment may set PYTHONDONTWRITEBYTECODE, which would have
    every run compile mockmle's own modules from source (~30 ms) while the packages it is compared with come
    compiled. A folder of its own (PYTHONPYCACHEPREFIX), filled by each test's first run, leaves the tree alone."""
    return str(tmp_path_factory.mktemp("bytecode"))


@pytest.fixture
def home(tmp_path, bytecode):
    env = {**os.environ, "MOCKMLE_HOME": str(tmp_path / "home"), "PYTHONPYCACHEPREFIX": bytecode}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "MOCKMLE_JUDGE", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


def test_app_reaches_home_within_one_and_a_half_minimal_textual_apps(home):
    """Home is drawn first; the bank and the database open just after, and Home then lists the sessions: both
    moments are reported, the first is the target."""
    script = [sys.executable, str(HERE / "first_screen.py")]
    mockmle = [*script, "mockmle", home["MOCKMLE_HOME"]]
    _first_screen(mockmle, home)  # creates the database and the bank's cache, as the first start does
    _first_screen([*script, "minimal"], home)
    minimal_runs, app_runs = [], []
    for _ in range(RUNS):
        minimal_runs.append(_first_screen([*script, "minimal"], home)[0])
        app_runs.append(_first_screen(mockmle, home))
    minimal = statistics.median(minimal_runs)
    drawn, ready = (statistics.median(run[i] for run in app_runs) for i in (0, 1))
    ratio = drawn / minimal
    print(f"\n[bench] process start to first screen drawn, headless: minimal Textual app (Static + Footer) "
          f"{minimal * 1000:.0f} ms; mockmle to Home {drawn * 1000:.0f} ms; ratio {ratio:.2f}x "
          f"(median of {RUNS}, target <= 1.5x); Home listing the sessions (bank and database open) "
          f"{ready * 1000:.0f} ms, {ready / minimal:.2f}x")
    assert ratio <= 1.5


def test_version_within_three_bare_pythons(home):
    bare, version = _paired_medians([sys.executable, "-c", "pass"], [*_mockmle(), "--version"], home, runs=21)
    ratio = version / bare
    print(f"\n[bench] python -c pass {bare * 1000:.1f} ms; mockmle --version {version * 1000:.1f} ms; "
          f"ratio {ratio:.2f}x (median of 21, target <= 3x)")
    assert ratio <= 3


def test_one_grade_within_fifteen_bare_pythons(home, tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER)
    grade = [*_mockmle(), "grade", "--judge", "offline", "--question-id", "technical.bias-variance",
             "--answer-file", str(answer), "--json"]
    words_only = {**home, "MOCKMLE_MEANING": "off"}
    first = time.perf_counter()
    subprocess.run(grade, check=True, capture_output=True, env=words_only)  # parses the packs and fills the cache
    cold = time.perf_counter() - first
    bare, words = _paired_medians([sys.executable, "-c", "pass"], grade, words_only)
    print(f"\n[bench] python -c pass {bare * 1000:.1f} ms; mockmle grade (offline judge, words only) "
          f"{words * 1000:.0f} ms, ratio {words / bare:.1f}x (median of {RUNS}, target <= 15x); "
          f"the first one, parsing the packs into the cache: {cold * 1000:.0f} ms")
    assert words / bare <= 15


def test_one_grade_with_the_meaning_model(home, tmp_path):
    """The default offline judge also matches meaning with its embedding model: loading onnxruntime and the model is
    inherent to that judge. Measured so the cost is known; the rubric's vectors come from the data home's cache."""
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER)
    grade = [*_mockmle(), "grade", "--judge", "offline", "--question-id", "technical.bias-variance",
             "--answer-file", str(answer), "--json"]
    first = subprocess.run(grade, check=True, capture_output=True, env=home, text=True)  # fills both caches
    if '"meaning": null' in first.stdout:
        pytest.skip("the meaning model is not installed here")
    bare, meaning = _paired_medians([sys.executable, "-c", "pass"], grade, home, runs=7)
    words_only = {**home, "MOCKMLE_MEANING": "off"}
    _, words = _paired_medians([sys.executable, "-c", "pass"], grade, words_only, runs=7)
    print(f"\n[bench] mockmle grade with the meaning model {meaning * 1000:.0f} ms ({meaning / bare:.1f}x python -c pass); "
          f"words only {words * 1000:.0f} ms; the model's share {(meaning - words) * 1000:.0f} ms (median of 7)")
    assert meaning < 30


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    if seeded := os.environ.get("MOCKMLE_BENCH_HISTORY"):  # a home seeded before (seed_history.py), to iterate faster
        from mockmle.app.services import Services
        from mockmle.settings import Settings

        return Services(Settings(home=Path(seeded)))
    home = tmp_path_factory.mktemp("review") / "home"
    began = time.perf_counter()
    services = seed(home, SESSIONS)
    print(f"\n[bench] seeded {SESSIONS} sessions in {time.perf_counter() - began:.1f} s")
    return services


def test_review_opens_quickly_with_ten_thousand_sessions(history):
    """Review reads a first page of sessions (and the unsure counts of those only). Settings, a screen that reads
    nothing, is opened the same way for comparison: what Textual itself takes to show a screen on this machine."""
    from mockmle.app.services import Services
    from mockmle.tui.app import build_app
    from mockmle.tui.screens.review import ReviewScreen
    from mockmle.tui.screens.settings import SettingsScreen

    services = Services(history.settings)

    async def open_screen(screen_type) -> tuple[float, int]:
        app = build_app(services)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            await app.push_screen(screen_type())
            await pilot.pause()
            elapsed = time.perf_counter() - start
            tables = app.screen.query("DataTable")
            return elapsed, tables.first().row_count if tables else 0

    review, settings, rows = [], [], 0
    for _ in range(5):
        elapsed, rows = asyncio.run(open_screen(ReviewScreen))
        review.append(elapsed)
        settings.append(asyncio.run(open_screen(SettingsScreen))[0])
    median = statistics.median(review)
    print(f"\n[bench] Review opening with {services.store.count()} sessions: {median * 1000:.0f} ms ({rows} rows in the "
          f"table at first; target <= 300 ms); Settings, reading nothing: {statistics.median(settings) * 1000:.0f} ms "
          f"(medians of 5)")
    assert median <= 0.3
