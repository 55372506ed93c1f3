"""What a run uses: where the data lives, which question packs load, which judge and interviewer, the model
and voice settings. `resolve_settings` reads the data home's config.toml once, then the environment, then flags.

  config_file.py   config.toml's commented example, and reading it
  config_schema.py its schema (pydantic, loaded only when there is a file or an override to check)
  model_config.py  LLMConfig and VoiceConfig, resolved from the file and the environment
  urls.py          a server address with its credentials hidden, for showing and storing
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mockmle.resources import checkout_root, data_dir
from mockmle.settings.config_file import CONFIG_NAME, read_config_file
from mockmle.settings.model_config import (
    DEFAULT_OPENAI_MODEL,
    NO_KEY,
    LLMConfig,
    VoiceConfig,
    llm_settings,
    voice_settings,
)

__all__ = ["DEFAULT_OPENAI_MODEL", "NO_KEY", "LLMConfig", "Settings", "VoiceConfig", "default_home",
           "resolve_settings"]


def default_home() -> Path:
    """`sessions/` in a source checkout; the user's data folder for an installed copy."""
    root = checkout_root()
    if root is not None:
        return root / "sessions"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "mockmle"


@dataclass(frozen=True)
class Settings:
    home: Path
    bank_dirs: tuple[Path, ...] = field(default_factory=tuple)
    judge: str = "offline"
    interviewer: str = "offline"
    llm: LLMConfig = field(default_factory=LLMConfig)
    voice: VoiceConfig = field(default_factory=VoiceConfig)
    meaning: bool = True  # the offline judge matches meaning with its embedding model; MOCKMLE_MEANING=off: words only

    @property
    def db_path(self) -> Path:
        return self.home / "mockmle.db"

    @property
    def transcripts_dir(self) -> Path:
        return self.home / "transcripts"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def cards_dir(self) -> Path:
        return self.home / "cards"

    @property
    def recordings_dir(self) -> Path:
        return self.home / "recordings"

    def session_recordings(self, session_id: str) -> Path:
        return self.recordings_dir / session_id

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def config_path(self) -> Path:
        return self.home / CONFIG_NAME

    @property
    def builtin_bank(self) -> Path:
        """The question pack that ships with mockmle (the published scorecards)."""
        return data_dir("rubrics")

    def bank_sources(self) -> tuple[Path, ...]:
        return (self.builtin_bank, *self.bank_dirs)


def resolve_settings(home: str | None = None, bank_dir: str | None = None, judge: str | None = None,
                     model: str | None = None, interviewer: str | None = None) -> Settings:
    """Flags win over environment variables, which win over the data home's config.toml, then defaults."""
    home_path = Path(home or os.environ.get("MOCKMLE_HOME") or default_home()).expanduser()
    bank = bank_dir or os.environ.get("MOCKMLE_BANK_DIR")
    dirs = tuple(Path(p).expanduser() for p in bank.split(os.pathsep) if p) if bank else ()
    file = read_config_file(home_path / CONFIG_NAME)
    llm, judge, interviewer = llm_settings(file, model=model, judge=judge, interviewer=interviewer)
    meaning = os.environ.get("MOCKMLE_MEANING", "on").strip().lower() not in ("off", "0", "false", "no")
    return Settings(home=home_path, bank_dirs=dirs, judge=judge, interviewer=interviewer, llm=llm,
                    voice=voice_settings(file, llm), meaning=meaning)
