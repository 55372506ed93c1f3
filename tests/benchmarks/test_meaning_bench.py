"""The offline judge with its meaning model: one answer's latency, a batch of 1,000, and Home with the model
warming beside it (run with `make bench`; printed, with sanity bounds only)."""

import asyncio
import importlib.util
import random
import statistics
import time
from pathlib import Path

import pytest

from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader
from mockmle.evaluation.datasets import load_calibration

pytestmark = pytest.mark.bench
ROOT = Path(__file__).resolve().parents[2]


def _tools_bench():
    spec = importlib.util.spec_from_file_location("bench_semantic", ROOT / "tools" / "bench_semantic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load() -> str:
    with open("/proc/loadavg") as average:
        return average.read().split()[0]


@pytest.fixture(scope="module")
def judge(bank):
    from mockmle.semantic.meaning import SemanticMeaning, shared_encoder

    meaning = SemanticMeaning(encoder=shared_encoder())
    meaning.prepare("rubric", [t for q in bank.questions.values() for t in q.meaning_texts()])
    return OfflineGrader(bank, meaning)


def _requests(bank, count: int) -> list[GradeRequest]:
    """The calibration answers, then answers made of a question's key points (tools/bench_semantic.py), distinct."""
    made_up = _tools_bench().made_up_answer
    pairs = {row.answer: bank.question(row.question_id) for row in load_calibration(ROOT / "tests" / "data" / "calibration.jsonl")}
    rng = random.Random(20240611)
    questions = sorted(bank.questions.values(), key=lambda q: q.id)
    while len(pairs) < count:
        question = rng.choice(questions)
        pairs.setdefault(made_up(rng, question), question)
    return [GradeRequest(question_text=q.prompt, question=q, answer=a) for a, q in list(pairs.items())[:count]]


def test_one_answer_with_meaning(judge, bank):
    requests = _requests(bank, 110)
    judge.grade(requests[0])
    times = []
    for request in requests:
        start = time.perf_counter()
        judge.grade(request)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"\n[bench] offline judge with meaning, one answer at a time ({len(times)} calibration answers): "
          f"p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms [load {_load()}]")
    assert p95 < 5000


def test_thousand_answers_with_meaning(judge, bank):
    requests = _requests(bank, 1000)
    start = time.perf_counter()
    bands = [grade.band for grade in judge.grade_many(requests)]
    with_meaning = len(bands) / (time.perf_counter() - start)
    words = OfflineGrader(bank)
    start = time.perf_counter()
    for request in requests:
        words.grade(request)
    words_only = len(requests) / (time.perf_counter() - start)
    print(f"\n[bench] 1,000 answers in one batch: {with_meaning:.0f} answers/s with meaning, {words_only:.0f} answers/s "
          f"words only (ratio {words_only / with_meaning:.1f}x) [load {_load()}]")
    assert len(bands) == 1000 and with_meaning > 5


def test_home_with_the_model_warming_beside_it(tmp_path):
    """Home as a new user first meets it: the app warms the model (and embeds the rubric into a fresh data home) on
    a thread once Home is on screen, as the CLI builds it. Compared in the same run with no warm-up."""
    from mockmle.app.services import BackgroundWarmUp, Services
    from mockmle.settings import Settings
    from mockmle.tui.app import build_app

    async def open_once(home: Path, warm: bool) -> float:
        start = time.perf_counter()
        services = Services(Settings(home=home))
        warm_up = BackgroundWarmUp(services)
        app = build_app(services, after_start=warm_up.start if warm else None)
        try:
            async with app.run_test() as pilot:
                await pilot.pause()
                return time.perf_counter() - start
        finally:
            warm_up.stop()

    cold = [asyncio.run(open_once(tmp_path / f"plain{i}", False)) for i in range(5)]
    warm = [asyncio.run(open_once(tmp_path / f"warm{i}", True)) for i in range(5)]
    ratio = statistics.median(warm) / statistics.median(cold)
    print(f"\n[bench] app to Home: median {statistics.median(cold) * 1000:.0f} ms without the model, "
          f"{statistics.median(warm) * 1000:.0f} ms with it warming on a thread (ratio {ratio:.2f}) [load {_load()}]")
    assert ratio < 5
