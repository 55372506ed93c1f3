"""Build everything a shell (CLI or TUI) needs from the settings, in one place."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from mockmle.settings import Settings

if TYPE_CHECKING:  # each is imported where first used: the app reaches Home without the judge or the engine
    from mockmle.app.model_answer import ModelAnswers
    from mockmle.audio.recorder import Recorder
    from mockmle.audio.speaker import Speaker
    from mockmle.audio.transcribe import Transcriber
    from mockmle.core.bank import Bank
    from mockmle.core.grading.models import Grader
    from mockmle.core.grading.offline import OfflineGrader
    from mockmle.core.interview import Interview
    from mockmle.core.phrasebook import Phrasebook
    from mockmle.core.tokens import TokenCounter
    from mockmle.llm.client import ChatClient
    from mockmle.llm.interviewer import LLMInterviewer
    from mockmle.semantic.meaning import SemanticMeaning
    from mockmle.store.calls import CallLog
    from mockmle.store.sessions import SessionStore


@dataclass
class Services:
    settings: Settings
    # Where each model call's record goes. The CLI stores it at once; the TUI swaps in a function that
    # hands it to its main thread, since SQLite stays on one thread.
    on_call: Callable[[Any], None] | None = field(default=None, repr=False)

    @cached_property
    def bank(self) -> Bank:
        from mockmle.core.bank_cache import load_bank_cached

        return load_bank_cached(self.settings.bank_sources(), self.settings.cache_dir / "bank")

    @cached_property
    def phrasebook(self) -> Phrasebook:
        from mockmle.core.phrasebook import Phrasebook
        from mockmle.resources import data_dir

        return Phrasebook.load(data_dir("prompts") / "offline_interviewer.toml")

    @cached_property
    def interview(self) -> Interview:
        from mockmle.core.interview import Interview

        return Interview(self.bank, self.phrasebook)

    @cached_property
    def store(self) -> SessionStore:  # imported lazily so `bank` commands never touch sqlite
        from mockmle.store import open_db
        from mockmle.store.sessions import SessionStore

        return SessionStore(open_db(self.settings.db_path))

    @cached_property
    def calls(self) -> CallLog:
        from mockmle.store.calls import CallLog

        return CallLog(self.store.db)

    @cached_property
    def counter(self) -> TokenCounter:
        from mockmle.core.tokens import TokenCounter
        from mockmle.files import private_dir
        from mockmle.resources import data_dir

        return TokenCounter(private_dir(self.settings.cache_dir) / "tiktoken", data_dir("tokenizers"))

    def delete_session(self, session_id: str) -> None:
        """Its rows, then its recordings (the database first: a session without its audio is still whole)."""
        import shutil

        session_id = self.store.resolve(session_id)
        self.store.delete(session_id)
        shutil.rmtree(self.settings.session_recordings(session_id), ignore_errors=True)

    def record_call(self, record: Any) -> None:
        (self.on_call or self.calls.record)(record)

    def price(self, model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
        from mockmle.core.tokens import cost

        return cost(model, prompt_tokens, completion_tokens, self.settings.llm.prices)

    @cached_property
    def llm(self) -> ChatClient | None:  # the OpenAI SDK is imported only when a model is configured
        if not self.settings.llm.configured:
            return None
        from mockmle.llm.client import ChatClient

        return ChatClient(self.settings.llm, self.counter, on_call=self.record_call)

    def judge_summary(self) -> tuple[str, str]:
        """Which judge grades, in one line, and how to change it."""
        llm = self.settings.llm
        if self.settings.judge == "offline":
            how = ("Set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server (Ollama, vLLM, llama.cpp, LM Studio), "
                   "to grade with a model; `mockmle doctor` checks the setup.")
            if llm.configured:
                how = "A model is configured; start with --judge llm to grade with it."
            matched = "by meaning and by words" if self.settings.meaning else "by words"
            return (f"Offline judge: areas and key points from the published scorecards, matched {matched}, and rule "
                    "checks; no network.", how)
        model = llm.judge_model or ("the server's first model" if llm.base_url else "gpt-4o-mini")
        return (f"LLM judge: {model} at {llm.endpoint}, with the rule checks beside it; offline if it fails.",
                "Start with --judge offline to grade without a model; `mockmle doctor` checks the setup.")

    @cached_property
    def meaning(self) -> SemanticMeaning | None:  # numpy and onnxruntime load on first use, not here
        if not self.settings.meaning:
            return None
        from mockmle.semantic.meaning import meaning_for

        return meaning_for(self.settings)

    def warm_meaning(self, stop: threading.Event | None = None) -> str | None:
        """Load the meaning model and embed every area and key point of the bank (read from the data home's cache
        after the first time), so the first answer is graded at full speed. Meant for a background thread at
        start-up, stopped through `stop` before the process exits; returns why the model cannot be used, or None."""
        meaning = self.meaning
        if meaning is None:
            return None
        from mockmle.core.grading.meaning import MeaningUnavailable

        try:
            meaning.prepare("rubric", [t for q in self.bank.questions.values() for t in q.meaning_texts()],
                            stop=stop)
        except MeaningUnavailable as exc:
            return exc.line
        return None

    @cached_property
    def offline_grader(self) -> OfflineGrader:
        from mockmle.core.grading.offline import OfflineGrader

        return OfflineGrader(self.bank, self.meaning)

    @cached_property
    def llm_grader(self) -> Grader | None:
        if self.llm is None:
            return None
        from mockmle.llm.judge import LLMGrader

        return LLMGrader(self.llm, self.bank, self.offline_grader)

    @property
    def grader(self) -> Grader:
        """The judge chosen in the settings."""
        return self.grader_for(self.settings.judge)

    def grader_for(self, judge: str) -> Grader:
        """'offline', or 'llm'/'llm:<model>' (a session's stored judge); offline when no model is configured."""
        if judge.startswith("llm") and self.llm_grader is not None:
            return self.llm_grader
        return self.offline_grader

    @cached_property
    def model_answers(self) -> ModelAnswers:  # a model's answers are kept here for the session
        from mockmle.app.model_answer import ModelAnswers

        return ModelAnswers(self)

    # -- voice: each piece imported only when first used

    def recorder(self) -> Recorder:  # sounddevice is imported when recording starts
        from mockmle.audio.recorder import Recorder

        return Recorder()

    @cached_property
    def transcriber(self) -> Transcriber:
        from mockmle.audio.transcribe import transcriber_for

        return transcriber_for(self.settings)

    @cached_property
    def speaker(self) -> Speaker | None:  # None unless the settings ask for questions read aloud
        if self.settings.voice.speak == "off":
            return None
        from mockmle.audio.speaker import speaker_for

        return speaker_for(self.settings)

    @cached_property
    def interviewer(self) -> LLMInterviewer | None:  # None: the bank's own follow-ups
        if self.settings.interviewer == "llm" and self.llm is not None:
            from mockmle.llm.interviewer import LLMInterviewer

            return LLMInterviewer(self.llm)
        return None


class BackgroundWarmUp:
    """Runs `Services.warm_meaning` on a daemon thread once started, and stops and joins it on `stop()`: onnxruntime
    aborts the process if a thread is still inside it when the interpreter exits."""

    def __init__(self, services: Services):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=services.warm_meaning, args=(self._stop,), name="warm-meaning",
                                        daemon=True)

    def start(self) -> None:
        if not self._thread.is_alive() and not self._stop.is_set():
            self._thread.start()

    def stop(self, timeout: float = 3) -> bool:
        """Stop and join the thread; False if it is still inside the model after `timeout` seconds (loading it
        cannot be interrupted), when the caller must leave without the interpreter's clean-up: see `app`."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

