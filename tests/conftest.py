from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mockmle.app.services import Services
from mockmle.core.bank import load_bank
from mockmle.resources import data_dir
from mockmle.settings import Settings

REPO = Path(__file__).resolve().parents[1]
MODEL_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "MOCKMLE_MODEL", "MOCKMLE_JUDGE_MODEL", "MOCKMLE_INTERVIEWER_MODEL",
             "MOCKMLE_JUDGE", "MOCKMLE_TEMPERATURE", "MOCKMLE_TIMEOUT", "MOCKMLE_DEADLINE", "MOCKMLE_JUDGE_MAX_TOKENS")


@pytest.fixture(autouse=True)
def no_model_from_the_environment(monkeypatch):
    """Tests never pick up a developer's key or server: each one configures a model explicitly if it wants one."""
    for name in MODEL_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def bank():
    return load_bank(data_dir("rubrics"))


@pytest.fixture(scope="session")
def strong_dev_answers():
    """The calibration set's band-3/4 answers to development-split questions (never the held-out test part)."""
    from mockmle.evaluation.datasets import held_out_questions, load_calibration

    rows = load_calibration(Path(__file__).parent / "data" / "calibration.jsonl")
    held_out = held_out_questions(r.question_id for r in rows)
    strong = [r for r in rows if r.question_id not in held_out and not r.adversarial and r.band >= 3]
    assert len(strong) >= 15
    return strong


def grade_turns_offline(bank, state) -> dict:
    """Every turn of `state` graded by the offline judge, by position."""
    from mockmle.core.grading.models import GradeRequest
    from mockmle.core.grading.offline import OfflineGrader

    grader = OfflineGrader(bank)
    return {t.position: grader.grade(GradeRequest(question_text=bank.question(t.question_id).prompt,
                                                  question=bank.question(t.question_id), answer=t.answer_text()))
            for t in state.turns}


def play_session(services, question_ids: list[str], answers: list[str | None], kind: str = "interview"):
    """A finished session played through the runner as the app plays one (no follow-ups); None skips.

    Returns the runner (its `session_id` names the session)."""
    from mockmle.app.runner import InterviewRunner
    from mockmle.core.interview import Answer, Skip, build_plan

    plan = build_plan(services.bank, question_ids=question_ids, max_follow_ups=0).model_copy(update={"kind": kind})
    runner = InterviewRunner.create(services, plan)
    runner.handle_grading(runner.start())
    for answer in answers:
        runner.handle_grading(runner.send(Skip() if answer is None else Answer(text=answer, seconds=60)))
    runner.report()
    return runner


@pytest.fixture
def services(tmp_path):
    return Services(Settings(home=tmp_path / "home"))


@pytest.fixture
def cli(tmp_path):
    """Run the real `python -m mockmle` with a temporary data home."""
    home = tmp_path / "home"

    def run(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKMLE_", "OPENAI_"))}
        full_env.update({"MOCKMLE_HOME": str(home), **(env or {})})
        return subprocess.run([sys.executable, "-m", "mockmle", *args], capture_output=True, text=True,
                              input=input, env=full_env, cwd=tmp_path, timeout=timeout)

    run.home = home
    return run


def skip_unless_installed(helper) -> None:
    """Skip when `helper.missing()` names a missing package, or fail when its REQUIRE_ENV says it must be there."""
    reason = helper.missing()
    if reason:
        if helper.required():
            pytest.fail(f"{helper.REQUIRE_ENV}=1 but {reason}", pytrace=False)
        pytest.skip(reason)


# -- A real model server for the integration tests (tests/llama_server.py): llama-cpp-python serving
# Gemma 3 270M on 127.0.0.1, started once per session. Skips when the packages are missing, unless
# MOCKMLE_REQUIRE_LLAMA=1 (CI), which turns a missing package into a failure.

@pytest.fixture(scope="session")
def llama_server(request, tmp_path_factory):
    import llama_server as helper

    skip_unless_installed(helper)
    cache = getattr(request.config, "cache", None)  # keeps the joined GGUF between runs; absent with -p no:cacheprovider
    model_dir = cache.mkdir("llama-model") if cache is not None else tmp_path_factory.mktemp("llama-model")
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    with helper.serve(helper.model_file(model_dir), log_path) as server:
        request.config.stash[_LLAMA_STARTED] = server
        yield server


_LLAMA_STARTED = pytest.StashKey()


def pytest_terminal_summary(terminalreporter, config):
    server = config.stash.get(_LLAMA_STARTED, None)
    if server is not None:
        terminalreporter.write_line(f"llama_cpp.server ({server.model}) answered {server.startup_seconds:.1f} s "
                                    f"after starting; log: {server.log_path}")


# -- A real Whisper model for the transcription tests (tests/whisper_model.py): faster-whisper-base joined
# from two dev-extra packages into pytest's cache once. Skips when they are missing, unless
# MOCKMLE_REQUIRE_WHISPER=1, which turns a missing package into a failure.

@pytest.fixture(scope="session")
def whisper_model_dir(request, tmp_path_factory):
    import whisper_model as helper

    skip_unless_installed(helper)
    cache = getattr(request.config, "cache", None)  # keeps the joined model between runs
    parent = cache.mkdir("whisper") if cache is not None else tmp_path_factory.mktemp("whisper")
    return helper.build(parent / "whisper-base")  # the folder's name is the model name transcripts record


# -- A fake microphone (tests/fake_microphone.py): fixtures `sd`, `clip`, `feed` and `microphone`.
from fake_microphone import clip, feed, microphone, sd  # noqa: E402,F401
