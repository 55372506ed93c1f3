"""Smoke test of the real `mockmle` executable in a real terminal (tmux), end to end.

Home -> Setup -> first question -> type and send an answer -> it is in the database ->
ctrl+q, confirm -> the process exits 0 and says the session is saved.

Skipped when tmux is missing, unless MOCKMLE_REQUIRE_TMUX=1 (CI sets it), which makes that a failure.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

WIDTH, HEIGHT = 80, 24
TIMEOUT = 15.0  # seconds to wait for any one screen; a slow CI box starts Python slowly, nothing else is slow
ANSWER = "Bias underfits and variance overfits; I tune model complexity with cross-validation."


def mockmle_executable() -> Path:
    found = shutil.which("mockmle")
    path = Path(found) if found else Path(sys.executable).parent / "mockmle"
    if not path.exists():
        pytest.fail(f"the mockmle executable is not installed (looked on PATH and at {path}); run `pip install -e .`")
    return path


class Tmux:
    """One private tmux server (its own socket) holding one 80x24 session."""

    def __init__(self, socket: str, env: dict[str, str]):
        self.socket = socket
        self.env = env
        self.target = "mockmle"
        self.socket_path: str | None = None

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=self.env,
                              timeout=10, check=check)

    def start(self, command: str, cwd: Path, config: Path) -> None:
        # -f: our own config only, so a user's ~/.tmux.conf cannot change sizes or keys;
        # remain-on-exit keeps the pane (its last screen and exit status) after the program ends.
        config.write_text("set -g remain-on-exit on\nset -g history-limit 2000\n")
        subprocess.run(["tmux", "-L", self.socket, "-f", str(config), "new-session", "-d", "-s", self.target,
                        "-x", str(WIDTH), "-y", str(HEIGHT), "-c", str(cwd), command],
                       capture_output=True, text=True, env=self.env, timeout=10, check=True)
        self.socket_path = self.run("display-message", "-p", "#{socket_path}").stdout.strip() or None

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.target, *(["-l"] if literal else []), *keys)

    def exit_status(self) -> str:
        """"dead:status:signal" of the pane's program. tmux fills in the status once it reaps the process; on a busy
        machine it has been seen to leave an exited program a zombie for more than 15 s (the pane dead, no status),
        so a zombie's status is read from /proc instead (its stat's last field is the status as waitpid reports it)."""
        status = self.pane("#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}")
        if status != "1::":
            return status
        try:
            fields = Path(f"/proc/{self.pane('#{pane_pid}')}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            return status
        if fields[0] != "Z" or len(fields) < 50:
            return status
        code = int(fields[-1])
        return f"1:{code >> 8}:" if code & 0x7F == 0 else f"1::{code & 0x7F}"

    def screen(self, history: bool = False) -> str:
        """The visible screen; with `history`, everything scrolled off it too."""
        return self.run("capture-pane", "-p", "-t", self.target, *(["-S", "-"] if history else [])).stdout

    def pane(self, fmt: str) -> str:
        return self.run("display-message", "-p", "-t", self.target, fmt).stdout.strip()

    def wait_for(self, what: str, ready: Callable[[str], bool], timeout: float = TIMEOUT) -> str:
        """Poll the screen until `ready(screen)`; fail showing the last screen if it never is."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if ready(screen):
                return screen
            if self.pane("#{pane_dead}") == "1":
                pytest.fail(f"mockmle exited (status {self.pane('#{pane_dead_status}')}) while waiting for {what}:\n{screen}")
            time.sleep(0.1)
        pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}; the screen was:\n{screen}")

    def wait_for_text(self, text: str, timeout: float = TIMEOUT) -> str:
        return self.wait_for(repr(text), lambda screen: text in screen, timeout)

    def stacks(self) -> str:
        """Every thread's Python stack, from faulthandler (PYTHONFAULTHANDLER=1 is set for the app): SIGABRT makes it
        print them into the pane. For a failure message only: the app is gone afterwards."""
        pid = int(self.pane("#{pane_pid}"))
        try:
            os.kill(pid, signal.SIGABRT)
        except ProcessLookupError:
            return "(the process had exited by then)"
        time.sleep(1.0)
        return "\n".join(self.screen(history=True).splitlines()[-60:])

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, env=self.env, timeout=10)
        if self.socket_path:  # tmux leaves the socket file behind
            Path(self.socket_path).unlink(missing_ok=True)


