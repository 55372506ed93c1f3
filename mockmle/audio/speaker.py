"""Reading questions aloud: text to WAV bytes (espeak-ng, or an OpenAI-compatible `/audio/speech`
endpoint), then WAV bytes to the default output device through sounddevice.

Synthesis (`synthesise`) and playback (`play_wav`) are separate so each can be tested alone. `say`
blocks, so the TUI calls it from a worker thread; `stop` may come from any thread and ends playback
within one chunk (a tenth of a second). Every failure is a VoiceUnavailable whose `line` is safe to show.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import tempfile
import threading
import wave
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from mockmle.audio import VoiceUnavailable, endpoint_error, load_sounddevice, one_line

if TYPE_CHECKING:
    from mockmle.settings import LLMConfig, Settings

OFF = "Reading questions aloud is off"
FAILED = "Reading the question aloud failed"
NO_ESPEAK = (f"{OFF}: espeak-ng is not installed (sudo apt-get install espeak-ng), "
             'or set speak = "api" under [voice] to use the speech endpoint')
NO_ENDPOINT = (f"{OFF}: speak = \"api\" needs OPENAI_API_KEY or OPENAI_BASE_URL; "
               'or set speak = "espeak" under [voice]')
NO_PACKAGE = f"{OFF}: the sounddevice package is not installed (pip install sounddevice)"
NO_PORTAUDIO = f"{OFF}: the PortAudio library is missing (sudo apt-get install libportaudio2)"
NO_OUTPUT = f"{OFF}: no audio output device found (choose a default output in your sound settings)"
CHUNK_SECONDS = 0.1
ESPEAK_TIMEOUT = 60.0
_DTYPES = {1: "uint8", 2: "int16", 3: "int24", 4: "int32"}  # WAV's 8-bit PCM is unsigned


class Speaker(Protocol):
    name: str

    def check(self) -> str: ...  # what will speak and where, or VoiceUnavailable; synthesises nothing

    def synthesise(self, text: str) -> bytes: ...  # the text as a WAV file's bytes (doctor's test word)

    def say(self, text: str) -> None: ...

    def stop(self) -> None: ...


# -- playback


@dataclass(frozen=True)
class Pcm:
    frames: bytes
    rate: int
    channels: int
    width: int  # bytes per sample

    @property
    def seconds(self) -> float:
        return len(self.frames) / (self.rate * self.channels * self.width)


def decode_wav(data: bytes) -> Pcm:
    """The PCM audio in a WAV file's bytes. Placeholder sizes in the header (as written by a stream that
    cannot seek back) are fine: the frames are read to the end of the data."""
    try:
        with wave.open(io.BytesIO(data), "rb") as reader:
            rate, channels, width = reader.getframerate(), reader.getnchannels(), reader.getsampwidth()
            frames = reader.readframes(reader.getnframes())
    except (wave.Error, EOFError, struct.error) as exc:
        raise VoiceUnavailable(f"{FAILED}: the audio is not a PCM WAV file ({one_line(exc)})") from None
    if width not in _DTYPES or rate <= 0 or channels <= 0:
        raise VoiceUnavailable(f"{FAILED}: unsupported WAV ({channels} channel(s), {8 * width}-bit, {rate} Hz)")
    block = channels * width
    return Pcm(frames[: len(frames) - len(frames) % block], rate, channels, width)


def output_device() -> str:
    """The default output device's name, or VoiceUnavailable."""
    sd = load_sounddevice(NO_PACKAGE, NO_PORTAUDIO)
    try:
        info = sd.query_devices(kind="output")
    except (sd.PortAudioError, ValueError):
        raise VoiceUnavailable(NO_OUTPUT) from None
    if info.get("max_output_channels", 0) <= 0:
        raise VoiceUnavailable(NO_OUTPUT)
    return str(info["name"])


def _open_output(sd, pcm: Pcm):
    try:
        return sd.RawOutputStream(samplerate=pcm.rate, channels=pcm.channels, dtype=_DTYPES[pcm.width])
    except (sd.PortAudioError, ValueError) as exc:
        failure = f"{OFF}: the audio output could not be opened ({one_line(exc)})"
    output_device()  # no output device at all is the likelier cause, and its line says what to do
    raise VoiceUnavailable(failure)


