"""Speech to text with word timings, behind one interface: faster-whisper on this machine, or an
OpenAI-compatible `/v1/audio/transcriptions` endpoint. Both return a `SpokenText`.

faster-whisper and the OpenAI SDK are imported only when a recording is transcribed. A local model
is never downloaded here: it is a folder, or a name already in faster-whisper's cache.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from mockmle.audio import endpoint_error
from mockmle.audio.wav import BadAudio, wav_seconds
from mockmle.core.speech import SpokenText, Word
from mockmle.errors import VoiceError

if TYPE_CHECKING:
    from mockmle.settings import LLMConfig, Settings

# Whisper tends to tidy fillers away; a prompt that itself hesitates makes it keep them, and delivery
# feedback counts them.
FILLER_PROMPT = "Um, so, uh, let me think... Hmm, okay, like, you know, here's what I'd do."
# Interviews are practised in English; detecting the language costs ~0.5 s and can mistake accented English.
LANGUAGE = "en"
MIN_API_TIMEOUT = 120.0  # uploading and transcribing minutes of audio takes longer than a chat reply


def download_hint(name: str = "base") -> str:
    """The command that puts Whisper model `name` in faster-whisper's cache (the only download; run by the user)."""
    return f"python -c \"import faster_whisper; faster_whisper.download_model('{name}')\""


class TranscriptionError(VoiceError):
    """Transcription failed. `line` is safe to show: one line, no key, says what to do."""


class UnreadableAudio(TranscriptionError):
    """The recording itself is the problem (missing, not a WAV, empty), whichever backend is used."""

    exit_code = 2  # the file given to `mockmle transcribe` is bad input


class Transcriber(Protocol):
    name: str

    def check(self) -> str:
        """What would transcribe, without loading or calling it; raises TranscriptionError saying how to fix it."""
        ...

    def transcribe(self, path: Path) -> SpokenText: ...


def recording_seconds(path: Path) -> float:
    """The recording's length; raises UnreadableAudio unless it is a non-empty 16-bit PCM WAV file."""
    try:
        seconds = wav_seconds(path)
    except BadAudio as exc:
        raise UnreadableAudio(str(exc)) from None
    if seconds <= 0:
        raise UnreadableAudio(f"{path}: the recording is empty")
    return seconds


class LocalWhisper:
    """faster-whisper on the CPU. The model loads on first use and is kept; safe to call from a worker thread."""

    name = "faster-whisper"

    def __init__(self, model: str = "base"):
        self.model = model
        self._whisper = None
        self._lock = threading.Lock()

    @property
    def model_label(self) -> str:
        folder = Path(self.model).expanduser()
        return folder.name if folder.is_dir() else self.model

    def transcribe(self, path: Path) -> SpokenText:
        path = Path(path)
        recording_seconds(path)
        whisper = self._load()
        import faster_whisper

        try:
            audio = faster_whisper.decode_audio(str(path))
        except Exception as exc:  # noqa: BLE001 - PyAV raises many kinds; all mean the same to the user
            raise UnreadableAudio(f"{path}: cannot decode the audio ({type(exc).__name__})") from None
        try:
            # vad_filter: the model hears the speech without the long silences (a candidate stopping to think).
            # Without it, Whisper may end its transcript at a pause: CI's CPU dropped everything after a 2.5 s one.
            segments, info = whisper.transcribe(audio, language=LANGUAGE, word_timestamps=True,
                                                initial_prompt=FILLER_PROMPT, vad_filter=True)
            segments = list(segments)  # a generator: the work happens here
        except Exception as exc:  # noqa: BLE001
            reason = (str(exc).splitlines() or [""])[0]
            raise TranscriptionError(f"faster-whisper failed on {path} ({type(exc).__name__}: {reason})") from None
        words = [Word(text=w.word.strip(), start=w.start, end=max(w.end, w.start), probability=w.probability)
                 for s in segments for w in (s.words or []) if w.word.strip()]
        return SpokenText(text=" ".join(s.text.strip() for s in segments).strip(), words=words,
                          duration=info.duration, language=info.language, backend=self.name, model=self.model_label)

    def _load(self):
        with self._lock:
            if self._whisper is None:
                self._whisper = self._open()
            return self._whisper

    def check(self) -> str:
        return f"faster-whisper, model {self._source()}"

    def _source(self) -> str:
        """The model folder to load: the configured folder, or the named model's folder in faster-whisper's cache."""
        if importlib.util.find_spec("faster_whisper") is None:
            raise TranscriptionError("local transcription needs faster-whisper: install it with pip install "
                                     "'mockmle[voice]' (or set OPENAI_API_KEY or OPENAI_BASE_URL to use an API)")
        folder = Path(self.model).expanduser()
        if folder.is_dir():
            if not (folder / "model.bin").is_file():
                raise TranscriptionError(f"{folder} has no model.bin: not a faster-whisper model folder; "
                                         "set MOCKMLE_WHISPER_MODEL")
            return str(folder)
        if folder.is_absolute() or self.model.startswith((".", "~")):
            raise TranscriptionError(f"no Whisper model folder at {folder}; set MOCKMLE_WHISPER_MODEL to a "
                                     "faster-whisper model folder or name, or download 'base' once with "
                                     f"{download_hint('base')}")
        return self._cached(self.model)

    def _open(self):
        source = self._source()
        from faster_whisper import WhisperModel

        try:
            return WhisperModel(source, device="cpu", compute_type="int8")
        except Exception as exc:  # noqa: BLE001 - CTranslate2 reports a bad folder in several ways
            raise TranscriptionError(f"cannot load the Whisper model in {source} ({type(exc).__name__}); it needs "
                                     "config.json, model.bin, tokenizer.json and vocabulary.txt") from None

    @staticmethod
    def _cached(name: str) -> str:
        from faster_whisper import download_model
        from huggingface_hub import constants

        try:
            return download_model(name, local_files_only=True)
        except ValueError:  # not a model name faster-whisper knows
            raise TranscriptionError(f"no Whisper model folder {name!r}, and it is not a faster-whisper model name "
                                     "(tiny, base, small, ...); set MOCKMLE_WHISPER_MODEL") from None
        except Exception:  # noqa: BLE001 - not in the cache (or not a valid repo id)
            raise TranscriptionError(f"the Whisper model {name!r} is not in faster-whisper's cache "
                                     f"({constants.HF_HUB_CACHE}) and is not a folder; download it once with "
                                     f"{download_hint(name)}, or set MOCKMLE_WHISPER_MODEL to a "
                                     "model folder") from None


