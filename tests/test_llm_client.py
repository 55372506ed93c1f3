"""The model client at the HTTP level, against a scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from mockmle.config import LLMConfig
from mockmle.core.tokens import TokenCounter
from mockmle.llm.client import ChatClient, ChatRequest, Usage
from mockmle.llm.faults import LLMError
from mockmle.resources import data_dir
from openai_stub import OpenAIStub, Reply

KEY = "sk-test-0123456789abcdef"


@pytest.fixture
def stub():
    server = OpenAIStub(models=("stub-model", "other")).start()
    yield server
    server.stop()


@pytest.fixture
def counter(tmp_path_factory):
    return TokenCounter(tmp_path_factory.mktemp("cache"), data_dir("tokenizers"))


def make(stub, counter, calls, sleeps=None, **config):
    settings = {"api_key": KEY, "base_url": stub.base_url, "timeout": 1.0, "max_retries": 2, **config}
    return ChatClient(LLMConfig(**settings), counter, on_call=calls.append,
                      sleep=(sleeps.append if sleeps is not None else lambda s: None))


def ask(text="Say hello", **kw):
    return ChatRequest("judge", [{"role": "user", "content": text}], "test-1", **kw)


def test_completion_counts_tokens_and_records_the_call(stub, counter):
    calls = []
    stub.queue(Reply(content="Hello there, candidate."))
    result = make(stub, counter, calls).complete(ask("Explain bagging versus boosting in two sentences.",
                                                     session_id="s1", position=2))
    assert result.text == "Hello there, candidate."
    assert result.model == "stub-model"  # no model named: the server's first one
    (call,) = calls
    assert call.ok and call.purpose == "judge" and call.prompt_version == "test-1"
    assert call.session_id == "s1" and call.position == 2
    assert call.prompt_tokens == counter.count_messages([{"role": "user", "content": "Explain bagging versus boosting in two sentences."}], "stub-model")
    assert call.completion_tokens == counter.count("Hello there, candidate.", "stub-model") > 0
    assert call.server_prompt_tokens is not None  # the server's own usage is kept beside ours


def test_streaming_delivers_pieces_in_order(stub, counter):
    calls, pieces = [], []
    stub.queue(Reply(chunks=["What ", "would ", "you ", "monitor?"]))
    result = make(stub, counter, calls).stream(ask(), pieces.append)
    assert pieces == ["What ", "would ", "you ", "monitor?"]
    assert result.text == "What would you monitor?"
    assert calls[0].streamed and calls[0].completion_tokens > 0
    assert stub.chat_requests()[0]["stream"] is True


def test_429_waits_for_retry_after_then_succeeds(stub, counter):
    calls, sleeps = [], []
    stub.queue(Reply.error(429, "slow down", **{"Retry-After": "3"}), Reply(content="fine"))
    assert make(stub, counter, calls, sleeps).complete(ask()).text == "fine"
    assert sleeps == [3.0]
    assert [c.ok for c in calls] == [False, True] and calls[0].error == "rate_limit"


def test_a_long_retry_after_gives_up_at_once(stub, counter):
    sleeps = []
    stub.queue(Reply.error(429, **{"Retry-After": "600"}))
    with pytest.raises(LLMError) as caught:
        make(stub, counter, [], sleeps).complete(ask())
    assert caught.value.kind == "rate_limit" and sleeps == []


def test_5xx_is_retried_with_growing_backoff_then_reported(stub, counter):
    sleeps = []
    stub.queue(Reply.error(503), Reply.error(502), Reply.error(500))
    with pytest.raises(LLMError) as caught:
        make(stub, counter, [], sleeps).complete(ask())
    assert caught.value.kind == "server" and caught.value.status == 500
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0]
    assert len(stub.chat_requests()) == 3


def test_400_is_not_retried(stub, counter):
    stub.queue(Reply.error(400, "bad response_format"))
    with pytest.raises(LLMError) as caught:
        make(stub, counter, []).complete(ask())
    assert caught.value.kind == "bad_request" and len(stub.chat_requests()) == 1


def test_timeout_is_retried_then_reported(stub, counter):
    calls = []
    stub.queue(*[Reply(content="late", delay=1.5)] * 2)
    with pytest.raises(LLMError) as caught:
        make(stub, counter, calls, timeout=0.3, max_retries=1).complete(ask())
    assert caught.value.kind == "timeout" and "did not answer in time" in caught.value.line
    assert [c.error for c in calls] == ["timeout", "timeout"]


def test_connection_refused(counter, calls=None):
    from socket import socket

    with socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = ChatClient(LLMConfig(base_url=f"http://127.0.0.1:{port}/v1", judge_model="m", max_retries=0), counter)
    with pytest.raises(LLMError) as caught:
        client.complete(ask())
    assert caught.value.kind == "connection" and f"127.0.0.1:{port}" in caught.value.line


def test_refusal_is_an_error_not_an_answer(stub, counter):
    calls = []
    stub.queue(Reply(content=None, refusal="I can't help with that."))
    with pytest.raises(LLMError) as caught:
        make(stub, counter, calls).complete(ask())
    assert caught.value.kind == "refusal" and calls[0].error == "refusal"


def test_the_key_is_sent_but_never_shown(stub, counter):
    stub.queue(Reply.error(401, f"Incorrect API key provided: {KEY}"))
    client = make(stub, counter, [], judge_model="m")
    with pytest.raises(LLMError) as caught:
        client.complete(ask())
    assert KEY not in caught.value.line and "OPENAI_API_KEY" in caught.value.line
    assert KEY not in repr(client.config)


def test_usage_adds_up_and_prices_known_models():
    from mockmle.core.tokens import cost
    from mockmle.llm.client import CallRecord

    usage = Usage()
    usage.add(CallRecord("judge", "gpt-4o-mini", "v", 1_000_000, 0, 1.0, True), cost)
    usage.add(CallRecord("judge", "gemma-local", "v", 500, 20, 1.0, True), cost)
    assert usage.prompt_tokens == 1_000_500 and usage.calls == 2
    assert usage.cost == pytest.approx(0.15)  # the local model has no price and adds nothing
    assert cost("gpt-4o-mini-2024-07-18", 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert cost("llama3", 10, 10) is None


def test_doctor_against_a_server(stub, tmp_path, capsys):
    from mockmle.doctor import run_checks
    from mockmle.services import Services
    from mockmle.settings import Settings

    # The server rejects json_schema the way llama.cpp does, and accepts json_object with or without a schema.
    stub.handler = lambda body: (Reply.error(500, "json_schema unsupported")
                                 if (body.get("response_format") or {}).get("type") == "json_schema"
                                 else Reply(content='{"ok": true}'))
    services = Services(Settings(home=tmp_path, judge="llm", llm=LLMConfig(api_key=KEY, base_url=stub.base_url,
                                                                           judge_model="stub-model")))
    checks = {c.name: c for c in run_checks(services)}
    assert checks["server"].status == "ok" and "stub-model" in checks["server"].detail
    assert checks["model"].status == "ok"
    assert checks["streaming"].status == "ok"
    assert checks["structured output"].detail.endswith("json_object with a schema (the server enforces the judge's schema)")
    assert "approximate" in checks["tokens"].detail
    assert KEY not in json.dumps([c.as_dict() for c in checks.values()])


def test_doctor_reports_an_unreachable_server(tmp_path):
    from mockmle.doctor import run_checks
    from mockmle.services import Services
    from mockmle.settings import Settings

    services = Services(Settings(home=tmp_path, llm=LLMConfig(base_url="http://127.0.0.1:9/v1", max_retries=0, timeout=1)))
    checks = {c.name: c for c in run_checks(services)}
    assert checks["server"].status == "fail" and "could not reach" in checks["server"].detail