def play_wav(data: bytes, cancel: threading.Event | None = None) -> None:
    """Play WAV bytes on the default output device; returns when they have played or `cancel` is set."""
    pcm = decode_wav(data)
    sd = load_sounddevice(NO_PACKAGE, NO_PORTAUDIO)
    stream = _open_output(sd, pcm)
    step = max(1, int(pcm.rate * CHUNK_SECONDS)) * pcm.channels * pcm.width
    try:
        stream.start()
        for start in range(0, len(pcm.frames), step):
            if cancel is not None and cancel.is_set():
                stream.abort()  # drop what is still queued rather than play it out
                return
            stream.write(pcm.frames[start:start + step])
        stream.stop()  # returns once the queued audio has played
    except sd.PortAudioError as exc:
        raise VoiceUnavailable(f"{FAILED}: the audio output failed ({one_line(exc)})") from None
    finally:
        stream.close()


# -- speakers


class _Voice:
    """`say` = `synthesise` then `play_wav`; a newer `say` or a `stop` interrupts the one playing."""

    name = "speaker"

    def __init__(self):
        self._lock = threading.Lock()
        self._device = threading.Lock()
        self._cancel: threading.Event | None = None

    def synthesise(self, text: str) -> bytes:
        raise NotImplementedError

    def say(self, text: str) -> None:
        cancel = threading.Event()
        with self._lock:
            if self._cancel is not None:
                self._cancel.set()
            self._cancel = cancel
        try:
            if not text.strip():
                return
            audio = self.synthesise(text)
            with self._device:  # the interrupted call closes its stream before this one opens another
                if not cancel.is_set():
                    play_wav(audio, cancel)
        finally:
            with self._lock:
                if self._cancel is cancel:
                    self._cancel = None

    def stop(self) -> None:
        with self._lock:
            if self._cancel is not None:
                self._cancel.set()


class EspeakSpeaker(_Voice):
    """espeak-ng on this machine: robotic, instant, offline."""

    name = "espeak-ng"

    def __init__(self, program: str = "espeak-ng"):
        super().__init__()
        self.program = program

    def _path(self) -> str:
        path = shutil.which(self.program)
        if path is None:
            raise VoiceUnavailable(NO_ESPEAK)
        return path

    def check(self) -> str:
        return f"espeak-ng ({self._path()}) through {output_device()}"

    def synthesise(self, text: str) -> bytes:
        program = self._path()
        # A file rather than --stdout: on a pipe espeak-ng cannot go back to fill in the header's sizes.
        with tempfile.TemporaryDirectory(prefix="mockmle-speech-") as folder:
            out = Path(folder) / "speech.wav"
            try:
                done = subprocess.run([program, "--stdin", "-w", str(out)], input=text.encode("utf-8"),
                                      capture_output=True, timeout=ESPEAK_TIMEOUT)
            except subprocess.TimeoutExpired:
                raise VoiceUnavailable(f"{FAILED}: espeak-ng took more than {ESPEAK_TIMEOUT:.0f} s") from None
            except OSError as exc:
                raise VoiceUnavailable(f"{FAILED}: cannot run espeak-ng ({exc.strerror or exc})") from None
            if done.returncode != 0 or not out.is_file():
                why = one_line(done.stderr.decode("utf-8", "replace")) or f"exit status {done.returncode}"
                raise VoiceUnavailable(f"{FAILED}: espeak-ng could not speak the text ({why})")
            return out.read_bytes()


class ApiSpeaker(_Voice):
    """An OpenAI-compatible `audio.speech` endpoint, asked for WAV."""

    name = "api"

    def __init__(self, config: LLMConfig, model: str = "gpt-4o-mini-tts", voice: str = "alloy"):
        super().__init__()
        self.config = config
        self.model = model
        self.voice = voice

    @cached_property
    def sdk(self):  # made on first use; two threads racing here would only make one spare client
        from mockmle.llm.client import openai_sdk

        return openai_sdk(self.config, max_retries=self.config.max_retries)

    def check(self) -> str:
        if not self.config.configured:
            raise VoiceUnavailable(NO_ENDPOINT)
        return f"{self.model} (voice {self.voice}) at {self.config.endpoint} through {output_device()}"

    def synthesise(self, text: str) -> bytes:
        if not self.config.configured:
            raise VoiceUnavailable(NO_ENDPOINT)
        try:
            response = self.sdk.audio.speech.create(model=self.model, voice=self.voice, input=text,
                                                    response_format="wav")
            return response.content
        except Exception as exc:  # noqa: BLE001 - every failure becomes one line without the key
            raise VoiceUnavailable(self._line(exc)) from None

    def _line(self, exc: Exception) -> str:
        return endpoint_error(exc, self.config, FAILED, "/audio/speech", 'set speak = "espeak"')


def speaker_for(settings: Settings) -> Speaker | None:
    """The configured speaker, or None when reading aloud is off. Nothing is checked until it is used."""
    voice = settings.voice
    if voice.speak == "espeak":
        return EspeakSpeaker()
    if voice.speak == "api":
        return ApiSpeaker(settings.llm, voice.speech_model, voice.speech_voice)
    return None
