"""Model configuration: the data home's config.toml, then environment variables, then flags.

The names are the ones users already know from the OpenAI SDK (OPENAI_API_KEY, OPENAI_BASE_URL),
so OpenAI, Ollama, vLLM, llama.cpp's server and LM Studio all work the same way. With neither a
key nor a base URL, everything runs offline. The key is held here and handed to the SDK; it never
appears in a repr, the database, a transcript or an error message (see `redact`).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mockmle.files import tighten
from mockmle.errors import UsageError

CONFIG_NAME = "config.toml"
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
NO_KEY = "not-needed"  # the SDK insists on a key; local servers ignore it
HIDDEN = "[hidden]"
MIN_SECRET = 4  # shorter values are not blanked: they would blank ordinary words
DEADLINE_PER_TIMEOUT = 4  # the default deadline for a whole reply, in timeouts

EXAMPLE = """\
# mockmle configuration. Environment variables override these; command-line flags override both.
[llm]
# base_url = "http://127.0.0.1:11434/v1"   # Ollama; vLLM, llama.cpp's server and LM Studio work too
# api_key = "sk-..."                         # better kept in OPENAI_API_KEY
# model = "gpt-4o-mini"                      # both roles; or set the two below
# interviewer_model = ""
# judge_model = ""
# temperature = 0.2
# timeout = 30                               # seconds to wait for the server to start answering
# deadline = 120                             # seconds for a whole reply, retries included (default 4 x timeout)
# max_retries = 2
# judge_samples = 1                          # >1: grade n times, report the median band and the spread
# judge_max_tokens = 1500                    # caps on each reply, so a slow local model cannot run away
# interviewer_max_tokens = 400

# judge = "llm"          # or "offline"; default: llm when a key or base URL is set
# interviewer = "llm"    # or "offline"

# [voice]                 # spoken answers (the Interview screen's ctrl+o; `mockmle transcribe`)
# transcriber = "auto"    # "api" (the endpoint above), "local" (faster-whisper: pip install 'mockmle[voice]');
#                         # auto: api when a key or base URL is set, else local
# whisper_model = "base"  # local: a faster-whisper model folder, or a model name in faster-whisper's cache
# transcribe_model = "whisper-1"
# speak = "off"           # read questions aloud: "espeak" (espeak-ng) or "api" (the speech endpoint)
# speech_model = "gpt-4o-mini-tts"
# speech_voice = "alloy"

# [prices."my-model"]     # US$ per million tokens, for the cost estimate
# input = 0.5
# output = 1.5
"""


class _Price(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    input: float = Field(ge=0)
    output: float = Field(ge=0)


class _LLMSection(BaseModel):
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


class _VoiceSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    transcriber: str = Field("auto", pattern="^(auto|api|local)$")
    whisper_model: str | None = None
    transcribe_model: str = "whisper-1"
    speak: str = Field("off", pattern="^(off|espeak|api)$")
    speech_model: str = "gpt-4o-mini-tts"
    speech_voice: str = "alloy"


class _ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    llm: _LLMSection = Field(default_factory=_LLMSection)
    voice: _VoiceSection = Field(default_factory=_VoiceSection)
    judge: str | None = Field(None, pattern="^(offline|llm)$")
    interviewer: str | None = Field(None, pattern="^(offline|llm)$")
    prices: dict[str, _Price] = Field(default_factory=dict)


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


_CREDENTIAL_NAME = re.compile(r"key|token|secret|pass|auth|sig|credential|session|code", re.IGNORECASE)
LONG_VALUE = 16  # a query value this long is taken for a token whatever its name; shorter ones (api-version=2024-02-01) are not


def url_secrets(url: str) -> list[str]:
    """The parts of a URL that carry credentials, as written and percent-decoded, longest first: the user and
    password before @, query values named like a key or a token, and any long query value."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]  # not readable as a URL: hide all of it
    found = []
    if "@" in parts.netloc:
        userinfo = parts.netloc.rpartition("@")[0]
        user, colon, password = userinfo.partition(":")
        found += [userinfo, password] if colon else [userinfo]
    for piece in parts.query.split("&"):
        name, _, value = piece.partition("=")
        if _CREDENTIAL_NAME.search(unquote(name)) or len(value) >= LONG_VALUE:
            found.append(value)
    if len(parts.fragment) >= LONG_VALUE:
        found.append(parts.fragment)
    found += [unquote(item) for item in found]
    return sorted({item for item in found if item}, key=len, reverse=True)


