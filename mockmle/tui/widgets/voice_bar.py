"""Spoken answers: the line above the answer box, and the voice behind it.

ctrl+o records, ctrl+o again stops and transcribes; the bar posts `VoiceBar.Transcribed` and the Interview
screen puts the text in the answer box, where the candidate corrects it before sending it. Questions are read
aloud when the settings ask for it. The line shows recording (elapsed time and a level meter), transcribing,
or why voice is off; it is hidden otherwise.

Nothing here is needed to type: any failure turns voice off with one line saying why and how to fix it.
Recording runs on PortAudio's thread, transcription and speech in daemon threads that only post messages;
the take is saved by the screen on the main thread, where SQLite lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from mockmle.app.services import Services
from mockmle.core.speech import SpokenText
from mockmle.errors import MockmleError
from mockmle.tui.labels import clock_text
from mockmle.tui.workers import run_model_call

if TYPE_CHECKING:
    from textual.timer import Timer

    from mockmle.audio.recorder import Recorder

METER_WIDTH = 16


def level_meter(level: float, width: int = METER_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, level)) * width)
    return "▮" * filled + "▯" * (width - filled)


def take_path(folder: Path, position: int, idx: int) -> Path:
    """Where a new take of exchange (`position`, `idx`) goes: retakes are kept beside the first."""
    path, take = folder / f"q{position + 1}-{idx + 1}.wav", 1
    while path.exists():
        take += 1
        path = folder / f"q{position + 1}-{idx + 1}-take{take}.wav"
    return path


class VoiceBar(Static):
    """Owns the recorder, the take being transcribed and the speaker; says why voice is off once it is."""

    @dataclass
    class Transcribed(Message):
        """A take's transcript, for the exchange (`position`, `idx`) it was recorded for."""

        position: int
        idx: int
        path: Path
        spoken: SpokenText

    @dataclass
    class TranscribeFailed(Message):
        bubble: ClassVar[bool] = False  # the bar says it; the screen has nothing to do
        line: str
        path: Path

    @dataclass
    class SpeakFailed(Message):
        bubble: ClassVar[bool] = False
        line: str

    def __init__(self, services: Services, **kwargs):
        super().__init__(**kwargs)
        self.services = services
        self.recorder: Recorder | None = None  # while recording
        self.recording_at: tuple[int, int] | None = None  # the exchange being recorded
        self.transcribing: tuple[int, int] | None = None
        self.voice_off: str | None = None  # why recording is off, once it has failed
        self.speaking_off: str | None = None
        self._ticker: Timer  # made on mount

    @property
    def busy(self) -> bool:
        """Recording, or a take not yet transcribed."""
        return self.recorder is not None or self.transcribing is not None

    def on_mount(self) -> None:
        self.display = False
        self._ticker = self.set_interval(0.1, self._tick, pause=True)

    def show(self, text: str, kind: str = "") -> None:
        """A message in place of the meter: kind '' (neutral), 'busy' or 'off'."""
        self._ticker.pause()
        self.set_classes(f"-{kind}" if kind else "")
        self.update(Text(text))  # error lines hold brackets: pip install 'mockmle[voice]'
        self.display = True

    def hide(self) -> None:
        self._ticker.pause()
        self.display = False

    def _tick(self) -> None:
        if (recorder := self.recorder) is None:
            return
        elapsed, level = recorder.elapsed, recorder.level
        self.update(Text(f"● recording {clock_text(elapsed)}  {level_meter(level)}   ctrl+o stops and transcribes"))
        self.display = True

    # -- recording

    def toggle(self, where: tuple[int, int] | None, folder: Path, interviewer_busy: bool) -> None:
        """ctrl+o: stop the recording under way, or record the answer to exchange `where` (position, idx) into
        `folder`; None when there is nothing to answer."""
        if self.recorder is not None:
            self.stop()
            return
        if self.voice_off:
            self.notify(self.voice_off, severity="warning", timeout=8, markup=False)
            return
        if where is None:
            return
        if interviewer_busy or self.transcribing is not None:
            self.notify("Wait for the interviewer and the last transcript, then record.", severity="warning")
            return
        self.start(*where, take_path(folder, *where))

    def start(self, position: int, idx: int, path: Path) -> None:
        """Record the answer to exchange (`position`, `idx`) into `path`; a failure turns voice off."""
        self.stop_speaking()
        try:
            self.services.transcriber.check()  # a missing model is said before the candidate talks for minutes
            recorder = self.services.recorder()
            recorder.check()
            recorder.start(path)
        except MockmleError as exc:  # VoiceUnavailable, TranscriptionError: the line says why and what to do
            self._voice_unavailable(exc.line)
            return
        except Exception as exc:  # noqa: BLE001 - whatever the audio stack raises turns voice off, not the interview
            self._voice_unavailable(f"Voice is off: {exc}")
            return
        self.recorder = recorder
        self.recording_at = (position, idx)
        self.set_classes("-recording")
        self._tick()
        self._ticker.resume()

    def _voice_unavailable(self, line: str) -> None:
        self.voice_off = line
        self.show(line, "off")
        self.notify(line, severity="warning", timeout=10, markup=False)

    def stop(self) -> None:
        """Stop recording and transcribe the take in a thread; `Transcribed` follows."""
        recorder, self.recorder = self.recorder, None
        assert recorder is not None and self.recording_at is not None
        try:
            recording = recorder.stop()
        except MockmleError as exc:  # the device went away mid-answer, or the file could not be written
            self._voice_unavailable(exc.line)
            return
        except Exception as exc:  # noqa: BLE001 - whatever the audio stack raises turns voice off, not the interview
            self._voice_unavailable(f"Voice is off: the recording failed ({exc})")
            return
        position, idx = self.recording_at
        self.transcribing = (position, idx)
        self.show(f"Transcribing {recording.seconds:.0f} s of audio…", "busy")
        transcriber = self.services.transcriber

        def work() -> None:
            try:
                spoken = transcriber.transcribe(recording.path)
            except MockmleError as exc:
                self.post_message(self.TranscribeFailed(exc.line, recording.path))
            except Exception as exc:  # noqa: BLE001 - reported, or the bar stays at "Transcribing…"
                self.post_message(self.TranscribeFailed(str(exc), recording.path))
            else:
                self.post_message(self.Transcribed(position, idx, recording.path, spoken))

        run_model_call(self, work, group="transcribe", name="transcribe")

    def on_voice_bar_transcribed(self) -> None:
        self.transcribing = None  # the message goes on to the screen, which saves the take

    def on_voice_bar_transcribe_failed(self, message: TranscribeFailed) -> None:
        self.transcribing = None
        self.show(f"{message.line} The recording is kept at {message.path}; type your answer.", "off")

    def cancel(self) -> None:
        """Drop the take being recorded (the question was skipped or the interview ended)."""
        if self.recorder is not None:
            recorder, self.recorder = self.recorder, None
            recorder.cancel()
            self.hide()

    def on_unmount(self) -> None:
        """Leaving the screen (or quitting) mid-recording keeps what was said on disk."""
        if self.recorder is not None:
            recorder, self.recorder = self.recorder, None
            try:
                recorder.stop()
            except Exception:  # noqa: BLE001 - the device is gone; there is nothing more to keep
                pass
        self.stop_speaking()

    # -- the interviewer reads questions aloud

    def speak(self, text: str) -> None:
        if self.speaking_off or self.recorder is not None:
            return
        try:
            speaker = self.services.speaker
        except MockmleError as exc:
            self.speaking_off = exc.line
        except Exception as exc:  # noqa: BLE001 - a speaker that cannot be made turns reading aloud off
            self.speaking_off = str(exc)
        if self.speaking_off:
            self.notify(self.speaking_off, severity="warning", timeout=8, markup=False)
            return
        if speaker is None:
            return
        speaker.stop()

        def work() -> None:
            try:
                speaker.say(text)
            except MockmleError as exc:
                self.post_message(self.SpeakFailed(exc.line))
            except Exception as exc:  # noqa: BLE001 - reported: reading aloud turns off, the interview goes on
                self.post_message(self.SpeakFailed(f"Reading aloud is off: {exc}"))

        run_model_call(self, work, group="speak", name="speak")

    def stop_speaking(self) -> None:
        speaker = self.services.__dict__.get("speaker")  # only if one was made
        if speaker is not None:
            speaker.stop()

    def on_voice_bar_speak_failed(self, message: SpeakFailed) -> None:
        if not self.speaking_off:
            self.speaking_off = message.line
            self.notify(message.line, severity="warning", timeout=8, markup=False)