class ApiTranscriber:
    """An OpenAI-compatible `audio.transcriptions` endpoint, asked for word timestamps."""

    name = "api"

    def __init__(self, config: LLMConfig, model: str = "whisper-1"):
        self.config = config
        self.model = model

    @cached_property
    def sdk(self):  # made on first use; two threads racing here would only make one spare client
        from mockmle.llm.client import openai_sdk

        return openai_sdk(self.config, timeout=max(self.config.timeout, MIN_API_TIMEOUT),
                          max_retries=self.config.max_retries)

    def check(self) -> str:
        if not self.config.configured:
            raise TranscriptionError("transcribing through an API needs OPENAI_API_KEY or OPENAI_BASE_URL; "
                                     "or set MOCKMLE_TRANSCRIBER=local")
        return f"api: {self.model} at {self.config.endpoint}"

    def transcribe(self, path: Path) -> SpokenText:
        path = Path(path)
        seconds = recording_seconds(path)
        self.check()
        try:
            with path.open("rb") as audio:
                result = self.sdk.audio.transcriptions.create(
                    model=self.model, file=(path.name, audio, "audio/wav"), response_format="verbose_json",
                    timestamp_granularities=["word"], prompt=FILLER_PROMPT, language=LANGUAGE)
        except OSError as exc:
            raise UnreadableAudio(f"{path}: cannot read ({exc.strerror or exc})") from None
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from None
        return self._spoken(result, seconds)

    def _error(self, exc: Exception) -> TranscriptionError:
        return TranscriptionError(endpoint_error(exc, self.config, "transcription failed", "/audio/transcriptions",
                                                 "set MOCKMLE_TRANSCRIBER=local"))

    def _spoken(self, result, seconds: float) -> SpokenText:
        if isinstance(result, str):  # a server that ignored verbose_json and sent plain text
            return SpokenText(text=result.strip(), duration=seconds, backend=self.name, model=self.model)
        words = [_word(w.word, w.start, w.end) for w in (getattr(result, "words", None) or [])]
        if not words:
            words = _spread(getattr(result, "segments", None) or [])
        return SpokenText(text=(getattr(result, "text", None) or "").strip(), words=[w for w in words if w.text],
                          duration=getattr(result, "duration", None) or seconds,
                          language=getattr(result, "language", None), backend=self.name, model=self.model)


def _word(text: str, start: float, end: float) -> Word:
    start = max(0.0, float(start))
    return Word(text=text.strip(), start=start, end=max(start, float(end)))


def _spread(segments) -> list[Word]:
    # Servers without word timestamps still time each segment: share its span evenly among its words.
    # Pace and long pauses between segments stay right; pauses inside a segment are lost.
    words = []
    for segment in segments:
        pieces = (getattr(segment, "text", None) or "").split()
        start, end = float(segment.start), float(segment.end)
        step = (end - start) / len(pieces) if pieces else 0.0
        words += [_word(piece, start + i * step, start + (i + 1) * step) for i, piece in enumerate(pieces)]
    return words


class FallbackTranscriber:
    """The API first; if it fails for any reason but the recording, faster-whisper on this machine.
    `SpokenText.backend` says which one answered; `last_error` keeps why the API was passed over."""

    def __init__(self, primary: Transcriber, fallback: Transcriber):
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name
        self.last_error: str | None = None

    def check(self) -> str:
        try:
            fallback = f"; {self.fallback.check()} if it fails"
        except TranscriptionError:
            fallback = ""
        return self.primary.check() + fallback

    def transcribe(self, path: Path) -> SpokenText:
        self.last_error = None
        try:
            return self.primary.transcribe(path)
        except UnreadableAudio:
            raise
        except TranscriptionError as error:
            try:
                spoken = self.fallback.transcribe(path)
            except TranscriptionError:
                raise error from None
            self.last_error = error.line
            return spoken


def transcriber_for(settings: Settings) -> Transcriber:
    """The configured backend; the API one falls back to faster-whisper when that is installed."""
    voice = settings.voice
    local = LocalWhisper(voice.whisper_model)
    if voice.transcriber != "api":
        return local
    api = ApiTranscriber(settings.llm, voice.transcribe_model)
    if importlib.util.find_spec("faster_whisper") is None:
        return api
    return FallbackTranscriber(api, local)
