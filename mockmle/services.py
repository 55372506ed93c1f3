"""Build everything a shell (CLI or TUI) needs from the settings, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from mockmle.core.bank import Bank, load_bank
from mockmle.core.grading.models import Grader
from mockmle.core.grading.offline import OfflineGrader
from mockmle.core.interview import Interview
from mockmle.core.phrasebook import Phrasebook
from mockmle.errors import UsageError
from mockmle.resources import data_dir
from mockmle.settings import Settings


@dataclass
class Services:
    settings: Settings

    @cached_property
    def bank(self) -> Bank:
        return load_bank(*self.settings.bank_sources())

    @cached_property
    def phrasebook(self) -> Phrasebook:
        return Phrasebook.load(data_dir("prompts") / "offline_interviewer.toml")

    @cached_property
    def interview(self) -> Interview:
        return Interview(self.bank, self.phrasebook)

    @cached_property
    def store(self):  # -> SessionStore; imported lazily so `bank` commands never touch sqlite
        from mockmle.store import open_db
        from mockmle.store.sessions import SessionStore

        return SessionStore(open_db(self.settings.db_path))

    def judge_summary(self) -> tuple[str, str]:
        """Which judge grades, in one line, and how to change it."""
        if self.settings.judge == "offline":
            return ("Offline judge: areas, key points and rule checks from the published scorecards; no network.",
                    "An LLM judge (OpenAI or a local OpenAI-compatible server) is not in this version yet.")
        return (f"Judge: {self.settings.judge}", "Start mockmle with --judge offline to grade without a model.")

    @cached_property
    def grader(self) -> Grader:
        if self.settings.judge != "offline":
            raise UsageError(f"judge {self.settings.judge!r} is not available yet; use --judge offline")
        return OfflineGrader(self.bank)
