"""Spoken answers, the Interview screen's side: the voice bar records and transcribes (widgets/voice_bar.py); the
take is saved here, on the main thread where SQLite lives, and how each answer was said is shown once it is sent.
"""

from __future__ import annotations

from mockmle.app.runner import InterviewRunner
from mockmle.core.delivery import Delivery, delivery_lines
from mockmle.tui.screens.base import BaseScreen
from mockmle.tui.widgets.answer_editor import AnswerEditor
from mockmle.tui.widgets.transcript import Transcript
from mockmle.tui.widgets.voice_bar import VoiceBar


class SpokenAnswers:
    def __init__(self, screen: BaseScreen, runner: InterviewRunner):
        self.screen = screen
        self.runner = runner
        self.deliveries: dict[tuple[int, int], Delivery] = {}  # how each spoken answer was said, by exchange

    def transcribed(self, message: VoiceBar.Transcribed) -> None:
        """A take's transcript: saved with the take, then put in the answer box to be corrected and sent."""
        bar = self.screen.query_one(VoiceBar)
        if self.runner.open_exchange() != (message.position, message.idx):
            bar.show(f"That recording finished after you moved on; it is kept at {message.path}")
            return
        if not message.spoken.text.strip():
            bar.show("No speech found in that recording: check the microphone, or type your answer.", "off")
            return
        try:
            delivery = self.runner.record_take(message.position, message.idx, str(message.path), message.spoken)
        except Exception as exc:  # noqa: BLE001 - a locked database: the text still goes in the box, the WAV is on disk
            self.screen.notify(f"Could not save the recording's transcript: {exc}", severity="error", timeout=8,
                               markup=False)
            delivery = None
        if delivery is not None:
            self.deliveries[(message.position, message.idx)] = delivery
        self.screen.query_one(AnswerEditor).put_transcript(message.spoken.text.strip())
        bar.show(f"Transcribed {message.spoken.duration:.0f} s: correct the text if needed, then ctrl+s sends it "
                 "(ctrl+o records again).")

    def sent(self, position: int, idx: int) -> None:
        """After an answer to exchange (`position`, `idx`) is sent: how it was said, if it was spoken."""
        self.screen.query_one(AnswerEditor).last_transcript = None
        self.screen.query_one(VoiceBar).hide()
        if (delivery := self.deliveries.get((position, idx))) is not None:
            self.screen.query_one(Transcript).say("note", "How you said it: " + "\n".join(delivery_lines(delivery)))
