"""A scripted OpenAI-compatible HTTP server on 127.0.0.1, for HTTP-level tests of faults and formats.

Each request to /v1/chat/completions takes the next scripted `Reply` (or asks `handler` when the
script is empty). A reply can be a normal completion, a stream of chunks (with a pause between
them, or endless, like a slow model that will not stop), an HTTP error with headers, a body cut
short, or a stall longer than the client's timeout. Faults a broken server sends: a raw 200 body that
is not JSON, a stream whose raw SSE lines are given (`sse`, e.g. a broken line), a reply that drips
the same bytes forever (`drip`: empty SSE events, keep-alive comments, one byte at a time), with
the head itself dripped when `drip_head` is set, or a reply of any size. Every request body is kept
in `requests` so tests can assert what the client sent.

Streams behave like llama.cpp's server: the usage chunk is sent when the request asks for it
with stream_options.include_usage (or the request is rejected with a 400 when
`rejects_stream_options` is set), and a stream stops as soon as the client has closed the
connection, which is counted in `disconnects` and signalled by `disconnected`.
"""

from __future__ import annotations

import itertools
import json
import select
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    content: str | None = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str | bytes | None = None  # raw body instead of a completion (errors, cut-short JSON)
    delay: float = 0.0
    finish_reason: str = "stop"
    refusal: str | None = None
    chunks: Iterable[str] | None = None  # streamed pieces; defaults to `content` split into words
    interval: float = 0.0  # seconds between streamed pieces
    endless: bool = False  # stream `chunks` (or the words) over and over until the client goes away
    stall: float = 0.0  # seconds of silence after the last piece, before the reply ends
    content_type: str = "application/json"  # for a raw `body`
    sse: list[str] | None = None  # raw SSE lines sent as they are (each followed by a blank line), then [DONE]
    drip: bytes = b""  # after the head, these bytes again and again every `interval` s until the client goes away
    drip_for: float = 60.0  # ... or until this many seconds have passed, so a test of a client that never stops ends
    drip_head: bool = False  # drip the status line and headers too, one byte every `interval` s

    @classmethod
    def slow_stream(cls, piece: str = "token ", interval: float = 0.05) -> Reply:
        """A model that keeps generating, slowly, and never stops on its own."""
        return cls(chunks=[piece], interval=interval, endless=True)

    @classmethod
    def raw(cls, body: str | bytes, content_type: str = "application/json") -> Reply:
        """An HTTP 200 whose body is sent as it is (e.g. not JSON at all)."""
        return cls(body=body, content_type=content_type)

    @classmethod
    def dripping(cls, piece: bytes, interval: float = 0.1, head: bool = False, drip_for: float = 60.0) -> Reply:
        """A server that never finishes: `piece` every `interval` s while the client listens (at most `drip_for` s)."""
        return cls(drip=piece, interval=interval, drip_head=head, drip_for=drip_for)

    @classmethod
    def error(cls, status: int, message: str = "error", **headers: str) -> Reply:
        return cls(status=status, body=json.dumps({"error": {"message": message, "type": "server_error"}}),
                   headers=dict(headers))


