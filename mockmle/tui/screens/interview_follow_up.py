"""A follow-up worded by the model interviewer, streamed into the Interview screen's transcript as it arrives.

The engine has already opened the follow-up with the bank's wording (saved); the model's text replaces it
when it is complete, or the bank's wording stays with a note saying why.
"""

from __future__ import annotations

from textual.message import Message

from mockmle.core.interview import Ask
from mockmle.runner import FollowUpJob
from mockmle.tui.widgets.question_timer import QuestionTimer
from mockmle.tui.widgets.transcript import Transcript
from mockmle.tui.workers import run_model_call


class FollowUpMixin:
    """Mixed into InterviewScreen, which provides `runner`, `plan`, `streaming` and `speak`."""

    class FollowUpDelta(Message):
        def __init__(self, text: str):
            super().__init__()
            self.text = text

    class FollowUpDone(Message):
        def __init__(self, job: FollowUpJob, text: str | None, problem: str | None):
            super().__init__()
            self.job = job
            self.text = text
            self.problem = problem

    def _stream_follow_up(self, job: FollowUpJob) -> None:
        entry = self.query_one(Transcript).say("follow_up", "…", title="Follow-up")
        self.streaming = (entry, [])
        runner = self.runner

        def work() -> None:
            text, problem = runner.write_follow_up(job, on_delta=lambda piece: self.post_message(self.FollowUpDelta(piece)))
            self.post_message(self.FollowUpDone(job, text, problem))

        run_model_call(self, work, group="follow-up", name="follow-up")

    def on_follow_up_mixin_follow_up_delta(self, message: FollowUpDelta) -> None:
        if self.streaming is not None:
            entry, pieces = self.streaming
            pieces.append(message.text)
            self.query_one(Transcript).rewrite(entry, "follow_up", "".join(pieces) + " …", title="Follow-up")

    def on_follow_up_mixin_follow_up_done(self, message: FollowUpDone) -> None:
        if self.streaming is None:
            return
        entry, _ = self.streaming
        self.streaming = None
        prompt = message.job.context.offline_prompt
        if message.text is not None:
            try:
                asks = [a for a in self.runner.apply_follow_up(message.job, message.text) if isinstance(a, Ask)]
                prompt = asks[0].prompt if asks else prompt
            except Exception as exc:  # the offline wording is already saved; keep it
                self.notify(f"Could not save the follow-up: {exc}", severity="error", markup=False)
        else:
            self.notify(f"{message.problem}; asking the bank's follow-up instead.", severity="warning", timeout=6,
                        markup=False)
        self.query_one(Transcript).rewrite(entry, "follow_up", prompt, title="Follow-up")
        self.query_one(QuestionTimer).restart(self.plan.time_per_question)
        self.speak(prompt)