def safe_url(url: str) -> str:
    """`url` without its credentials: https://user:pass@host/v1?api-key=x -> https://[hidden]@host/v1?api-key=[hidden]."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
    except ValueError:
        return HIDDEN
    if "@" in netloc:
        netloc = f"{HIDDEN}@{netloc.rpartition('@')[2]}"
    query = "&".join(f"{piece.partition('=')[0]}={HIDDEN}" if "=" in piece else piece
                     for piece in parts.query.split("&") if piece)
    return urlunsplit((parts.scheme, netloc, parts.path, query, HIDDEN if parts.fragment else ""))


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


# Environment variables that override a field of [llm]; each is checked against the field's own limits.
_LLM_ENV = {"MOCKMLE_TEMPERATURE": "temperature", "MOCKMLE_TIMEOUT": "timeout", "MOCKMLE_DEADLINE": "deadline",
            "MOCKMLE_JUDGE_MAX_TOKENS": "judge_max_tokens"}


def _with_environment(section: _LLMSection) -> _LLMSection:
    """The [llm] section with the environment's overrides, validated as the file's values are (nan, 99 or -5
    for a number are one line naming the variable, not a setting that fails later)."""
    values = section.model_dump()
    for name, key in _LLM_ENV.items():
        value = _env(name)
        if value is None:
            continue
        try:
            values[key] = _LLMSection.model_validate({key: value}).model_dump()[key]
        except ValidationError as exc:
            message = exc.errors()[0]["msg"]
            raise UsageError(f"{name}={value!r}: {message[:1].lower() + message[1:]}") from None
    return _LLMSection.model_validate(values)


def read_config_file(path: Path) -> _ConfigFile:
    if not path.exists():
        return _ConfigFile()
    if not path.is_file():
        raise UsageError(f"{path}: not a regular file (move it away to use the defaults)")
    tighten(path)  # it may hold the API key
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
        return _ConfigFile.model_validate(data)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    except RecursionError:
        raise UsageError(f"{path}: not valid TOML (nested too deeply)") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"{path}: {where}: {first['msg']}") from None


def load_llm(home: Path, model: str | None = None, judge: str | None = None,
             interviewer: str | None = None) -> tuple[LLMConfig, str, str]:
    """The model configuration and which judge and interviewer to use ('offline' or 'llm')."""
    file = read_config_file(home / CONFIG_NAME)
    section = _with_environment(file.llm)
    shared = model or _env("MOCKMLE_MODEL") or section.model
    config = LLMConfig(
        api_key=_env("OPENAI_API_KEY") or section.api_key,
        base_url=(_env("OPENAI_BASE_URL") or section.base_url or "").rstrip("/") or None,
        interviewer_model=model or _env("MOCKMLE_INTERVIEWER_MODEL") or section.interviewer_model or shared,
        judge_model=model or _env("MOCKMLE_JUDGE_MODEL") or section.judge_model or shared,
        temperature=section.temperature,
        timeout=section.timeout,
        deadline=section.deadline,
        max_retries=section.max_retries,
        judge_samples=section.judge_samples,
        judge_max_tokens=section.judge_max_tokens,
        interviewer_max_tokens=section.interviewer_max_tokens,
        prices={name: (p.input, p.output) for name, p in file.prices.items()},
    )
    default = "llm" if config.configured else "offline"
    judge = judge or _env("MOCKMLE_JUDGE") or file.judge or default
    interviewer = interviewer or file.interviewer or default
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


def load_voice(home: Path, llm: LLMConfig) -> VoiceConfig:
    section = read_config_file(home / CONFIG_NAME).voice
    transcriber = _env("MOCKMLE_TRANSCRIBER") or section.transcriber
    speak = _env("MOCKMLE_SPEAK") or section.speak
    if transcriber not in ("auto", "api", "local"):
        raise UsageError(f"MOCKMLE_TRANSCRIBER must be auto, api or local, not {transcriber!r}")
    if speak not in ("off", "espeak", "api"):
        raise UsageError(f"MOCKMLE_SPEAK must be off, espeak or api, not {speak!r}")
    if transcriber == "auto":
        transcriber = "api" if llm.configured else "local"
    return VoiceConfig(
        transcriber=transcriber,
        whisper_model=_env("MOCKMLE_WHISPER_MODEL") or section.whisper_model or "base",
        transcribe_model=_env("MOCKMLE_TRANSCRIBE_MODEL") or section.transcribe_model,
        speak=speak,
        speech_model=section.speech_model,
        speech_voice=section.speech_voice,
    )
