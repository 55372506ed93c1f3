"""The model and voice settings a run uses, resolved from config.toml, the environment and flags.

The names are the ones users already know from the OpenAI SDK (OPENAI_API_KEY, OPENAI_BASE_URL),
so OpenAI, Ollama, vLLM, llama.cpp's server and LM Studio all work the same way. With neither a
key nor a base URL, everything runs offline. The key is held here and handed to the SDK; it never
appears in a repr, the database, a transcript or an error message (see `LLMConfig.redact`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mockmle.errors import UsageError
from mockmle.settings.urls import HIDDEN, safe_url, url_secrets

if TYPE_CHECKING:
    from mockmle.settings.config_schema import ConfigFile

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
NO_KEY = "not-needed"  # the SDK insists on a key; local servers ignore it
MIN_SECRET = 4  # shorter values are not blanked: they would blank ordinary words
DEADLINE_PER_TIMEOUT = 4  # the default deadline for a whole reply, in timeouts


@dataclass(frozen=True)
class LLMConfig:
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    interviewer_model: str | None = None
    judge_model: str | None = None
    temperature: float = 0.2
    timeout: float = 30.0
    deadline: float | None = None  # None: DEADLINE_PER_TIMEOUT x timeout; see `call_deadline`
    max_retries: int = 2
    judge_samples: int = 1
    judge_max_tokens: int = 1500  # a cap on every reply, so a runaway generation cannot hold a local server
    interviewer_max_tokens: int = 400
    prices: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def configured(self) -> bool:
        return bool(self.api_key or self.base_url)

    @property
    def call_deadline(self) -> float:
        """Wall-clock seconds one call may take in all: the whole (streamed) reply and any retries.

        `timeout` only bounds the wait for the next bytes, so a slow model that keeps sending never
        meets it; the deadline is what stops it, and a streamed call is closed when it passes.
        """
        return self.deadline if self.deadline is not None else DEADLINE_PER_TIMEOUT * self.timeout

    @property
    def endpoint(self) -> str:
        """The server's address as it may be shown or stored: no user, password or query values."""
        return safe_url(self.base_url) if self.base_url else "https://api.openai.com/v1"

    def model_for(self, role: str) -> str | None:
        """The model named for 'judge' or 'interviewer'; None means: ask the server (or OpenAI's default)."""
        return self.judge_model if role == "judge" else self.interviewer_model

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every value that must not be shown: the key, and the credentials inside the base URL."""
        return tuple(s for s in (self.api_key, *url_secrets(self.base_url or "")) if s and len(s) >= MIN_SECRET)

    def redact(self, text: str) -> str:
        if self.api_key and len(self.api_key) >= MIN_SECRET:
            text = text.replace(self.api_key, "[key hidden]")
        if self.base_url and self.base_url != self.endpoint:
            text = text.replace(self.base_url, self.endpoint)
        for secret in self.secrets:
            text = text.replace(secret, HIDDEN)
        return text


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


# Environment variables that override a field of [llm]; each is checked against the field's own limits.
_LLM_ENV = {"MOCKMLE_TEMPERATURE": "temperature", "MOCKMLE_TIMEOUT": "timeout", "MOCKMLE_DEADLINE": "deadline",
            "MOCKMLE_JUDGE_MAX_TOKENS": "judge_max_tokens"}


_TUNING = ("temperature", "timeout", "deadline", "max_retries", "judge_samples", "judge_max_tokens",
           "interviewer_max_tokens")  # the [llm] values LLMConfig takes as they are


def _llm_section(file: ConfigFile | None) -> dict[str, Any]:
    """The [llm] section's values with the environment's overrides, validated as the file's are (nan, 99 or -5
    for a number are one line naming the variable, not a setting that fails later). With neither a file nor an
    override there is nothing to validate: {}, LLMConfig's defaults being the section's, and pydantic stays unloaded."""
    overrides = {name: value for name in _LLM_ENV if (value := _env(name)) is not None}
    if file is None and not overrides:
        return {}
    from pydantic import ValidationError

    from mockmle.settings.config_schema import LLMSection

    values = (file.llm if file is not None else LLMSection()).model_dump()
    for name, value in overrides.items():
        key = _LLM_ENV[name]
        try:
            values[key] = LLMSection.model_validate({key: value}).model_dump()[key]
        except ValidationError as exc:
            message = exc.errors()[0]["msg"]
            raise UsageError(f"{name}={value!r}: {message[:1].lower() + message[1:]}") from None
    return LLMSection.model_validate(values).model_dump()


def llm_settings(file: ConfigFile | None, model: str | None = None, judge: str | None = None,
                 interviewer: str | None = None) -> tuple[LLMConfig, str, str]:
    """The model configuration and which judge and interviewer to use ('offline' or 'llm')."""
    section = _llm_section(file)
    shared = model or _env("MOCKMLE_MODEL") or section.get("model")
    config = LLMConfig(
        api_key=_env("OPENAI_API_KEY") or section.get("api_key"),
        base_url=(_env("OPENAI_BASE_URL") or section.get("base_url") or "").rstrip("/") or None,
        interviewer_model=model or _env("MOCKMLE_INTERVIEWER_MODEL") or section.get("interviewer_model") or shared,
        judge_model=model or _env("MOCKMLE_JUDGE_MODEL") or section.get("judge_model") or shared,
        prices={name: (p.input, p.output) for name, p in file.prices.items()} if file is not None else {},
        **{key: section[key] for key in _TUNING if key in section},
    )
    default = "llm" if config.configured else "offline"
    judge = judge or _env("MOCKMLE_JUDGE") or (file.judge if file is not None else None) or default
    interviewer = interviewer or (file.interviewer if file is not None else None) or default
    for role, value in (("judge", judge), ("interviewer", interviewer)):
        if value not in ("offline", "llm"):
            raise UsageError(f"{role} must be 'offline' or 'llm', not {value!r}")
        if value == "llm" and not config.configured:
            raise UsageError(f"--{role} llm needs a model: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL "
                             "(a local OpenAI-compatible server), or use --judge offline")
    return config, judge, interviewer


@dataclass(frozen=True)
class VoiceConfig:
    """Spoken answers and questions. `transcriber` is resolved: 'api' or 'local', never 'auto'."""

    transcriber: str = "local"
    whisper_model: str = "base"
    transcribe_model: str = "whisper-1"
    speak: str = "off"
    speech_model: str = "gpt-4o-mini-tts"
    speech_voice: str = "alloy"


def voice_settings(file: ConfigFile | None, llm: LLMConfig) -> VoiceConfig:
    section = file.voice.model_dump() if file is not None else {}  # {}: no file, the defaults
    transcriber = _env("MOCKMLE_TRANSCRIBER") or section.get("transcriber", "auto")
    speak = _env("MOCKMLE_SPEAK") or section.get("speak", VoiceConfig.speak)
    if transcriber not in ("auto", "api", "local"):
        raise UsageError(f"MOCKMLE_TRANSCRIBER must be auto, api or local, not {transcriber!r}")
    if speak not in ("off", "espeak", "api"):
        raise UsageError(f"MOCKMLE_SPEAK must be off, espeak or api, not {speak!r}")
    if transcriber == "auto":
        transcriber = "api" if llm.configured else "local"
    return VoiceConfig(
        transcriber=transcriber,
        whisper_model=_env("MOCKMLE_WHISPER_MODEL") or section.get("whisper_model") or VoiceConfig.whisper_model,
        transcribe_model=_env("MOCKMLE_TRANSCRIBE_MODEL") or section.get("transcribe_model", VoiceConfig.transcribe_model),
        speak=speak,
        speech_model=section.get("speech_model", VoiceConfig.speech_model),
        speech_voice=section.get("speech_voice", VoiceConfig.speech_voice),
    )
