"""Model servers that misbehave, against the client and the scripted CLI: unreadable replies, servers that
drip bytes for ever, replies of any size, and a server that keeps failing. Every fault is a failed call the
caller falls back from, within the call's deadline, in bounded memory; a server that fails several times in
a row is not called again. The server is the scripted one on 127.0.0.1 (tests/openai_stub.py)."""

from __future__ import annotations

import itertools
import json
import time
import tracemalloc

import pytest

from mockmle.core.tokens import TokenCounter
from mockmle.llm.client import MAX_CHARS_PER_TOKEN, ChatClient, ChatRequest
from mockmle.llm.faults import LLMError
from mockmle.llm.reply_guard import MAX_REPLY_BYTES
from mockmle.resources import data_dir
from mockmle.settings import LLMConfig
from openai_stub import OpenAIStub, Reply

EMPTY_EVENT = (b'data: {"id":"c","object":"chat.completion.chunk","created":0,"model":"m",'
               b'"choices":[{"index":0,"delta":{},"finish_reason":null}]}\n\n')
HUGE = "word " * 6_000_000  # 30 MB


def completion_bytes(content: str) -> bytes:
    return json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "stub-model",
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": content}}]}).encode()


@pytest.fixture
def stub():
    server = OpenAIStub(models=("stub-model",)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def counter(tmp_path_factory):
    return TokenCounter(tmp_path_factory.mktemp("cache"), data_dir("tokenizers"))


def client(stub, counter, calls=None, **config) -> ChatClient:
    settings = {"base_url": stub.base_url, "judge_model": "stub-model", "timeout": 1.0, "max_retries": 0, **config}
    made = ChatClient(LLMConfig(**settings), counter, on_call=(calls.append if calls is not None else None),
                      sleep=lambda s: None)
    made.counter.count("", "stub-model")  # the tokenizer loaded, so a timed call times the server alone
    return made


def ask(**kw) -> ChatRequest:
    return ChatRequest("judge", [{"role": "user", "content": "Say hello"}], "test-1", **kw)


def call(made: ChatClient, streamed: bool):
    return made.stream(ask()) if streamed else made.complete(ask())


# -- 7. an unreadable reply is a failed call, never a crash


@pytest.mark.parametrize("body, content_type", [("<html>Service Unavailable</html>", "text/html"),
                                                ("this is not json", "application/json"),
                                                ('{"id": "x", "choices": "none"}', "application/json")])
def test_a_plain_reply_that_is_not_a_completion_is_unreadable(stub, counter, body, content_type):
    calls = []
    stub.queue(Reply.raw(body, content_type))
    with pytest.raises(LLMError) as caught:
        client(stub, counter, calls).complete(ask())
    assert caught.value.kind == "unreadable" and "127.0.0.1" in caught.value.line
    assert [c.error for c in calls] == ["unreadable"]


def test_a_broken_stream_event_is_unreadable(stub, counter):
    calls = []
    stub.queue(Reply(sse=['data: {"id": "c1", "choices": [{"delta": {"content": "Hi"']))
    with pytest.raises(LLMError) as caught:
        client(stub, counter, calls).stream(ask())
    assert caught.value.kind == "unreadable" and "not valid JSON" in caught.value.line
    assert calls[0].streamed and calls[0].error == "unreadable"


def test_a_stream_with_no_events_in_it_is_unreadable(stub, counter):
    stub.queue(Reply.raw("<html>Bad gateway</html>", "text/html"))
    with pytest.raises(LLMError) as caught:
        client(stub, counter).stream(ask())
    assert caught.value.kind == "unreadable" and "no reply in it" in caught.value.line


def test_a_model_list_that_is_not_json_is_unreadable(stub, counter):
    stub.models_reply = Reply.raw("<html>hello</html>", "text/html")
    with pytest.raises(LLMError) as caught:
        client(stub, counter, judge_model=None).model_for("judge")
    assert caught.value.kind == "unreadable"


# -- 8. a total deadline on every call, however the server drips


DRIPS = {
    "empty stream events": Reply.dripping(EMPTY_EVENT, 0.1, drip_for=6),
    "keep-alive comments": Reply.dripping(b": keep-alive\n\n", 0.1, drip_for=6),
    "one byte at a time": Reply.dripping(b" ", 0.3, drip_for=6),
    "a head one byte at a time": Reply.dripping(b" ", 0.3, head=True, drip_for=6),
}


@pytest.mark.parametrize("streamed", [True, False], ids=["streamed", "plain"])
@pytest.mark.parametrize("drip", list(DRIPS))
def test_a_dripping_server_is_cut_off_at_the_deadline(stub, counter, drip, streamed):
    """The read timeout (1 s) never fires while something arrives; the 1.5 s deadline does, for every call."""
    calls = []
    stub.queue(DRIPS[drip])
    made = client(stub, counter, calls, deadline=1.5)
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        call(made, streamed)
    elapsed = time.monotonic() - started
    assert caught.value.kind == "timeout" and "1.5 s" in caught.value.line
    assert elapsed < 2.5, f"held for {elapsed:.1f} s"
    assert stub.disconnected.wait(2), "the server should see the connection closed"
    assert [c.error for c in calls] == ["timeout"]


def test_listing_models_has_a_deadline_too(stub, counter):
    made = client(stub, counter, judge_model=None, deadline=1.5)
    stub.models_reply = Reply.dripping(b" ", 0.3, drip_for=6)
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        made.model_for("judge")
    assert caught.value.kind == "timeout" and time.monotonic() - started < 2.5


# -- 9. a cap on the reply's bytes and on the text accepted


def test_a_huge_plain_reply_is_cut_off_in_bounded_memory(stub, counter):
    calls = []
    stub.queue(Reply.raw(completion_bytes(HUGE)))  # encoded beforehand: the memory traced is the client's
    made = client(stub, counter, calls, timeout=10.0)
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(LLMError) as caught:
            made.complete(ask())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.kind == "too_large" and "2 MB" in caught.value.line
    assert peak < 4 * MAX_REPLY_BYTES, f"peak {peak / 1e6:.0f} MB"
    assert time.monotonic() - started < 5
    assert calls[0].error == "too_large"


def test_a_huge_stream_is_closed_when_it_passes_the_cap(stub, counter):
    stub.queue(Reply(chunks=["x" * 200_000] * 150))  # 30 MB in big events
    with pytest.raises(LLMError) as caught:
        client(stub, counter, timeout=10.0).stream(ask())
    assert caught.value.kind == "too_large"
    assert stub.disconnected.wait(2)


def test_text_past_max_tokens_is_not_accepted(stub, counter):
    """A server that ignores max_tokens: its reply is closed once the text passes what max_tokens allows."""
    calls = []
    stub.queue(Reply.slow_stream("word ", interval=0.0))
    with pytest.raises(LLMError) as caught:
        client(stub, counter, calls, timeout=10.0).stream(ask(max_tokens=50))
    assert caught.value.kind == "too_large" and f"{50 * MAX_CHARS_PER_TOKEN} characters" in caught.value.line
    assert stub.disconnected.wait(2)
    assert calls[0].completion_tokens <= 50 * MAX_CHARS_PER_TOKEN  # only what was accepted is counted


def test_a_reply_within_the_caps_is_untouched(stub, counter):
    text = "A fine answer. " * 100
    stub.queue(Reply(content=text), Reply(content=text))
    made = client(stub, counter)
    assert made.complete(ask()).text == text and made.stream(ask()).text == text


# -- 8. a server that keeps failing is not called again this session


def test_three_failed_attempts_in_a_row_stop_the_calls(stub, counter):
    calls = []
    stub.handler = lambda body: Reply.raw("<html>oops</html>", "text/html")
    made = client(stub, counter, calls)
    for _ in range(3):
        with pytest.raises(LLMError):
            made.complete(ask())
    assert made.breaker.is_open
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        made.stream(ask())
    assert caught.value.kind == "circuit_open" and "3 times in a row" in caught.value.line
    assert time.monotonic() - started < 0.1
    assert len(stub.chat_requests()) == 3 and len(calls) == 3  # no request, nothing logged
    made.breaker.reset()
    stub.handler = lambda body: Reply(content="back")
    assert made.complete(ask()).text == "back"


def test_a_rejected_request_or_an_answer_breaks_the_run(stub, counter):
    stub.queue(Reply.error(503), Reply.error(503), Reply.error(400, "bad"), Reply.error(503), Reply.error(503),
               Reply(content="ok"), Reply.error(503), Reply.error(503))
    made = client(stub, counter)
    for _ in range(5):
        with pytest.raises(LLMError):
            made.complete(ask())
    assert made.complete(ask()).text == "ok"
    for _ in range(2):
        with pytest.raises(LLMError):
            made.complete(ask())
    assert not made.breaker.is_open


def test_retries_count_towards_the_run(stub, counter):
    """A hung server: one call's three attempts open the circuit, so the next call costs nothing."""
    stub.handler = lambda body: Reply(content="late", delay=5)
    made = client(stub, counter, timeout=0.3, max_retries=2, deadline=10)
    with pytest.raises(LLMError) as caught:
        made.complete(ask())
    assert caught.value.kind == "timeout" and made.breaker.is_open
    with pytest.raises(LLMError) as caught:
        made.complete(ask())
    assert caught.value.kind == "circuit_open" and len(stub.chat_requests()) == 3


# -- the whole CLI interview against each fault: no traceback, bounded in time, one line when it goes offline


ANSWERS = """Bagging averages trees trained on bootstrap samples, which lowers variance.
---
I would limit the depth and use more trees.
---
I would compare offline first, then run an A/B test.
---
Monitor drift.
"""

CLI_FAULTS = {
    "not json": lambda body: Reply.raw("<html>Service Unavailable</html>", "text/html"),
    "broken sse line": lambda body: (Reply(sse=['data: {"choices": [{"delta": {"content": "Hi"']) if body.get("stream")
                                     else Reply.raw("{not json", "application/json")),
    "dripping bytes": lambda body: Reply.dripping(b" ", 0.3, drip_for=20),
    "empty events": lambda body: Reply.dripping(EMPTY_EVENT, 0.2, drip_for=20),
    "huge reply": lambda body: (Reply(chunks=itertools.repeat("word ", 6_000_000)) if body.get("stream")
                                else Reply(content=HUGE)),
}


@pytest.mark.parametrize("fault", list(CLI_FAULTS))
def test_a_scripted_interview_survives_the_fault(cli, stub, fault):
    stub.handler = CLI_FAULTS[fault]
    answers = cli.home.parent / "answers.txt"
    answers.write_text(ANSWERS)
    started = time.monotonic()
    result = cli("interview", "--question-ids", "technical.bagging-vs-boosting,applied-ml.why-tests",
                 "--follow-ups", "1", "--answers-file", str(answers),
                 env={"OPENAI_BASE_URL": stub.base_url, "MOCKMLE_TIMEOUT": "1", "MOCKMLE_DEADLINE": "2",
                      "MOCKMLE_MEANING": "off"}, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert elapsed < 25, f"took {elapsed:.0f} s"
    out = " ".join(result.stdout.split())
    assert out.count("failed 3 times in a row") == 1, out  # said once, and nothing after it was called
    assert len(stub.chat_requests()) == 3
    session_id = result.stdout.rsplit("Saved as session ", 1)[1].split(".")[0]
    shown = cli("sessions", "show", session_id, "--json", env={"MOCKMLE_MEANING": "off"})
    session = json.loads(shown.stdout)
    assert session["status"] == "finished"
    assert all(t["grade"]["provenance"]["fallback"] and t["grade"]["provenance"]["fallback_reason"]
               for t in session["turns"])


def test_naming_the_judge_never_waits_for_the_server(stub, counter):
    """The app reads the judge's name on its main thread (the interview bar, the new session's row)."""
    from mockmle.llm.judge import LLMGrader

    made = client(stub, counter, judge_model=None, deadline=5)
    stub.models_reply = Reply.dripping(b" ", 0.3, drip_for=6)
    grader = LLMGrader(made, bank=None, offline=object())  # only its name is read
    started = time.monotonic()
    assert grader.name == "llm"
    assert time.monotonic() - started < 0.5

