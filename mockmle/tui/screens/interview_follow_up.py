"""A follow-up worded by the model interviewer, streamed into the Interview screen's transcript as it arrives.

The engine has already opened the follow-up with the bank's wording (saved); the model's text replaces it
when it is complete, or the bank's wording stays with a note saying why. Any failure of the wording, however
odd, ends it: the entry never stays on "…".

The candidate need not wait: sending while the model is still wording (`drop_follow_up`) stops the wording
(the reply is closed) and the answer goes to the bank's follow-up, the one saved, which the entry then shows.
A late reply of a dropped wording is ignored.

The wording runs in a thread that posts `FollowUpDelta` and then `FollowUpWorded` to the screen, which holds
the `Wording` under way (its `streaming` reactive) and handles both.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import Static

from mockmle.app.runner import FollowUpJob, InterviewRunner
from mockmle.tui.workers import run_model_call


@dataclass
class Wording:
    """The follow-up being worded: its transcript entry, the text so far, and a flag that stops the model."""

    job: FollowUpJob
    entry: Static
    pieces: list[str] = field(default_factory=list)
    dropped: threading.Event = field(default_factory=threading.Event)


@dataclass
class FollowUpDelta(Message):
    """A piece of the model's wording of `job`'s follow-up, as it arrives."""

    job: FollowUpJob
    text: str


@dataclass
class FollowUpWorded(Message):
    """The wording of `job`'s follow-up ended: the model's `text`, or None and the `problem` why not."""

    job: FollowUpJob
    text: str | None
    problem: str | None


def word_follow_up(node: DOMNode, runner: InterviewRunner, job: FollowUpJob, entry: Static) -> Wording:
    """Start the model wording `job`'s follow-up into `entry`; its messages go to `node`."""
    wording = Wording(job, entry)

    def work() -> None:
        try:
            text, problem = runner.write_follow_up(
                job, on_delta=lambda piece: node.post_message(FollowUpDelta(job, piece)), dropped=wording.dropped)
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, the entry must not stay on "…"
            text, problem = None, f"the follow-up could not be worded ({type(exc).__name__})"
        node.post_message(FollowUpWorded(job, text, problem))

    run_model_call(node, work, group="follow-up", name="follow-up")
    return wording
