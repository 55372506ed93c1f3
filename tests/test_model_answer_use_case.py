"""Model answers as the app and the CLI get them (app/model_answer.py): the guide's answer offline; with a model
interviewer, the model's answer when the judge grades it 4 and the guide's otherwise. The model is a scripted
OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from conftest import play_session
from mockmle.app.services import Services
from mockmle.settings import LLMConfig, Settings
from openai_stub import OpenAIStub, Reply
from test_llm_judge import GOOD, GOOD_JUDGEMENT

QUESTION = "technical.bagging-vs-boosting"
WRITTEN = GOOD + " I keep boosted trees shallow and use early stopping so the sequence does not overfit noisy labels."


@pytest.fixture
def stub():
    server = OpenAIStub(models=("stub-model",)).start()
    yield server
    server.stop()


def judged(stub, band: int) -> None:
    """The model writes WRITTEN; every judge request (structured output) gets `band`."""
    verdict = dict(GOOD_JUDGEMENT, band=band, competencies=[{"id": "machine-learning-fundamentals", "score": band}])
    stub.handler = (lambda body: Reply(content=json.dumps(verdict)) if body.get("response_format")
                    else Reply(content=WRITTEN))


@pytest.fixture
def services(tmp_path, stub) -> Services:
    llm = LLMConfig(base_url=stub.base_url, judge_model="stub-model", interviewer_model="stub-model", max_retries=0)
    return Services(Settings(home=tmp_path / "home", judge="llm", interviewer="llm", llm=llm))


def test_offline_the_guide_answer_is_given_without_a_model(tmp_path):
    answers = Services(Settings(home=tmp_path / "home")).model_answers
    answer = answers.answer(QUESTION)
    assert not answers.writes
    assert answer.source == "guide" and answer.label == "Built from the interview guide" and not answer.note
    assert answer == answers.guide(QUESTION)


def test_a_model_answer_the_judge_grades_4_is_shown_and_kept_for_the_session(services, stub):
    judged(stub, 4)
    answer = services.model_answers.answer(QUESTION)
    assert answer.source == "model" and answer.text == WRITTEN and answer.band == 4
    assert answer.label == "Written by stub-model, graded 4/4 by the model judge"
    written = [r for r in stub.chat_requests() if not r.get("response_format")]
    assert len(written) == 1
    prompt = written[0]["messages"][1]["content"]
    assert all(point in prompt for point in services.bank.question(QUESTION).key_points)
    count = len(stub.chat_requests())
    assert services.model_answers.answer(QUESTION) == answer
    assert len(stub.chat_requests()) == count  # cached: no second call


def test_a_model_answer_graded_3_is_not_shown_and_the_guide_answer_says_why(services, stub):
    judged(stub, 3)
    answer = services.model_answers.answer(QUESTION)
    assert answer.source == "guide" and answer.text == services.model_answers.guide(QUESTION).text
    assert WRITTEN not in answer.text and "graded 3/4" in answer.note
    assert services.model_answers.cached(QUESTION) is None


def test_a_failed_call_falls_back_to_the_guide_answer(services, stub):
    stub.handler = lambda body: Reply.error(500, "model crashed")
    answer = services.model_answers.answer(QUESTION)
    assert answer.source == "guide" and "could not be written" in answer.note


def test_a_model_answer_never_reaches_a_grade_request_as_the_candidates_answer(services, stub):
    """The answer a model wrote after a skip is shown, never stored or graded as what the candidate said."""
    judged(stub, 4)
    services.model_answers.answer(QUESTION)
    before = len(stub.chat_requests())
    runner = play_session(services, [QUESTION, "technical.bias-variance"], [None, "Bias is error from simple models."])
    later = stub.chat_requests()[before:]
    assert later and all(WRITTEN not in json.dumps(r) for r in later)
    record = Services(services.settings).store.get(runner.session_id)
    assert all(WRITTEN not in t.answer_text() for t in runner.state.turns)
    assert all(WRITTEN not in json.dumps(g.model_dump()) for g in record.grades.values())
    calls = Services(services.settings).calls.for_session(runner.session_id)
    assert "model_answer" not in {c["purpose"] for c in calls}
