"""The config.toml schema, checked by pydantic. Loaded only when there is something to check: a config.toml, or an
environment variable overriding one of its values (see config_file.read_config_file and model_config)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Price(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    input: float = Field(ge=0)
    output: float = Field(ge=0)


class LLMSection(BaseModel):
    """Its defaults are LLMConfig's (tests/test_config.py holds them equal): with nothing to check, those are used."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None
    interviewer_model: str | None = None
    judge_model: str | None = None
    temperature: float = Field(0.2, ge=0, le=2)
    timeout: float = Field(30.0, gt=0)
    deadline: float | None = Field(None, gt=0)
    max_retries: int = Field(2, ge=0, le=10)
    judge_samples: int = Field(1, ge=1, le=9)
    judge_max_tokens: int = Field(1500, ge=16)
    interviewer_max_tokens: int = Field(400, ge=16)


class VoiceSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    transcriber: str = Field("auto", pattern="^(auto|api|local)$")
    whisper_model: str | None = None
    transcribe_model: str = "whisper-1"
    speak: str = Field("off", pattern="^(off|espeak|api)$")
    speech_model: str = "gpt-4o-mini-tts"
    speech_voice: str = "alloy"


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    llm: LLMSection = Field(default_factory=LLMSection)
    voice: VoiceSection = Field(default_factory=VoiceSection)
    judge: str | None = Field(None, pattern="^(offline|llm)$")
    interviewer: str | None = Field(None, pattern="^(offline|llm)$")
    prices: dict[str, _Price] = Field(default_factory=dict)
