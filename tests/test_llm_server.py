"""Protocol tests against a real OpenAI-compatible server: llama-cpp-python serving Gemma 3 270M on 127.0.0.1.

The tiny base model's answers are poor and that is fine: these tests pin the protocol as this
server speaks it and what mockmle's client makes of it: token bookkeeping on both sides,
streaming, and how the structured-output formats are answered, which the judge's fallback ladder
(mockmle.llm.structured) relies on. Observed with llama-cpp-python 0.3.36:

* /v1/models lists one model, the `--model_alias`;
* non-streamed replies carry `usage`; streamed ones never do, even when asked with
  stream_options.include_usage, so a streamed call is counted with tiktoken only;
* `response_format={"type": "json_schema", ...}` fails request validation and, because the server
  maps every error to 500, comes back as HTTP 500 (not 400/422); `json_object` is accepted and
  constrains the reply to JSON with a grammar (slow: grammar sampling over Gemma's 262k-token
  vocabulary costs ~0.1-0.5 s a token, against ~15 ms unconstrained);
* a prompt longer than n_ctx is a 400 with a readable message;
* `--chat_format gemma` drops system messages (Gemma has no system role);
* a streamed reply whose connection is closed stops being generated at the next token (the server
  logs "Disconnected from client"); a non-streamed one is generated to the end even after its client
  has gone, holding the server for every request behind it. On the machine this was written on,
  1,500 unconstrained tokens took ~80 s.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from mockmle.core.tokens import TokenCounter, cost
from mockmle.llm.client import ChatClient, ChatRequest, Usage
from mockmle.llm.faults import LLMError
from mockmle.resources import data_dir
from mockmle.settings import LLMConfig

pytestmark = pytest.mark.llm_server

HELLO = [{"role": "user", "content": "Name three ways to evaluate a ranking model."}]
SCHEMA = {"type": "object", "properties": {"band": {"type": "integer"}, "why": {"type": "string"}},
          "required": ["band", "why"], "additionalProperties": False}


class Recorded:
    def __init__(self, server, tmp_path, **config):
        self.calls = []
        settings = {"timeout": 120, "max_retries": 1, **config}  # generous: CI machines can be slow and shared
        self.client = ChatClient(LLMConfig(base_url=server.base_url, interviewer_model=server.model,
                                           judge_model=server.model, **settings),
                                 TokenCounter(tmp_path / "cache", data_dir("tokenizers")), on_call=self.calls.append)


@pytest.fixture
def chat(llama_server, tmp_path):
    return Recorded(llama_server, tmp_path)


def ask(**kwargs) -> ChatRequest:
    return ChatRequest(**{"purpose": "judge", "messages": HELLO, "prompt_version": "test", "max_tokens": 8,
                          "temperature": 0.0, **kwargs})


def test_server_starts_and_lists_its_model(llama_server, chat, tmp_path, record_property):
    record_property("llama_server_startup_seconds", round(llama_server.startup_seconds, 2))
    assert llama_server.base_url.startswith("http://127.0.0.1:")
    assert llama_server.startup_seconds < 120
    assert chat.client.list_models() == [llama_server.model]
    # With no model configured, the client uses the first one the server lists.
    unnamed = ChatClient(LLMConfig(base_url=llama_server.base_url, timeout=60),
                         TokenCounter(tmp_path / "cache", data_dir("tokenizers")))
    assert unnamed.model_for("judge") == llama_server.model


def test_completion_is_counted_on_both_sides(llama_server, chat):
    result = chat.client.complete(ask(session_id="s1", position=2))

    assert isinstance(result.text, str) and result.text.strip()
    assert result.model == llama_server.model
    assert result.finish_reason in ("length", "stop")
    assert result.prompt_tokens > 0 and result.completion_tokens > 0  # ours: tiktoken, approximate for Gemma
    assert result.server_prompt_tokens > 0  # the server's own count, from `usage`
    assert 1 <= result.server_completion_tokens <= 8  # max_tokens is honoured
    if result.finish_reason == "length":
        assert result.server_completion_tokens == 8

    [record] = chat.calls
    assert record.ok and record.error is None and not record.streamed and record.response_format is None
    assert (record.purpose, record.model, record.prompt_version) == ("judge", llama_server.model, "test")
    assert (record.session_id, record.position) == ("s1", 2)
    assert (record.prompt_tokens, record.completion_tokens) == (result.prompt_tokens, result.completion_tokens)
    assert (record.server_prompt_tokens, record.server_completion_tokens) == (
        result.server_prompt_tokens, result.server_completion_tokens)
    assert record.latency > 0

    usage = Usage()
    usage.add(record, cost)
    usage.add(record, cost)
    assert (usage.calls, usage.prompt_tokens, usage.completion_tokens) == (
        2, 2 * record.prompt_tokens, 2 * record.completion_tokens)
    assert usage.by_model == {llama_server.model: (usage.prompt_tokens, usage.completion_tokens)}
    assert usage.cost is None  # a local model has no price


def test_system_messages_are_dropped_by_the_gemma_format(chat):
    plain = chat.client.complete(ask(max_tokens=1))
    with_system = chat.client.complete(ask(max_tokens=1, messages=[
        {"role": "system", "content": "You are a strict interviewer. " * 20}, *HELLO]))
    assert with_system.server_prompt_tokens == plain.server_prompt_tokens
    assert with_system.prompt_tokens > plain.prompt_tokens  # our count still includes it


def test_streaming_delivers_the_reply_in_pieces(llama_server, chat):
    deltas: list[str] = []
    result = chat.client.stream(ask(purpose="follow_up", role="interviewer", max_tokens=12), deltas.append)

    assert len(deltas) >= 2
    assert "".join(deltas) == result.text and result.text.strip()
    assert result.finish_reason in ("length", "stop")
    assert result.completion_tokens > 0 and result.prompt_tokens > 0
    # llama-cpp-python sends no usage in a stream: the record carries tiktoken's counts only.
    assert result.server_prompt_tokens is None and result.server_completion_tokens is None
    [record] = chat.calls
    assert record.ok and record.streamed and record.purpose == "follow_up" and record.model == llama_server.model
    assert record.completion_tokens == result.completion_tokens


def test_json_schema_is_answered_with_500(chat):
    request = ask(response_format={"type": "json_schema",
                                   "json_schema": {"name": "verdict", "schema": SCHEMA, "strict": True}})
    with pytest.raises(LLMError) as caught:
        chat.client.complete(replace(request, retries=0))
    assert (caught.value.kind, caught.value.status) == ("server", 500)
    assert "127.0.0.1" in caught.value.line
    [record] = chat.calls
    assert not record.ok and record.error == "server" and record.response_format == "json_schema"
    assert record.prompt_tokens > 0 and record.completion_tokens == 0

    # A 500 is retryable, so with the configured retries the client asks again before giving up.
    chat.calls.clear()
    chat.client.sleep = lambda seconds: None
    with pytest.raises(LLMError):
        chat.client.complete(request)
    assert [r.error for r in chat.calls] == ["server", "server"]


@pytest.mark.parametrize("response_format", [{"type": "json_object"}, {"type": "text"}],
                         ids=["json_object", "text"])
def test_json_object_and_text_formats_are_accepted(chat, response_format):
    result = chat.client.complete(ask(response_format=response_format, max_tokens=6, messages=[
        {"role": "user", "content": 'Grade "use a hash map" from 1 to 4. Reply as JSON: {"band": N, "why": "..."}'}]))
    [record] = chat.calls
    assert record.ok and record.response_format == response_format["type"]
    assert 1 <= result.server_completion_tokens <= 6
    if response_format["type"] == "json_object":
        assert result.text.lstrip().startswith("{")  # the grammar holds even when the model is this small


def test_a_prompt_longer_than_the_context_is_a_bad_request(chat):
    with pytest.raises(LLMError) as caught:
        chat.client.complete(ask(messages=[{"role": "user", "content": "token " * 9000}]))
    assert (caught.value.kind, caught.value.status) == ("bad_request", 400)
    [record] = chat.calls  # a 400 is not retried
    assert not record.ok and record.error == "bad_request" and record.prompt_tokens > 9000


def test_a_stream_and_a_completion_at_once_both_finish(chat):
    """The server handles one request at a time; the fixture makes it queue rather than cut a stream short."""
    deltas: list[str] = []
    results = {}

    def streamed():
        results["stream"] = chat.client.stream(ask(role="interviewer", max_tokens=24), deltas.append)

    thread = threading.Thread(target=streamed)
    thread.start()
    results["plain"] = chat.client.complete(ask(max_tokens=4))
    thread.join(timeout=300)
    assert not thread.is_alive()

    assert results["stream"].finish_reason in ("length", "stop")
    assert "".join(deltas) == results["stream"].text
    assert results["plain"].server_completion_tokens <= 4
    assert sorted(r.streamed for r in chat.calls) == [False, True] and all(r.ok for r in chat.calls)


def test_the_structured_ladder_steps_down_from_json_schema_to_json_object(llama_server, chat):
    """The judge's fallback path: json_schema gets a 500 here, so the asker moves to json_object carrying the
    schema (llama.cpp turns it into a grammar) and remembers it; the schema stays out of the prompt.

    Whether the tiny model then writes a valid object is beside the point (with max_tokens this small it
    cannot); what is pinned is the sequence of requests and that every one of them is recorded.
    """
    from pydantic import BaseModel

    from mockmle.llm.structured import StructuredAsker

    class Verdict(BaseModel):
        band: int
        why: str

    asker = StructuredAsker(chat.client)
    try:
        reply = asker.ask(ask(max_tokens=8), Verdict)
    except LLMError as error:
        assert error.kind == "invalid_output"  # cut off twice: the corrective retry was tried and failed
    else:
        assert reply.format == "json_object_schema"
    assert asker.known == {llama_server.model: "json_object_schema"}
    formats = [(r.response_format, r.ok, r.error) for r in chat.calls]
    assert formats[0] == ("json_schema", False, "server")  # tried once, without the client's retries
    assert formats[1:] and all(f == ("json_object_schema", True, None) for f in formats[1:]) and len(formats) <= 3
    assert all(r.purpose == "judge" and r.prompt_tokens > 0 and r.streamed for r in chat.calls)
    # Streamed, so this server's usage is missing (it ignores stream_options); ours is there and max_tokens held.
    assert all(r.server_completion_tokens is None and 0 < r.completion_tokens <= 16 for r in chat.calls[1:])

    # Later calls for this model start at the rung that worked: no second json_schema request.
    chat.calls.clear()
    with pytest.raises(LLMError):
        asker.ask(ask(max_tokens=2), Verdict)
    assert [r.response_format for r in chat.calls] == ["json_object_schema", "json_object_schema"]


def test_a_stream_past_its_deadline_is_closed_and_the_server_stops_generating(llama_server, tmp_path, chat):
    """The judge's reply is streamed with a deadline: at the deadline the connection is closed, the server stops,
    and the next request is answered at once instead of queueing behind up to 1,500 tokens nobody will read."""
    # This tiny model rambles on to max_tokens here (~20 tokens/s on 2 threads): far more than 2 s of reply.
    endless = [{"role": "user", "content": "Repeat the word 'ranking' 1000 times, separated by spaces."}]
    hurried = Recorded(llama_server, tmp_path, deadline=2.0, max_retries=0)
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        hurried.client.stream(ask(messages=endless, max_tokens=1500, temperature=0.2))
    assert caught.value.kind == "timeout" and time.monotonic() - started < 4
    [record] = hurried.calls
    assert record.streamed and record.error == "timeout" and record.completion_tokens > 0

    started = time.monotonic()
    chat.client.complete(ask(max_tokens=4))
    assert time.monotonic() - started < 20  # generating the rest of the essay would take far longer
    assert _logged(llama_server, "Disconnected from client")


def _logged(server, text: str, wait: float = 5.0) -> bool:
    until = time.monotonic() + wait
    while text not in server.log_tail(400):
        if time.monotonic() > until:
            return False
        time.sleep(0.1)
    return True