class OpenAIStub:
    def __init__(self, models: tuple[str, ...] = ("stub-model",)):
        self.script: deque[Reply] = deque()
        self.requests: list[dict] = []
        self.models = models
        self.handler: Callable[[dict], Reply] = lambda body: Reply(content="ok")
        self.rejects_stream_options = False
        self.models_reply: Reply | None = None  # a raw or dripping reply to GET /models instead of the list
        self.disconnects = 0
        self.disconnected = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> OpenAIStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def queue(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def chat_requests(self) -> list[dict]:
        return [r for r in self.requests if "messages" in r]

    def _next(self, body: dict) -> Reply:
        return self.script.popleft() if self.script else self.handler(body)

    def _handler_class(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _send(self, status: int, body: str | bytes, headers: dict[str, str] | None = None,
                      content_type: str = "application/json") -> None:
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                reply = stub.models_reply
                if reply is not None:
                    try:
                        if reply.drip:
                            self._drip({}, reply)
                        else:
                            self._send(reply.status, reply.body or "", reply.headers, reply.content_type)
                    except (BrokenPipeError, ConnectionResetError):
                        stub.disconnects += 1
                        stub.disconnected.set()
                elif self.path.rstrip("/").endswith("/models"):
                    data = [{"id": m, "object": "model", "created": 0, "owned_by": "stub"} for m in stub.models]
                    self._send(200, json.dumps({"object": "list", "data": data}))
                else:
                    self._send(404, json.dumps({"error": {"message": "not found"}}))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append(body)
                if stub.rejects_stream_options and "stream_options" in body:
                    self._send(400, json.dumps({"error": {"message": "Unrecognized request argument supplied: stream_options"}}))
                    return
                reply = stub._next(body)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    if reply.drip:
                        self._drip(body, reply)
                    elif reply.sse is not None:
                        self._raw_sse(reply)
                    elif reply.body is not None:
                        self._send(reply.status, reply.body, reply.headers, reply.content_type)
                    elif body.get("stream"):
                        self._stream(body, reply)
                    else:
                        self._send(reply.status, json.dumps(_completion(body, reply)), reply.headers)
                except (BrokenPipeError, ConnectionResetError):
                    stub.disconnects += 1
                    stub.disconnected.set()

            def _stream(self, body: dict, reply: Reply) -> None:
                self.send_response(reply.status)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = reply.chunks if reply.chunks is not None else _words(reply.content) if reply.content else []
                sent = []
                for piece in itertools.cycle(list(pieces)) if reply.endless else pieces:
                    if not self._still_there(reply.interval if sent else 0.0):
                        stub.disconnects += 1
                        stub.disconnected.set()
                        return
                    sent.append(piece)
                    self._event({"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}, body)
                if reply.refusal:
                    self._event({"choices": [{"index": 0, "delta": {"refusal": reply.refusal}, "finish_reason": None}]},
                                body)
                if reply.stall and not self._still_there(reply.stall):
                    stub.disconnects += 1
                    stub.disconnected.set()
                    return
                self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": reply.finish_reason}]}, body)
                if (body.get("stream_options") or {}).get("include_usage"):
                    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
                    completion = len("".join(sent).split())
                    self._event({"choices": [], "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                                                          "total_tokens": prompt + completion}}, body)
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _drip(self, body: dict, reply: Reply) -> None:
                kind = "text/event-stream" if body.get("stream") else "application/json"
                head = f"HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\n\r\n".encode()
                if reply.drip_head:
                    for i in range(len(head)):
                        if not self._still_there(reply.interval if i else 0.0):
                            raise BrokenPipeError
                        self.wfile.write(head[i:i + 1])
                        self.wfile.flush()
                else:
                    self.wfile.write(head)
                    self.wfile.flush()
                self.close_connection = True
                until = time.monotonic() + reply.drip_for
                while time.monotonic() < until:
                    if not self._still_there(reply.interval):
                        raise BrokenPipeError  # the client went away: counted as a disconnect
                    self.wfile.write(reply.drip)
                    self.wfile.flush()

            def _raw_sse(self, reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for line in [*(reply.sse or []), "data: [DONE]"]:
                    self.wfile.write(f"{line}\n\n".encode())
                self.wfile.flush()
                self.close_connection = True

            def _event(self, fields: dict, body: dict) -> None:
                chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": body.get("model"), **fields}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()

            def _still_there(self, seconds: float) -> bool:
                """Wait `seconds`, watching the connection as a server does between tokens; False once it is closed."""
                until = time.monotonic() + seconds
                while True:
                    readable, _, _ = select.select([self.connection], [], [], max(0.0, min(0.02, until - time.monotonic())))
                    if readable:
                        try:
                            if not self.connection.recv(1, socket.MSG_PEEK):
                                return False
                        except OSError:
                            return False
                        time.sleep(0.02)  # bytes from a live client: not a close, and not worth spinning on
                    if time.monotonic() >= until:
                        return True

        return Handler


def _words(text: str) -> list[str]:
    words = text.split(" ")
    return [w if i == len(words) - 1 else w + " " for i, w in enumerate(words)]


def _completion(body: dict, reply: Reply) -> dict:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
    completion = len((reply.content or "").split())
    return {
        "id": "cmpl-stub", "object": "chat.completion", "created": 0, "model": body.get("model"),
        "choices": [{"index": 0, "finish_reason": reply.finish_reason,
                     "message": {"role": "assistant", "content": reply.content, "refusal": reply.refusal}}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
    }
