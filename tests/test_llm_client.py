"""The model client at the HTTP level, against a scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import time

import pytest

from mockmle.core.tokens import TokenCounter
from mockmle.llm.client import ChatClient, ChatRequest, Usage
from mockmle.llm.faults import LLMError
from mockmle.resources import data_dir
from mockmle.settings import LLMConfig
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


def ready(client):
    """The server's model named and the tokenizer loaded, so a timed call times the model alone."""
    client.counter.count("", client.model_for("judge"))
    return client


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
    asked = [{"role": "user", "content": "Explain bagging versus boosting in two sentences."}]
    assert call.prompt_tokens == counter.count_messages(asked, "stub-model")
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
        # a deadline far beyond two timeouts, so the retry always fits however loaded the machine is
        make(stub, counter, calls, timeout=0.3, max_retries=1, deadline=30).complete(ask())
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
    from mockmle.app.doctor import run_checks
    from mockmle.app.services import Services
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
    from mockmle.app.doctor import run_checks
    from mockmle.app.services import Services
    from mockmle.settings import Settings

    services = Services(Settings(home=tmp_path, llm=LLMConfig(base_url="http://127.0.0.1:9/v1", max_retries=0, timeout=1)))
    checks = {c.name: c for c in run_checks(services)}
    assert checks["server"].status == "fail" and "could not reach" in checks["server"].detail


# -- streaming against a deadline: an abandoned reply is closed, so the server stops generating it


def test_a_stream_that_never_ends_is_closed_at_the_deadline(stub, counter):
    """The read timeout never fires while tokens keep coming; the deadline does, and the server sees the close."""
    calls = []
    stub.queue(Reply.slow_stream(interval=0.05))
    client = ready(make(stub, counter, calls, timeout=5.0, deadline=0.8))
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        client.stream(ask())
    elapsed = time.monotonic() - started
    assert caught.value.kind == "timeout" and "0.8 s" in caught.value.line
    assert 0.75 <= elapsed < 1.5
    assert stub.disconnected.wait(2), "the server should see the connection closed"
    assert len(stub.chat_requests()) == 1  # the deadline covers retries: none after it passed
    (call,) = calls
    assert call.streamed and not call.ok and call.error == "timeout"
    assert call.completion_tokens > 0  # what arrived before the deadline is counted


def test_a_stream_stalled_mid_reply_is_closed_at_the_deadline(stub, counter):
    """Pieces for 0.8 s, then silence: the read in progress is cut at the deadline (1 s), not a read timeout later."""
    stub.queue(Reply(chunks=["piece "] * 9, interval=0.1, stall=30))
    client = ready(make(stub, counter, [], timeout=20.0, deadline=1.0))
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        client.stream(ask())
    assert caught.value.kind == "timeout" and time.monotonic() - started < 1.4
    assert stub.disconnected.wait(1)


def test_a_caller_that_gives_up_closes_the_stream(stub, counter):
    stub.queue(Reply.slow_stream(interval=0.02))
    seen = []

    def on_delta(piece):
        seen.append(piece)
        if len(seen) == 3:
            raise KeyboardInterrupt  # e.g. the screen was closed

    with pytest.raises(KeyboardInterrupt):
        make(stub, counter, [], timeout=5.0, deadline=30).stream(ask(), on_delta)
    assert stub.disconnected.wait(2) and len(seen) == 3


def test_the_deadline_is_not_spent_waiting_to_retry(stub, counter):
    sleeps = []
    stub.queue(Reply.error(429, **{"Retry-After": "5"}), Reply(content="too late to matter"))
    with pytest.raises(LLMError) as caught:
        ready(make(stub, counter, [], sleeps, deadline=2)).stream(ask())
    assert caught.value.kind == "rate_limit" and sleeps == [] and len(stub.chat_requests()) == 1


def test_streams_ask_for_the_servers_usage(stub, counter):
    calls = []
    stub.queue(Reply(chunks=["four ", "words ", "of ", "reply"]))
    result = make(stub, counter, calls).stream(ask())
    assert stub.chat_requests()[0]["stream_options"] == {"include_usage": True}
    assert result.text == "four words of reply" and result.server_completion_tokens == 4
    assert calls[0].streamed and calls[0].server_prompt_tokens == 2 and calls[0].server_completion_tokens == 4


def test_a_server_that_rejects_stream_options_gets_plain_streams(stub, counter):
    calls = []
    stub.rejects_stream_options = True
    client = make(stub, counter, calls)
    assert client.stream(ask()).text == "ok"
    assert client.stream(ask()).text == "ok"
    assert ["stream_options" in r for r in stub.chat_requests()] == [True, False, False]  # asked once, remembered
    assert [c.ok for c in calls] == [True, True] and calls[0].server_completion_tokens is None


def test_structured_replies_are_streamed_with_one_deadline(stub, counter):
    """The judge's path: every rung and the corrective retry stream, and share one deadline."""
    from pydantic import BaseModel

    from mockmle.llm.structured import StructuredAsker

    class Verdict(BaseModel):
        band: int

    calls = []
    stub.queue(Reply(content='{"band": "high"}'), Reply.slow_stream())
    with pytest.raises(LLMError) as caught:
        StructuredAsker(make(stub, counter, calls, timeout=5.0, deadline=1.0)).ask(ask(), Verdict)
    assert caught.value.kind == "timeout"
    assert all(r["stream"] for r in stub.chat_requests()) and len(stub.chat_requests()) == 2
    assert [c.streamed for c in calls] == [True, True] and calls[1].error == "timeout"
    assert stub.disconnected.wait(2)


def test_the_deadline_is_a_setting_and_defaults_to_four_timeouts(tmp_path, monkeypatch):
    from mockmle.settings import resolve_settings

    (tmp_path / "config.toml").write_text('[llm]\nbase_url = "http://127.0.0.1:1/v1"\ntimeout = 10\n')
    assert resolve_settings(home=str(tmp_path)).llm.call_deadline == 40
    (tmp_path / "config.toml").write_text('[llm]\nbase_url = "http://127.0.0.1:1/v1"\ndeadline = 300\n')
    assert resolve_settings(home=str(tmp_path)).llm.call_deadline == 300
    monkeypatch.setenv("MOCKMLE_DEADLINE", "90")
    assert resolve_settings(home=str(tmp_path)).llm.call_deadline == 90
