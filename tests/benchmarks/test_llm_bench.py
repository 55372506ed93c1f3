"""Model-side benchmarks, run with `make bench`: how prompt tokens grow with the length of an
interview, and what the app itself adds to each turn on top of the model server's own latency.

Prompt tokens are counted by mockmle (tiktoken) whatever the server, so the growth benchmark uses
the scripted server on 127.0.0.1 for a quick, repeatable answer; the overhead benchmark uses the
real llama.cpp server.
"""

from __future__ import annotations

import json
import time

import pytest

from mockmle.app.runner import InterviewRunner
from mockmle.app.services import Services
from mockmle.core.interview import Answer, build_plan
from mockmle.settings import LLMConfig, Settings
from openai_stub import OpenAIStub, Reply

pytestmark = pytest.mark.bench

ANSWER = ("I would start from the data: check how it was collected, look for leakage and skew, and set up a "
          "baseline. Then I would pick a metric that matches the business goal, validate on a held-out set, "
          "and monitor the model after release, with a rollback plan if the metric drops.")
JUDGEMENT = json.dumps({"areas": [], "key_points": [], "misconceptions": [], "reasoning": "Covers some basics.",
                        "strength": "", "improvement": "Add an example.", "competencies": [], "band": 2})


def _play(services: Services, question_ids: list[str]) -> tuple[InterviewRunner, float]:
    plan = build_plan(services.bank, question_ids=question_ids, max_follow_ups=1)
    started = time.perf_counter()
    runner = InterviewRunner.create(services, plan)
    runner.handle_grading(runner.start())
    while not runner.finished:
        actions = runner.reword_follow_ups(runner.send(Answer(text=ANSWER, seconds=30)))
        runner.handle_grading(actions)
    runner.report()
    return runner, time.perf_counter() - started


def _services(tmp_path, base_url: str, model: str, **config) -> Services:
    llm = LLMConfig(base_url=base_url, interviewer_model=model, judge_model=model, **config)
    return Services(Settings(home=tmp_path, judge="llm", interviewer="llm", llm=llm))


def _question_ids(services: Services, count: int) -> list[str]:
    return build_plan(services.bank, stages=["technical", "applied-ml"], count=count, seed=7).question_ids


def test_prompt_tokens_grow_linearly_with_questions(tmp_path):
    stub = OpenAIStub(models=("bench-model",)).start()
    stub.handler = lambda body: (Reply(content=JUDGEMENT) if body.get("response_format")
                                 else Reply(content="Which metric would you pick there, and why?"))
    try:
        services = _services(tmp_path, stub.base_url, "bench-model", max_retries=0)
        pool = _question_ids(services, 20)
        totals = {}
        for count in (5, 10, 20):
            runner, _ = _play(services, pool[:count])
            calls = services.calls.for_session(runner.session_id)
            totals[count] = (sum(c["prompt_tokens"] for c in calls), len(calls),
                             sum(c["prompt_tokens"] for c in calls if c["purpose"] == "follow_up"))
    finally:
        stub.stop()
    (p5, n5, f5), (p10, n10, f10), (p20, _, _) = totals[5], totals[10], totals[20]
    print(f"\n[bench] prompt tokens, 5 questions: {p5:,} over {n5} calls; 10 questions: {p10:,} over {n10} calls; "
          f"ratio {p10 / p5:.2f} (2.00 is linear, 4.00 quadratic). Follow-up prompts alone: {f5:,} vs {f10:,}, "
          f"ratio {f10 / f5:.2f}. 20 questions: {p20:,}, ratio to 10: {p20 / p10:.2f} (the history budget is full)")
    assert p10 / p5 < 3


@pytest.mark.llm_server
def test_app_overhead_per_turn_over_the_server(llama_server, tmp_path):
    # json_object replies from this server are slow (a grammar over a 262k vocabulary): keep them short.
    services = _services(tmp_path, llama_server.base_url, llama_server.model, timeout=240, max_retries=0,
                         judge_max_tokens=40)
    question_ids = _question_ids(services, 3)
    runner, wall = _play(services, question_ids)
    calls = services.calls.for_session(runner.session_id)
    model_seconds = sum(c["latency_ms"] for c in calls) / 1000
    turns = len(question_ids)
    overhead = (wall - model_seconds) / turns
    print(f"\n[bench] {turns} questions against llama.cpp (gemma-3-270m): wall {wall:.1f} s, in model calls "
          f"{model_seconds:.1f} s over {len(calls)} calls; app overhead {overhead * 1000:.0f} ms per turn "
          f"({(wall - model_seconds) / wall:.1%} of the wall time)")
    assert overhead < 5
