"""Benchmarks, run on demand with `make bench` (excluded from `make test`).

They print measurements; the only assertions are sanity bounds far from the expected values,
because these machines are shared and noisy.
"""

import os
import statistics
import subprocess
import sys
import time

import pytest

from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader

pytestmark = pytest.mark.bench
RUNS = 15


def _median_seconds(command, env=None, runs=RUNS):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_version_startup_ratio():
    baseline = _median_seconds([sys.executable, "-c", "pass"])
    version = _median_seconds([sys.executable, "-m", "mockmle", "--version"])
    ratio = version / baseline
    print(f"\n[bench] python -c pass: {baseline * 1000:.1f} ms; mockmle --version: {version * 1000:.1f} ms; "
          f"ratio {ratio:.2f}x (median of {RUNS})")
    assert ratio < 20


def test_five_question_scripted_interview(tmp_path):
    answers = tmp_path / "answers.txt"
    answers.write_text("\n---\n".join(
        ["I'd start from the problem, the data and a baseline, then iterate; I monitor drift and latency in production."] * 10))
    env = {**os.environ, "MOCKMLE_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "mockmle", "interview", "--stage", "screening", "--stage", "technical",
               "--questions", "5", "--seed", "3", "--answers-file", str(answers), "--json"]
    seconds = _median_seconds(command, env=env, runs=5)
    print(f"\n[bench] 5-question scripted interview end to end (process start to JSON): {seconds * 1000:.0f} ms (median of 5)")
    assert seconds < 60


def test_offline_grading_throughput(bank):
    grader = OfflineGrader(bank)
    requests = []
    for question in bank.questions.values():
        strong = " ".join(question.key_points)
        partial = ". ".join(question.areas[:2])
        for answer in (strong, partial, "I don't know", question.text):
            requests.append(GradeRequest(question_text=question.text, question=question, answer=answer))
    grader.grade(requests[0])  # warm caches (term weights are built once per bank)
    start = time.perf_counter()
    for request in requests:
        grader.grade(request)
    elapsed = time.perf_counter() - start
    rate = len(requests) / elapsed
    print(f"\n[bench] offline grading: {len(requests)} answers in {elapsed:.2f} s = {rate:.0f} answers/s")
    assert rate > 5


def test_calibration_quality_and_throughput(bank):
    from pathlib import Path

    from mockmle.evaluation.datasets import calibration_parts, load_calibration
    from mockmle.evaluation.report import text_table
    from mockmle.evaluation.run import evaluate

    rows = load_calibration(Path(__file__).parents[1] / "data" / "calibration.jsonl")
    results = [evaluate(dataset, OfflineGrader(bank), bank) for dataset in calibration_parts(rows, "all")]
    print("\n[bench] calibration, offline judge:\n" + "\n".join("        " + line for line in text_table(results, []).splitlines()))
    assert results[0].adversarial_pass_rate == 1.0


def test_draft_save_per_keystroke(tmp_path):
    """The answer box saves a draft on every edit: that write must stay far below a keystroke's budget."""
    from mockmle.app.runner import InterviewRunner
    from mockmle.app.services import Services
    from mockmle.core.interview import build_plan
    from mockmle.settings import Settings

    services = Services(Settings(home=tmp_path))
    runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=["technical.bias-variance"]))
    runner.start()
    text = "x" * 2000  # a long answer: about 300 words
    samples = []
    for i in range(300):
        start = time.perf_counter()
        services.store.save_draft(runner.session_id, 0, 0, text[: 1000 + i])
        samples.append(time.perf_counter() - start)
    median, worst = statistics.median(samples), max(samples)
    print(f"\n[bench] draft save (1-1.3k chars, WAL file): median {median * 1000:.2f} ms, max {worst * 1000:.2f} ms over 300 saves")
    assert median < 0.05


def test_app_opens_home_screen(tmp_path):
    """Time from building the app to the Home screen being ready, through Textual's headless driver."""
    import asyncio

    from mockmle.app.services import Services
    from mockmle.settings import Settings
    from mockmle.tui.app import build_app

    async def open_once() -> float:
        start = time.perf_counter()
        app = build_app(Services(Settings(home=tmp_path)))
        async with app.run_test() as pilot:
            await pilot.pause()
            elapsed = time.perf_counter() - start
        return elapsed

    times = [asyncio.run(open_once()) for _ in range(5)]
    print(f"\n[bench] app to Home screen (headless, bank load included): median {statistics.median(times) * 1000:.0f} ms of 5")
    assert statistics.median(times) < 10
