"""Structured output from any OpenAI-compatible server, validated by a pydantic model.

Servers differ in what they accept, so the request walks down a ladder of formats:

1. ``json_schema``: the server constrains the reply to the model's JSON schema;
2. ``json_object_schema``: ``{"type": "json_object", "schema": ...}``, which llama.cpp's servers
   (and Ollama's ``format``) turn into a grammar where they refuse ``json_schema``: the schema is
   enforced, so it stays out of the prompt (hundreds of tokens a small local model would
   otherwise copy back as evidence);
3. ``json_object``: the server only promises JSON; the schema goes into the prompt;
4. ``text``: no response_format at all; the schema goes into the prompt and the first JSON
   object is cut out of the reply (code fences, prose and <think> blocks around it are fine).

A rung is abandoned only when the server rejects the format itself: HTTP 400/404/422 from most
servers, or 500/501 (llama.cpp's server answers 500 to a json_schema it cannot turn into a
grammar). Timeouts, refused connections, 429s and other 5xx are not about the format: they
propagate after the client's usual retries. A rung that has not yet worked for a model is tried
once without the client's retries, so a server that rejects it is not asked again and again;
a transient failure there gets the normal retry policy. The rung that worked is remembered per
model, so later calls start there.

Every reply is validated; an invalid or truncated one gets one corrective retry, and a second
invalid reply raises ``LLMError("invalid_output")``.

Every request is streamed (``ChatClient.stream``), and one ``ask`` has one deadline for all its
requests (rungs, retries, the corrective retry): when it passes, the reply in flight is closed,
so a local server stops generating it, and ``LLMError("timeout")`` is raised.

Where the schema must be spelled out (the json_object and text rungs), the instructions go at
the end of the system message, before anything about the particular question or answer, so the
prefix every request shares is as long as it can be and servers that cache prompt prefixes
(llama.cpp, vLLM, hosted APIs) reuse it.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from mockmle.errors import ModelError
from mockmle.llm.client import ChatClient, ChatRequest, ChatResult
from mockmle.llm.faults import Backoff, LLMError

T = TypeVar("T", bound=BaseModel)

FORMATS = ("json_schema", "json_object_schema", "json_object", "text")
REJECTION_STATUSES = frozenset({400, 404, 415, 422, 500, 501})
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class Structured(Generic[T]):
    value: T
    format: str  # the rung that produced it: one of FORMATS
    result: ChatResult  # the reply that validated
    retried: bool = False  # True when the first reply was invalid and the corrective retry fixed it


class InvalidReply(ModelError):
    """A reply that is not one valid JSON object of the expected shape; the message is short and safe to send back."""


def strict_schema(model_cls: type[BaseModel]) -> dict:
    """The model's JSON schema, shaped for OpenAI's strict mode: every object closed, every property required."""
    schema = model_cls.model_json_schema()

    def close(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node["additionalProperties"] = False
                node["required"] = list(node["properties"])
            node.pop("default", None)
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(schema)
    return schema


def default_instructions(schema: dict) -> str:
    return ("Reply with one JSON object and nothing else: no prose, no code fences. It must match this JSON schema, "
            f"with the fields in this order:\n{json.dumps(schema, separators=(',', ':'))}")


def extract_json(text: str) -> object:
    """The first JSON object in a reply: the whole reply, a ```json fence, or the first {...} that parses."""
    text = _THINK.sub("", text).strip()
    candidates = [text, *(m.group(1).strip() for m in _FENCE.finditer(text))]
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    raise InvalidReply("the reply holds no complete JSON object" if "{" in text else "the reply holds no JSON object")


def parse_reply(result: ChatResult, model_cls: type[T]) -> T:
    if result.finish_reason == "length":
        raise InvalidReply("the reply was cut off before the JSON object ended")
    data = extract_json(result.text)
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc']) or 'top level'}: {e['msg']}" for e in exc.errors()[:3]]
        more = f" (and {exc.error_count() - 3} more)" if exc.error_count() > 3 else ""
        raise InvalidReply("the JSON does not match the schema: " + "; ".join(problems) + more) from None


def _rejects_format(error: LLMError) -> bool:
    return error.kind in ("bad_request", "not_found", "server") and error.status in REJECTION_STATUSES


class StructuredAsker:
    """Asks for one pydantic model's worth of JSON, remembering per model which format the server accepts."""

    def __init__(self, client: ChatClient):
        self.client = client
        self.known: dict[str, str] = {}  # model name -> the format that server last accepted

    def ask(self, request: ChatRequest, model_cls: type[T], instructions: str | None = None,
            name: str | None = None) -> Structured[T]:
        """Send `request` (its messages end with the user turn) and return the validated reply.

        `instructions` are added to the system message on the json_object and text rungs, where
        the server does not enforce the schema; by default they spell out the schema itself.
        """
        model = request.model or self.client.model_for(request.role)
        self.client.counter.count("", model)  # loads the tokenizer now: its first load is not the model's time
        request = replace(request, model=model, deadline=self.client.deadline_for(request))
        schema = strict_schema(model_cls)
        instructions = instructions or default_instructions(schema)
        start = FORMATS.index(self.known.get(model, FORMATS[0]))
        for index in range(start, len(FORMATS)):
            rung = FORMATS[index]
            rung_request = self._for_rung(request, rung, schema, instructions, name or model_cls.__name__)
            proven = self.known.get(model) == rung
            try:
                result = self._send(rung_request, proven)
            except LLMError as error:
                # A 500 from a format that has worked before is the server failing, not the format.
                if index + 1 < len(FORMATS) and _rejects_format(error) and not (proven and error.kind == "server"):
                    continue
                raise
            self.known[model] = rung
            return self._validated(rung_request, result, model_cls, rung)
        raise AssertionError("unreachable: the text rung either answers or raises")

    def _for_rung(self, request: ChatRequest, rung: str, schema: dict, instructions: str, name: str) -> ChatRequest:
        if rung == "json_schema":
            response_format = {"type": "json_schema", "json_schema": {"name": _schema_name(name), "schema": schema, "strict": True}}
            return replace(request, response_format=response_format)
        if rung == "json_object_schema":
            return replace(request, response_format={"type": "json_object", "schema": schema})
        return replace(request, messages=with_instructions(request.messages, instructions),
                       response_format={"type": "json_object"} if rung == "json_object" else None)

    def _send(self, request: ChatRequest, proven: bool) -> ChatResult:
        if proven or request.retries is not None:
            return self.client.stream(request)
        try:
            return self.client.stream(replace(request, retries=0))
        except LLMError as error:
            if _rejects_format(error):
                raise
            # Not a format problem: wait as the client would have, then give it the remaining retries.
            retries = self.client.config.max_retries
            delay = Backoff(retries=retries).delay(1, error)
            if delay is None or request.deadline is None or time.monotonic() + delay >= request.deadline:
                raise
            self.client.sleep(delay)
            return self.client.stream(replace(request, retries=retries - 1))

    def _validated(self, request: ChatRequest, result: ChatResult, model_cls: type[T], rung: str) -> Structured[T]:
        try:
            return Structured(parse_reply(result, model_cls), rung, result)
        except InvalidReply as problem:
            retry = replace(request, messages=[*request.messages, *_correction(result, str(problem))])
        second = self.client.stream(retry)
        try:
            return Structured(parse_reply(second, model_cls), rung, second, retried=True)
        except InvalidReply as problem:
            # The details went back to the model in the corrective retry; the candidate gets the gist.
            raise LLMError("invalid_output", f"the model's reply was not usable twice ({str(problem).split(':')[0]})") from None


def with_instructions(messages: list[dict], instructions: str) -> list[dict]:
    """`messages` with `instructions` at the end of the system message (one is added first if there is none)."""
    messages = [dict(m) for m in messages]
    if not messages or messages[0].get("role") != "system":
        return [{"role": "system", "content": instructions}, *messages]
    messages[0]["content"] = f"{messages[0]['content']}\n\n{instructions}"
    return messages


def _correction(result: ChatResult, problem: str) -> list[dict]:
    note = (f"Your reply could not be used: {problem}. Reply again with only the complete JSON object, "
            "matching the schema; keep the text fields short.")
    if result.finish_reason == "length" or not result.text.strip():
        return [{"role": "user", "content": note}]
    return [{"role": "assistant", "content": result.text[:4000]}, {"role": "user", "content": note}]


def _schema_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)[:64] or "reply"


def ask_structured(client: ChatClient, request: ChatRequest, model_cls: type[T],
                   instructions: str | None = None) -> tuple[T, str]:
    """One-off convenience: the validated reply and the format used (nothing is remembered between calls)."""
    reply = StructuredAsker(client).ask(request, model_cls, instructions)
    return reply.value, reply.format
