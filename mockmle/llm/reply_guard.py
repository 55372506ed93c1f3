"""A wall-clock deadline and a size cap on every byte a model call reads, at the socket.

The SDK's timeout bounds each read, not the reply: a server that sends one byte every few
seconds, or empty stream events, or keep-alive comments, meets no read timeout and can hold a call
for ever, whether it streams or not and even before the response head is complete. A reply can
also be any size: a 30 MB one took 1.7 GB of memory. So the network streams of the SDK's HTTP
client are wrapped: while a call is guarded (`ReplyGuard.call`, in the calling thread), each read
waits at most until the call's deadline and the bytes are counted; past the deadline a read fails
as a timeout, over the cap as a read error, and the call's `GuardedCall` says which it was.
The failed read closes the connection, which tells the server to stop.

Calls from other threads, or outside `call`, are not guarded (the audio endpoints use the same
client builder).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MAX_REPLY_BYTES = 2_000_000  # a judge's reply, streamed with one JSON event a token, is well under 1 MB


@dataclass
class GuardedCall:
    deadline: float  # time.monotonic()
    max_bytes: int = MAX_REPLY_BYTES
    received: int = 0
    too_large: bool = False
    late: bool = False


class ReplyGuard:
    """Which call, if any, the current thread is making; shared by the network streams of one client."""

    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def current(self) -> GuardedCall | None:
        return getattr(self._local, "call", None)

    @contextlib.contextmanager
    def call(self, deadline: float, max_bytes: int = MAX_REPLY_BYTES) -> Iterator[GuardedCall]:
        call = GuardedCall(deadline, max_bytes)
        outer = self.current
        self._local.call = call
        try:
            yield call
        finally:
            self._local.call = outer

    def _bounded(self, timeout: float | None, late: type[Exception]) -> float | None:
        """`timeout` cut to what is left of the current call's time; raises `late` once nothing is left."""
        call = self.current
        if call is None:
            return timeout
        remaining = call.deadline - time.monotonic()
        if remaining <= 0:
            call.late = True
            raise late("the call's deadline has passed")
        return remaining if timeout is None else min(timeout, remaining)

    def _count(self, size: int) -> None:
        call = self.current
        if call is None:
            return
        call.received += size
        if call.received > call.max_bytes:
            call.too_large = True


def install(http_client: Any, guard: ReplyGuard) -> bool:
    """Wrap the network backend of every connection pool of an httpx2 client (its own and its proxies').

    The pools are reached through httpx2's and httpcore2's private attributes; False when they are not
    there (another version), and the call keeps the SDK's per-read timeouts and the stream watchdog only.
    """
    transports = [getattr(http_client, "_transport", None), *getattr(http_client, "_mounts", {}).values()]
    installed = False
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is None:
            continue
        if not isinstance(backend, _GuardedBackend):
            pool._network_backend = _GuardedBackend(backend, guard)  # type: ignore[union-attr]  # a private httpcore attribute, found above by duck typing
        installed = True
    return installed


def _errors():
    import httpcore2

    return httpcore2


class _GuardedBackend:
    def __init__(self, inner: Any, guard: ReplyGuard):
        self._inner = inner
        self._guard = guard

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, **kwargs: Any) -> _GuardedStream:
        timeout = self._guard._bounded(timeout, _errors().ConnectTimeout)
        return _GuardedStream(self._inner.connect_tcp(host, port, timeout, **kwargs), self._guard)

    def connect_unix_socket(self, path: str, timeout: float | None = None, **kwargs: Any) -> _GuardedStream:
        timeout = self._guard._bounded(timeout, _errors().ConnectTimeout)
        return _GuardedStream(self._inner.connect_unix_socket(path, timeout, **kwargs), self._guard)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _GuardedStream:
    def __init__(self, inner: Any, guard: ReplyGuard):
        self._inner = inner
        self._guard = guard

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        bounded = self._guard._bounded(timeout, _errors().ReadTimeout)
        try:
            data = self._inner.read(max_bytes, bounded)
        except _errors().ReadTimeout:
            call = self._guard.current
            if call is not None and time.monotonic() >= call.deadline:
                call.late = True
            raise
        self._guard._count(len(data))
        call = self._guard.current
        if call is not None and call.too_large:
            raise _errors().ReadError(f"the reply is larger than {call.max_bytes} bytes")
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._guard._bounded(timeout, _errors().WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> _GuardedStream:
        timeout = self._guard._bounded(timeout, _errors().ConnectTimeout)
        return _GuardedStream(self._inner.start_tls(ssl_context, server_hostname, timeout), self._guard)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)
