"""The one place mockmle talks to a model: any OpenAI-compatible chat endpoint, through the OpenAI SDK.

Retries are ours, not the SDK's, so a 429's Retry-After and our own backoff are one policy and
every attempt is logged. Every call, failed or not, becomes a `CallRecord` (tokens counted with
tiktoken, latency, prompt version) handed to `on_call`; the caller decides where it is stored,
so the TUI can keep SQLite on its main thread.

Every call has a wall-clock deadline (`LLMConfig.call_deadline`, or the request's own), covering
the whole reply and its retries, streamed or not, and a cap on the bytes it reads
(`reply_guard`: each read of the SDK's sockets waits at most until the deadline, so a server that
drips bytes or empty events cannot hold a call), and a cap on the text it accepts
(MAX_CHARS_PER_TOKEN times the request's max_tokens). A stream is also closed by a watchdog when
the deadline passes (see `stream_reader`), which stops the server generating. Streams ask for the
server's usage with `stream_options.include_usage`; a server that rejects that gets plain
streams from then on.

Any reply that cannot be read (a body that is not JSON, a broken stream event) is a failed call
like a timeout: an `LLMError` the caller falls back from. After several failed attempts in a row
the client stops calling the server for the rest of the session (`circuit`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from mockmle.core.tokens import TokenCounter, total_cost
from mockmle.llm.circuit import CircuitBreaker
from mockmle.llm.faults import Backoff, LLMError, classify, unreadable
from mockmle.llm.reply_guard import MAX_REPLY_BYTES, GuardedCall, ReplyGuard, install
from mockmle.llm.stream_reader import DeadlinePassed, NoReply, ReplyTooLong, StreamedReply, read_stream
from mockmle.settings import DEFAULT_OPENAI_MODEL, NO_KEY, LLMConfig

STREAM_OPTIONS_REJECTED = frozenset({400, 422})  # what a server that does not know stream_options answers
# Text accepted per token of max_tokens (about 4 in English): a server that ignores max_tokens is cut off.
MAX_CHARS_PER_TOKEN = 8


@dataclass(frozen=True)
class ChatRequest:
    purpose: str  # judge, follow_up, company, debrief, model_answer, doctor
    messages: list[dict]
    prompt_version: str
    model: str | None = None  # None: the configured model for the role (`role`)
    role: str = "judge"
    temperature: float | None = None
    response_format: dict | None = None
    max_tokens: int | None = None
    retries: int | None = None  # None: the configured number
    session_id: str | None = None
    position: int | None = None
    deadline: float | None = None  # time.monotonic() by which the call must be over; None: now + call_deadline


@dataclass(frozen=True)
class ChatResult:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency: float
    finish_reason: str | None = None
    refusal: str | None = None
    server_prompt_tokens: int | None = None
    server_completion_tokens: int | None = None


@dataclass(frozen=True)
class CallRecord:
    purpose: str
    model: str
    prompt_version: str
    prompt_tokens: int
    completion_tokens: int
    latency: float
    ok: bool
    error: str | None = None
    response_format: str | None = None
    streamed: bool = False
    server_prompt_tokens: int | None = None
    server_completion_tokens: int | None = None
    session_id: str | None = None
    position: int | None = None


@dataclass
class Usage:
    """Running totals over call records as they arrive (the TUI's meter sums the stored call log instead)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    cost: float | None = None
    by_model: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(self, record: CallRecord, price: Callable[[str, int, int], float | None]) -> None:
        self.prompt_tokens += record.prompt_tokens
        self.completion_tokens += record.completion_tokens
        self.calls += 1
        p, c = self.by_model.get(record.model, (0, 0))
        self.by_model[record.model] = (p + record.prompt_tokens, c + record.completion_tokens)
        self.cost = total_cost(((m, p, c) for m, (p, c) in self.by_model.items()), price)


class ChatClient:
    def __init__(self, config: LLMConfig, counter: TokenCounter, on_call: Callable[[CallRecord], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.config = config
        self.counter = counter
        self.on_call = on_call or (lambda record: None)
        self.sleep = sleep
        self._sdk = None
        self._default_model: str | None = None
        self._lock = threading.Lock()
        self._usage_in_streams: dict[str, bool] = {}  # model -> whether the server takes stream_options
        self.guard = ReplyGuard()
        self.breaker = CircuitBreaker(config.redact(config.endpoint))

    # -- plumbing

    @property
    def sdk(self):
        with self._lock:
            if self._sdk is None:
                self._sdk = openai_sdk(self.config, guard=self.guard)
            return self._sdk

    def model_for(self, role: str) -> str:
        named = self.config.model_for(role)
        if named:
            return named
        if self._default_model is None:
            self._default_model = self._server_model() if self.config.base_url else DEFAULT_OPENAI_MODEL
        return self._default_model

    def known_model(self, role: str) -> str | None:
        """The model for `role` if it is known without asking the server (named, or asked already); else None."""
        return self.config.model_for(role) or (self._default_model if self.config.base_url else DEFAULT_OPENAI_MODEL)

    def _server_model(self) -> str:
        """With a base URL and no model named, use the first model the server lists."""
        models = self.list_models()
        if not models:
            raise LLMError("not_found", f"the server at {self.config.endpoint} lists no models; set MOCKMLE_MODEL")
        return models[0]

    def list_models(self) -> list[str]:
        """The server's models, within one call's deadline and reply cap (no retries)."""
        self.breaker.check()
        deadline = time.monotonic() + self.config.call_deadline
        with self.guard.call(deadline) as call:
            try:
                page = self.sdk.models.list(timeout=min(self.config.timeout, self.config.call_deadline))
                models = [str(m.id) for m in page.data]
            except Exception as exc:  # noqa: BLE001 - any failure becomes one calm line
                error = self._failure(exc, call, deadline)
                self.breaker.failed(error)
                raise error from None
        self.breaker.succeeded()
        return models

    def _error(self, exc: Exception) -> LLMError:
        error = classify(exc, self.config.endpoint)
        error.line = self.config.redact(error.line)
        return error

    def _failure(self, exc: Exception, call: GuardedCall, deadline: float, max_chars: int | None = None) -> LLMError:
        """What a failed attempt means: the deadline or a cap when the guard saw it, else the exception's own kind."""
        if call.too_large:
            return LLMError("too_large", self.config.redact(
                f"the model at {self.config.endpoint} sent a reply larger than {MAX_REPLY_BYTES // 1_000_000} MB; "
                "it was cut off"))
        if isinstance(exc, ReplyTooLong):
            return LLMError("too_large", self.config.redact(
                f"the model at {self.config.endpoint} sent a reply longer than {max_chars} characters; it was cut off"))
        if isinstance(exc, DeadlinePassed) or call.late:
            return self._deadline_error()
        if isinstance(exc, NoReply):
            return self._error(unreadable(self.config.endpoint, "a stream with no reply in it"))
        error = self._error(exc)
        if error.kind in ("timeout", "connection") and time.monotonic() >= deadline:
            return self._deadline_error()
        return error

    # -- calls

    def complete(self, request: ChatRequest) -> ChatResult:
        """One non-streamed reply. Past the deadline it stops waiting, but the server may go on generating."""
        return self._with_retries(request, stream=False, on_delta=None)

    def stream(self, request: ChatRequest, on_delta: Callable[[str], None] | None = None) -> ChatResult:
        """Like `complete`, calling `on_delta` with each piece of text as it arrives.

        When the deadline passes, or `on_delta` raises (the caller gave up), the reply is closed,
        which stops a server that checks for a closed connection (llama.cpp, vLLM) generating.
        """
        return self._with_retries(request, stream=True, on_delta=on_delta)

    def deadline_for(self, request: ChatRequest) -> float:
        return request.deadline if request.deadline is not None else time.monotonic() + self.config.call_deadline

    def _with_retries(self, request: ChatRequest, stream: bool, on_delta) -> ChatResult:
        model = request.model or self.model_for(request.role)
        prompt_tokens = self.counter.count_messages(request.messages, model)  # first: loading a tokenizer takes time
        deadline = self.deadline_for(request)
        request = replace(request, deadline=deadline)
        backoff = Backoff(retries=self.config.max_retries if request.retries is None else request.retries)
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._once(request, model, prompt_tokens, stream, on_delta)
            except LLMError as error:
                delay = backoff.delay(attempt, error)
                if delay is None or time.monotonic() + delay >= deadline:
                    raise
                self.sleep(delay)

    def _once(self, request: ChatRequest, model: str, prompt_tokens: int, stream: bool, on_delta) -> ChatResult:
        assert request.deadline is not None
        self.breaker.check()
        remaining = request.deadline - time.monotonic()
        if remaining <= 0:
            raise self._deadline_error()
        kwargs = {"model": model, "messages": request.messages,
                  "temperature": self.config.temperature if request.temperature is None else request.temperature,
                  "timeout": min(self.config.timeout, remaining)}
        if request.response_format is not None:
            kwargs["response_format"] = request.response_format
        max_tokens = request.max_tokens or (
            self.config.judge_max_tokens if request.role == "judge" else self.config.interviewer_max_tokens)
        kwargs["max_tokens"] = max_tokens
        max_chars = max_tokens * MAX_CHARS_PER_TOKEN
        fmt = (request.response_format or {}).get("type")
        if fmt == "json_object" and "schema" in (request.response_format or {}):
            fmt = "json_object_schema"
        started = time.perf_counter()
        reply = StreamedReply(max_chars=max_chars)
        with self.guard.call(request.deadline) as call:
            try:
                if stream:
                    self._streamed(kwargs, on_delta, request.deadline, reply)
                else:
                    self._plain(kwargs, reply)
            except Exception as exc:  # noqa: BLE001 - every failure is classified and logged below
                error = self._failure(exc, call, request.deadline, max_chars)
                self.on_call(CallRecord(request.purpose, model, request.prompt_version, prompt_tokens,
                                        self.counter.count(reply.text, model), time.perf_counter() - started,
                                        ok=False, error=error.kind, response_format=fmt, streamed=stream,
                                        session_id=request.session_id, position=request.position))
                self.breaker.failed(error)
                raise error from None
        self.breaker.succeeded()
        text, finish, refusal = reply.text, reply.finish_reason, reply.refusal
        server_prompt, server_completion = reply.prompt_tokens, reply.completion_tokens
        latency = time.perf_counter() - started
        completion_tokens = self.counter.count(text or refusal or "", model)
        refused = bool(refusal) or finish == "content_filter"
        self.on_call(CallRecord(request.purpose, model, request.prompt_version, prompt_tokens, completion_tokens,
                                latency, ok=not refused, error="refusal" if refused else None, response_format=fmt,
                                streamed=stream, server_prompt_tokens=server_prompt,
                                server_completion_tokens=server_completion,
                                session_id=request.session_id, position=request.position))
        if refused:
            raise LLMError("refusal", "the model declined to answer")
        return ChatResult(text=text, model=model, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                          latency=latency, finish_reason=finish, refusal=refusal,
                          server_prompt_tokens=server_prompt, server_completion_tokens=server_completion)

    def _deadline_error(self) -> LLMError:
        return LLMError("timeout", f"the model at {self.config.endpoint} did not finish its reply within "
                                   f"{self.config.call_deadline:g} s (the deadline setting)")

    def _plain(self, kwargs: dict, reply: StreamedReply) -> None:
        response = self.sdk.chat.completions.create(**kwargs)
        if not hasattr(response, "choices"):  # the SDK hands back the raw text of a body that is not JSON
            raise unreadable(self.config.endpoint, "a reply that is not a chat completion")
        if not response.choices:
            raise LLMError("invalid_output", "the model sent an empty reply")
        choice = response.choices[0]
        usage = response.usage
        reply.add(choice.message.content or "")
        reply.finish_reason = choice.finish_reason
        reply.refusal = getattr(choice.message, "refusal", None)
        if usage:
            reply.prompt_tokens, reply.completion_tokens = usage.prompt_tokens, usage.completion_tokens

    def _streamed(self, kwargs: dict, on_delta, deadline: float, reply: StreamedReply) -> None:
        model = kwargs["model"]
        with_usage = self._usage_in_streams.get(model, True)
        try:
            stream = self._open_stream(kwargs, with_usage)
        except Exception as exc:  # only a rejection of stream_options is handled here; the rest re-raised
            if not (with_usage and _rejects_stream_options(exc)) or model in self._usage_in_streams:
                raise
            stream = self._open_stream(kwargs, False)
            self._usage_in_streams[model] = False
        self._usage_in_streams.setdefault(model, with_usage)
        read_stream(stream, deadline, on_delta, reply)

    def _open_stream(self, kwargs: dict, with_usage: bool):
        extra = {"stream_options": {"include_usage": True}} if with_usage else {}
        return self.sdk.chat.completions.create(stream=True, **kwargs, **extra)


def _rejects_stream_options(exc: Exception) -> bool:
    """A 400/422 that names stream_options (a 400 about anything else must not cost a second request)."""
    return getattr(exc, "status_code", None) in STREAM_OPTIONS_REJECTED and "stream_options" in str(exc)


def openai_sdk(config: LLMConfig, timeout: float | None = None, max_retries: int = 0, guard: ReplyGuard | None = None):
    """An OpenAI SDK client for `config`, built as `ChatClient` builds its own, for other endpoints (audio).

    With `guard`, its sockets keep the deadline and size cap of the call in progress (see `reply_guard`)."""
    from openai import DefaultHttpxClient, OpenAI

    http_client = None
    if guard is not None:
        http_client = DefaultHttpxClient()
        install(http_client, guard)
    return OpenAI(api_key=config.api_key or NO_KEY, base_url=config.base_url,
                  timeout=config.timeout if timeout is None else timeout, max_retries=max_retries,
                  http_client=http_client)
