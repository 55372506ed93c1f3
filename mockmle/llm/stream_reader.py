"""Reading a streamed chat reply against a wall-clock deadline, and closing it when the call is abandoned.

Why stream at all: a server generating a non-streamed reply goes on generating after our client
has stopped waiting, so the retry queues behind the reply nobody will read (llama.cpp's server
and llama-cpp-python serve one request at a time). A streamed reply whose connection is closed
is noticed by those servers at the next token, and they stop.

The SDK's read timeout only bounds the wait for the next bytes, so a model that keeps sending,
however slowly, never meets it. The deadline is enforced by a watchdog thread: when it passes,
it shuts the socket down, which wakes the read blocked on it and tells the server at once
(closing the socket from another thread would do neither until that read returned). The reading
thread then closes the response. Any other way out (an exception from `on_delta`, the caller
interrupted) closes it too. (The client's `reply_guard` bounds every read by the deadline as well,
which also covers a server that drips bytes that never make an event.)

The text is counted as it arrives, and the reply is closed as soon as it passes `max_chars`, so a
runaway or hostile server costs neither memory nor the time to count its tokens.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


class DeadlinePassed(Exception):
    """The reply was still arriving when the call's deadline passed; the stream has been closed."""


class ReplyTooLong(Exception):
    """The reply's text passed `StreamedReply.max_chars`; the stream has been closed."""


class NoReply(Exception):
    """The stream ended without a single chat chunk (e.g. a body that is not server-sent events)."""


@dataclass
class StreamedReply:
    pieces: list[str] = field(default_factory=list)  # filled as the reply arrives, so a failure can count them
    finish_reason: str | None = None
    refusal: str | None = None
    prompt_tokens: int | None = None  # the server's usage, when it sends it (stream_options.include_usage)
    completion_tokens: int | None = None
    max_chars: int | None = None
    chars: int = 0
    chunks: int = 0

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def add(self, piece: str) -> None:
        """Keep `piece`, or raise ReplyTooLong (keeping only what fits) when it takes the text past `max_chars`."""
        self.chars += len(piece)
        if self.max_chars is not None and self.chars > self.max_chars:
            self.pieces.append(piece[:max(0, len(piece) - (self.chars - self.max_chars))])
            raise ReplyTooLong()
        self.pieces.append(piece)


def read_stream(stream, deadline: float, on_delta: Callable[[str], None] | None, reply: StreamedReply) -> StreamedReply:
    """Read the SDK's `Stream` of chat chunks into `reply` until it ends or `deadline` (time.monotonic()) passes."""
    watchdog = _Watchdog(stream, deadline)
    try:
        for chunk in stream:
            if watchdog.fired.is_set() or time.monotonic() >= deadline:
                raise DeadlinePassed()
            _take(chunk, reply, on_delta)
    except (DeadlinePassed, ReplyTooLong):
        raise
    except Exception:
        if watchdog.fired.is_set():
            raise DeadlinePassed() from None  # the read failed because the watchdog shut the socket
        raise
    finally:
        watchdog.cancel()
        with contextlib.suppress(Exception):
            stream.close()
    if watchdog.fired.is_set():
        raise DeadlinePassed()  # the shut socket can end the stream quietly, as if the reply were complete
    if not reply.chunks:
        raise NoReply()
    return reply


def _take(chunk, reply: StreamedReply, on_delta: Callable[[str], None] | None) -> None:
    reply.chunks += 1
    usage = getattr(chunk, "usage", None)
    if usage is not None:
        reply.prompt_tokens = usage.prompt_tokens
        reply.completion_tokens = usage.completion_tokens
    if not chunk.choices:
        return
    choice = chunk.choices[0]
    delta = choice.delta
    if delta is not None and delta.content:
        reply.add(delta.content)
        if on_delta is not None:
            on_delta(delta.content)
    if delta is not None and getattr(delta, "refusal", None):
        reply.refusal = (reply.refusal or "") + delta.refusal
        if reply.max_chars is not None and len(reply.refusal) > reply.max_chars:
            raise ReplyTooLong()
    reply.finish_reason = choice.finish_reason or reply.finish_reason


class _Watchdog:
    def __init__(self, stream, deadline: float):
        self.stream = stream
        self.fired = threading.Event()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        self.fired.set()
        sock = _socket_of(self.stream)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        else:  # no socket to reach (another transport): closing the response ends the stream once the read returns
            with contextlib.suppress(Exception):
                self.stream.close()


def _socket_of(stream) -> socket.socket | None:
    response = getattr(stream, "response", None)
    network = (getattr(response, "extensions", None) or {}).get("network_stream")
    try:
        sock = network.get_extra_info("socket") if network is not None else None
    except Exception:  # noqa: BLE001 - a transport without it: fall back to closing the response
        return None
    return sock if isinstance(sock, socket.socket) else None