@pytest.fixture
def tmux():
    if shutil.which("tmux") is None:
        if os.environ.get("MOCKMLE_REQUIRE_TMUX") == "1":
            pytest.fail("MOCKMLE_REQUIRE_TMUX=1 but tmux is not installed: install it (apt-get install tmux) "
                        "or unset MOCKMLE_REQUIRE_TMUX to skip the terminal smoke test")
        pytest.skip("tmux is not installed (set MOCKMLE_REQUIRE_TMUX=1 to make this a failure)")
    # The server inherits this environment: no MOCKMLE_* settings from the caller, and not nested in a tmux we run in.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKMLE_", "TMUX"))}
    env["PYTHONFAULTHANDLER"] = "1"  # so a failure to exit can show where each thread is (Tmux.stacks)
    server = Tmux(f"mockmle-test-{os.getpid()}-{uuid.uuid4().hex[:8]}", env)
    try:
        yield server
    finally:
        server.kill()


def stored_answers(db_path: Path) -> list[str]:
    if not db_path.exists():
        return []
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as conn:
        return [row[0] for row in conn.execute("select answer from exchanges where answer is not null")]


def start_and_answer(tmux: Tmux) -> None:
    """From Home: a new interview with Setup's defaults, then ANSWER typed and sent."""
    tmux.keys("n")
    tmux.wait_for("the Setup screen", lambda s: "Stage" in s and "Follow-ups" in s)
    tmux.keys("C-s")
    tmux.wait_for_text("Question 1 of")
    tmux.keys(ANSWER, literal=True)
    time.sleep(0.3)  # let the editor take in every typed key before ctrl+s
    tmux.keys("C-s")


def test_real_app_answer_is_saved_and_quit_is_clean(tmux, tmp_path):
    home = tmp_path / "home"
    command = shlex.join(["env", f"MOCKMLE_HOME={home}", "TERM=xterm-256color", str(mockmle_executable())])
    tmux.start(command, cwd=tmp_path, config=tmp_path / "tmux.conf")

    tmux.wait_for_text("Start a new interview")
    start_and_answer(tmux)
    screen = tmux.wait_for("the answer in the transcript, then a follow-up or the next question",
                           lambda s: ("Follow-up" in s or "Question 2 of" in s) and "0 words" in s)
    assert "Bias underfits" in screen, screen

    deadline = time.monotonic() + 5
    while ANSWER not in stored_answers(home / "mockmle.db") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert stored_answers(home / "mockmle.db") == [ANSWER]
    with sqlite3.connect(f"file:{home / 'mockmle.db'}?mode=ro", uri=True) as conn:
        (session_id,) = conn.execute("select id from sessions").fetchone()

    tmux.keys("C-q")
    tmux.wait_for_text("Quit mockmle?")
    tmux.keys("y")
    # The pane is dead once the terminal closes; its exit status is known only once tmux has reaped the process.
    deadline = time.monotonic() + TIMEOUT
    while (status := tmux.exit_status()) in ("0::", "1::"):
        assert time.monotonic() < deadline, (f"mockmle did not exit after confirming quit:\n{tmux.screen()}\n"
                                             f"its threads:\n{tmux.stacks()}")
        time.sleep(0.1)
    screen = tmux.screen(history=True)  # the exit message is printed after the app leaves the alternate screen
    assert status == "1:0:", f"mockmle ended with dead:status:signal {status}\n{screen}"
    assert f"Session {session_id} is saved" in screen, screen


def test_quitting_does_not_wait_for_a_slow_model(tmux, tmp_path):
    """The judge is still waiting on the model when the candidate quits: the app leaves at once."""
    from openai_stub import OpenAIStub, Reply

    stub = OpenAIStub(models=("slow-model",)).start()
    stub.handler = lambda body: Reply(content="late", delay=40)  # longer than this test would wait
    try:
        home = tmp_path / "home"
        command = shlex.join(["env", f"MOCKMLE_HOME={home}", f"OPENAI_BASE_URL={stub.base_url}", "MOCKMLE_TIMEOUT=120",
                              "TERM=xterm-256color", str(mockmle_executable())])
        tmux.start(command, cwd=tmp_path, config=tmp_path / "tmux.conf")
        tmux.wait_for_text("LLM judge")
        start_and_answer(tmux)
        tmux.wait_for_text("Follow-up")  # the model is now busy wording it (and grading is queued behind it)
        tmux.keys("C-q")
        tmux.wait_for_text("Quit mockmle?")
        tmux.keys("y")
        started = time.monotonic()
        while tmux.pane("#{pane_dead}") != "1":
            assert time.monotonic() - started < TIMEOUT, f"mockmle waited for the model before exiting:\n{tmux.screen()}"
            time.sleep(0.1)
        assert stored_answers(home / "mockmle.db") == [ANSWER]
    finally:
        stub.stop()
