"""Spoken answers in the Interview screen: ctrl+o records, ctrl+o again stops and transcribes into
the answer box, where the candidate corrects the text before sending it. Questions are read aloud
when the settings ask for it.

Nothing here is needed to type: any failure turns voice off with one line saying why and how to
fix it. Recording runs on PortAudio's thread, transcription and speech in daemon threads that only
post messages; the take is saved on the main thread, where SQLite lives.
"""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from mockmle.core.delivery import Delivery, delivery_lines
from mockmle.core.speech import SpokenText
from mockmle.tui.widgets.answer_editor import AnswerEditor
from mockmle.tui.widgets.transcript import Transcript
from mockmle.tui.widgets.voice_bar import VoiceBar
from mockmle.tui.workers import run_model_call


class VoiceMixin:
    """Mixed into InterviewScreen, which provides `runner`, `services`, `finished` and `streaming`."""

    class Transcribed(Message):
        def __init__(self, position: int, idx: int, path: Path, spoken: SpokenText):
            super().__init__()
            self.position, self.idx, self.path, self.spoken = position, idx, path, spoken

    class TranscribeFailed(Message):
        def __init__(self, line: str, path: Path):
            super().__init__()
            self.line, self.path = line, path

    class SpeakFailed(Message):
        def __init__(self, line: str):
            super().__init__()
            self.line = line

    def init_voice(self) -> None:
        self.recorder = None
        self.recording_at: tuple[int, int] | None = None  # the exchange being recorded
        self.voice_off: str | None = None  # why recording is off, once it has failed
        self.speaking_off: str | None = None
        self.transcribing: tuple[int, int] | None = None
        self.last_transcript: str | None = None  # the text the last take put in the editor, to replace on a retake
        self.deliveries: dict[tuple[int, int], Delivery] = {}

    # -- recording

    def action_record(self) -> None:
        if self.recorder is not None:
            self._stop_recording()
            return
        if self.voice_off:
            self.notify(self.voice_off, severity="warning", timeout=8, markup=False)
            return
        where = self.runner.open_exchange()
        if where is None or self.finished:
            return
        if self.streaming is not None or self.transcribing is not None:
            self.notify("Wait for the interviewer and the last transcript, then record.", severity="warning")
            return
        self._start_recording(*where)

    def _start_recording(self, position: int, idx: int) -> None:
        self.stop_speaking()
        try:
            self.services.transcriber.check()  # a missing model is said before the candidate talks for minutes
            recorder = self.services.recorder()
            recorder.check()
            recorder.start(self._take_path(position, idx))
        except Exception as exc:  # VoiceUnavailable and TranscriptionError carry the line to show
            self._voice_unavailable(getattr(exc, "line", None) or f"Voice is off: {exc}")
            return
        self.recorder = recorder
        self.recording_at = (position, idx)
        self.query_one(VoiceBar).recording(lambda: (recorder.elapsed, recorder.level))

    def _take_path(self, position: int, idx: int) -> Path:
        folder = self.services.settings.session_recordings(self.runner.session_id)
        path, take = folder / f"q{position + 1}-{idx + 1}.wav", 1
        while path.exists():
            take += 1
            path = folder / f"q{position + 1}-{idx + 1}-take{take}.wav"
        return path

    def _voice_unavailable(self, line: str) -> None:
        self.voice_off = line
        self.query_one(VoiceBar).show(line, "off")
        self.notify(line, severity="warning", timeout=10, markup=False)

    def _stop_recording(self) -> None:
        recorder, self.recorder = self.recorder, None
        try:
            recording = recorder.stop()
        except Exception as exc:  # the device went away mid-answer
            self._voice_unavailable(getattr(exc, "line", None) or f"Voice is off: the recording failed ({exc})")
            return
        position, idx = self.recording_at
        self.transcribing = (position, idx)
        self.query_one(VoiceBar).show(f"Transcribing {recording.seconds:.0f} s of audio…", "busy")
        transcriber = self.services.transcriber

        def work() -> None:
            try:
                spoken = transcriber.transcribe(recording.path)
            except Exception as exc:
                self.post_message(self.TranscribeFailed(getattr(exc, "line", None) or str(exc), recording.path))
            else:
                self.post_message(self.Transcribed(position, idx, recording.path, spoken))

        run_model_call(self, work, group="transcribe", name="transcribe")

    def on_voice_mixin_transcribed(self, message: Transcribed) -> None:
        self.transcribing = None
        bar = self.query_one(VoiceBar)
        if self.runner.open_exchange() != (message.position, message.idx):
            bar.show(f"That recording finished after you moved on; it is kept at {message.path}")
            return
        if not message.spoken.text.strip():
            bar.show("No speech found in that recording: check the microphone, or type your answer.", "off")
            return
        try:
            delivery = self.runner.record_take(message.position, message.idx, str(message.path), message.spoken)
        except Exception as exc:  # a locked database: the text still goes in the box, and the WAV is on disk
            self.notify(f"Could not save the recording's transcript: {exc}", severity="error", timeout=8, markup=False)
            delivery = None
        if delivery is not None:
            self.deliveries[(message.position, message.idx)] = delivery
        self._put_transcript(message.spoken.text.strip())
        bar.show(f"Transcribed {message.spoken.duration:.0f} s: correct the text if needed, then ctrl+s sends it "
                 "(ctrl+o records again).")

    def _put_transcript(self, text: str) -> None:
        editor = self.query_one(AnswerEditor)
        current = editor.text.strip()
        if current and current != (self.last_transcript or ""):
            text = f"{current} {text}"
        editor.replace_all(text)
        self.last_transcript = text
        editor.focus()

    def on_voice_mixin_transcribe_failed(self, message: TranscribeFailed) -> None:
        self.transcribing = None
        self.query_one(VoiceBar).show(f"{message.line} The recording is kept at {message.path}; type your answer.", "off")

    def show_delivery(self, position: int, idx: int) -> None:
        """After a spoken answer is sent: how it was said, measured from the recording."""
        self.last_transcript = None
        self.query_one(VoiceBar).hide()
        delivery = self.deliveries.get((position, idx))
        if delivery is not None:
            self.query_one(Transcript).say("note", "How you said it: " + "\n".join(delivery_lines(delivery)))

    def on_unmount(self) -> None:
        """Leaving the screen (or quitting) mid-recording keeps what was said on disk."""
        if self.recorder is not None:
            recorder, self.recorder = self.recorder, None
            try:
                recorder.stop()
            except Exception:  # the device is gone; there is nothing more to keep
                pass
        self.stop_speaking()

    def cancel_recording(self) -> None:
        if self.recorder is not None:
            recorder, self.recorder = self.recorder, None
            recorder.cancel()
            self.query_one(VoiceBar).hide()

    # -- the interviewer reads questions aloud

    def speak(self, text: str) -> None:
        if self.speaking_off or self.recorder is not None:
            return
        try:
            speaker = self.services.speaker
        except Exception as exc:
            self.speaking_off = getattr(exc, "line", None) or str(exc)
            self.notify(self.speaking_off, severity="warning", timeout=8, markup=False)
            return
        if speaker is None:
            return
        speaker.stop()

        def work() -> None:
            try:
                speaker.say(text)
            except Exception as exc:
                self.post_message(self.SpeakFailed(getattr(exc, "line", None) or f"Reading aloud is off: {exc}"))

        run_model_call(self, work, group="speak", name="speak")

    def stop_speaking(self) -> None:
        speaker = self.services.__dict__.get("speaker")  # only if one was made
        if speaker is not None:
            speaker.stop()

    def on_voice_mixin_speak_failed(self, message: SpeakFailed) -> None:
        if not self.speaking_off:
            self.speaking_off = message.line
            self.notify(message.line, severity="warning", timeout=8, markup=False)
