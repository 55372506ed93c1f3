"""What went wrong with a model call, whether to try again, and how to say it in one calm line."""

from __future__ import annotations

import random
from dataclasses import dataclass

from mockmle.errors import ModelError

MAX_RETRY_AFTER = 20.0  # a server asking us to wait longer than this gets the offline fallback instead


class LLMError(ModelError):
    """A model call that failed for good (after any retries). `line` is safe to show: no key, no traceback."""

    def __init__(self, kind: str, line: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(line)
        self.kind = kind
        self.status = status
        self.retry_after = retry_after

    @property
    def line(self) -> str:
        return super().line

    @line.setter
    def line(self, value: str) -> None:
        """The client redacts a credential out of the message after classifying it: the message itself changes."""
        self.args = (value,)

    @property
    def retryable(self) -> bool:
        return self.kind in ("timeout", "connection", "rate_limit", "server")


def unreadable(endpoint: str, what: str = "a reply that could not be read") -> LLMError:
    return LLMError("unreadable", f"the model at {endpoint} sent {what}")


def _why_unreadable(exc: Exception) -> str:
    import json

    if isinstance(exc, json.JSONDecodeError):
        return "not valid JSON"
    if isinstance(exc, UnicodeDecodeError):
        return "not valid UTF-8"
    if isinstance(exc, (ValueError, TypeError, AttributeError, LookupError)):
        return "not shaped like an OpenAI API reply"
    return type(exc).__name__


def classify(exc: Exception, endpoint: str) -> LLMError:
    """Map an OpenAI SDK exception to an LLMError. Anything else raised while a reply was read (a body that is
    not JSON, a broken stream event, a reply of the wrong shape) is an unreadable reply: never a traceback."""
    import openai

    if isinstance(exc, LLMError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return LLMError("timeout", f"the model at {endpoint} did not answer in time")
    if isinstance(exc, openai.APIConnectionError):
        return LLMError("connection", f"could not reach the model at {endpoint}")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status == 429:
            return LLMError("rate_limit", f"the model at {endpoint} is rate limiting requests (HTTP 429)", status,
                            retry_after=_retry_after(exc.response.headers))
        if status in (401, 403):
            return LLMError("auth", f"the model at {endpoint} refused the API key (HTTP {status}); check OPENAI_API_KEY", status)
        if status == 404:
            return LLMError("not_found", f"the model at {endpoint} was not found (HTTP 404); check the model name", status)
        if status >= 500:
            return LLMError("server", f"the model server at {endpoint} had an error (HTTP {status})", status)
        return LLMError("bad_request", f"the model at {endpoint} rejected the request (HTTP {status})", status)
    if isinstance(exc, openai.OpenAIError):
        return LLMError("error", f"the model call failed ({type(exc).__name__})")
    return unreadable(endpoint, f"a reply that could not be read ({_why_unreadable(exc)})")


def _retry_after(headers) -> float | None:
    for name in ("retry-after-ms", "retry-after"):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value)
        except ValueError:
            continue
        return seconds / 1000 if name.endswith("ms") else seconds
    return None


@dataclass(frozen=True)
class Backoff:
    retries: int = 2
    base: float = 0.5
    cap: float = 8.0

    def delay(self, attempt: int, error: LLMError) -> float | None:
        """Seconds to wait before retry number `attempt` (1-based), or None to stop trying."""
        if not error.retryable or attempt > self.retries:
            return None
        if error.retry_after is not None:
            return error.retry_after if error.retry_after <= MAX_RETRY_AFTER else None
        return min(self.cap, self.base * 2 ** (attempt - 1)) * (0.75 + random.random() / 2)
