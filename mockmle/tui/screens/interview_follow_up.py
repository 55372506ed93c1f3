"""A follow-up worded by the model interviewer, streamed into the Interview screen's transcript as it arrives.

The engine has already opened the follow-up with the bank's wording (saved); the model's text replaces it
when it is complete, or the bank's wording stays with a note saying why. Any failure of the wording, however
odd, ends it: the entry never stays on "…".

The candidate need not wait: sending while the model is still wording (`drop_follow_up`) stops the wording
(the reply is closed) and the answer goes to the bank's follow-up, the one saved, which the entry then shows.
A late reply of a dropped wording is ignored.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from textual.message import Message
from textual.widgets import Static

from mockmle.core.interview import Ask
from mockmle.llm.faults import LLMError
from mockmle.app.runner import FollowUpJob
from mockmle.tui.widgets.question_timer import QuestionTimer
from mockmle.tui.widgets.transcript import Transcript
from mockmle.tui.workers import run_model_call

DROPPED = "the answer was sent before the interviewer finished wording the follow-up"


@dataclass
class Wording:
    """The follow-up being worded: its transcript entry, the text so far, and a flag that stops the model."""

    job: FollowUpJob
    entry: Static
    pieces: list[str] = field(default_factory=list)
    dropped: threading.Event = field(default_factory=threading.Event)


class FollowUpMixin:
    """Mixed into InterviewScreen, which provides `runner`, `plan`, `streaming`, `speak`, `model_notice` and
    `announce_breaker`."""

    class FollowUpDelta(Message):
        def __init__(self, job: FollowUpJob, text: str):
            super().__init__()
            self.job = job
            self.text = text

    class FollowUpDone(Message):
        def __init__(self, job: FollowUpJob, text: str | None, problem: str | None):
            super().__init__()
            self.job = job
            self.text = text
            self.problem = problem

    def _stream_follow_up(self, job: FollowUpJob) -> None:
        entry = self.query_one(Transcript).say("follow_up", "…", title="Follow-up")
        wording = Wording(job, entry)
        self.streaming = wording
        runner = self.runner

        def on_delta(piece: str) -> None:
            if wording.dropped.is_set():
                raise LLMError("cancelled", DROPPED)  # closes the reply, so the server stops generating it
            self.post_message(self.FollowUpDelta(job, piece))

        def work() -> None:
            try:
                text, problem = runner.write_follow_up(job, on_delta=on_delta)
            except Exception as exc:  # noqa: BLE001 - whatever went wrong, the entry must not stay on "…"
                text, problem = None, f"the follow-up could not be worded ({type(exc).__name__})"
            self.post_message(self.FollowUpDone(job, text, problem))

        run_model_call(self, work, group="follow-up", name="follow-up")

    def _wording(self, job: FollowUpJob) -> Wording | None:
        wording = self.streaming
        return wording if wording is not None and wording.job is job else None

    def drop_follow_up(self) -> None:
        """Stop the model wording the open follow-up; the entry shows the bank's wording, which is saved."""
        wording = self.streaming
        if wording is None:
            return
        self.streaming = None
        wording.dropped.set()
        self.query_one(Transcript).rewrite(wording.entry, "follow_up", wording.job.context.offline_prompt,
                                           title="Follow-up")

    def on_follow_up_mixin_follow_up_delta(self, message: FollowUpDelta) -> None:
        wording = self._wording(message.job)
        if wording is not None:
            wording.pieces.append(message.text)
            self.query_one(Transcript).rewrite(wording.entry, "follow_up", "".join(wording.pieces) + " …",
                                               title="Follow-up")

    def on_follow_up_mixin_follow_up_done(self, message: FollowUpDone) -> None:
        wording = self._wording(message.job)
        if wording is None:  # dropped: the candidate has already answered the bank's wording
            return
        self.streaming = None
        prompt = message.job.context.offline_prompt
        if message.text is not None:
            try:
                asks = [a for a in self.runner.apply_follow_up(message.job, message.text) if isinstance(a, Ask)]
                prompt = asks[0].prompt if asks else prompt
            except Exception as exc:  # the offline wording is already saved; keep it
                self.notify(f"Could not save the follow-up: {exc}", severity="error", markup=False)
        elif (line := self.model_notice(message.problem or "the model failed")) is not None:
            self.notify(f"{line}; asking the bank's follow-up instead.", severity="warning", timeout=6, markup=False)
        self.announce_breaker()
        self.query_one(Transcript).rewrite(wording.entry, "follow_up", prompt, title="Follow-up")
        self.query_one(QuestionTimer).restart(self.plan.time_per_question)
        self.speak(prompt)
