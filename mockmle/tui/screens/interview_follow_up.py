"""A follow-up worded by the model interviewer, streamed into the Interview screen's transcript as it arrives.

The engine has already opened the follow-up with the bank's wording (saved); the model's text replaces it
when it is complete, or the bank's wording stays with a note saying why. Any failure of the wording, however
odd, ends it: the entry never stays on "…".

The candidate need not wait: sending while the model is still wording (`drop_follow_up`) stops the wording
(the reply is closed) and the answer goes to the bank's follow-up, the one saved, which the entry then shows.
A late reply of a dropped wording is ignored.

The `FollowUpEntry` holds the wording under way: the screen's thread (screens/interview_work.py) posts
`FollowUpDelta`s to the entry, which shows them, and then `FollowUpWorded` to the screen. The screen holds the entry while it
is worded (its `streaming` reactive) and saves the model's wording when it is complete.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar

from textual.message import Message
from textual.widgets import Static

from mockmle.app.runner import FollowUpJob
from mockmle.tui.widgets.transcript import Transcript, entry_text

TITLE = "Follow-up"


@dataclass
class FollowUpDelta(Message):
    """A piece of the model's wording of `job`'s follow-up, as it arrives."""

    bubble: ClassVar[bool] = False  # the entry shows it; the screen has nothing to do
    job: FollowUpJob
    text: str


@dataclass
class FollowUpWorded(Message):
    """The wording of `job`'s follow-up ended: the model's `text`, or None and the `problem` why not."""

    job: FollowUpJob
    text: str | None
    problem: str | None


class FollowUpEntry(Static):
    """The transcript's entry of `job`'s follow-up while the model words it: the text so far, and a flag that
    stops the model."""

    def __init__(self, job: FollowUpJob):
        super().__init__(entry_text("follow_up", "…", TITLE), classes="entry -follow_up")
        self.job = job
        self.pieces: list[str] = []
        self.dropped = threading.Event()

    def show(self, text: str) -> None:
        self.query_ancestor(Transcript).rewrite(self, "follow_up", text, title=TITLE)

    def drop(self) -> None:
        """Stop the model wording; the entry shows the bank's wording, the one saved."""
        self.dropped.set()
        self.show(self.job.context.offline_prompt)

    def on_follow_up_delta(self, message: FollowUpDelta) -> None:
        if not self.dropped.is_set():  # a dropped wording's late words are not shown
            self.pieces.append(message.text)
            self.show("".join(self.pieces) + " …")
