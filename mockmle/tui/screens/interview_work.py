"""The Interview screen's slow calls, each in a thread owned by the screen (never by a widget): grading an answer,
and the model wording a follow-up. They post their outcome as messages; the widgets only show state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockmle.tui.screens.interview_follow_up import FollowUpDelta, FollowUpEntry, FollowUpWorded
from mockmle.tui.widgets.grading_status import GradingStatus
from mockmle.tui.workers import run_model_call

if TYPE_CHECKING:
    from mockmle.tui.screens.interview import InterviewScreen


def grade_answer(screen: InterviewScreen, position: int) -> None:
    """Grade the answer to question `position` unless it is being graded already: `GradingStatus.Graded` or
    `GradeFailed` reaches the screen, which saves the grade and then settles the question."""
    if not screen.query_one(GradingStatus).begin(position):
        return
    request = screen.runner.grade_request(position)
    grader = screen.runner.grader

    def work() -> None:
        try:
            grade = grader.grade(request)
        except Exception as exc:  # noqa: BLE001 - reported, or the question stays pending and Results never open
            screen.post_message(GradingStatus.GradeFailed(position, str(exc)))
        else:
            screen.post_message(GradingStatus.Graded(position, grade))

    run_model_call(screen, work, group="grading", name=f"grade Q{position + 1}")


def word_follow_up(screen: InterviewScreen, entry: FollowUpEntry) -> None:
    """The model words `entry`'s follow-up: its pieces go to the entry as they arrive, `FollowUpWorded` to the
    screen at the end. Setting the entry's `dropped` stops the model at its next piece."""
    runner, job, dropped = screen.runner, entry.job, entry.dropped

    def work() -> None:
        try:
            text, problem = runner.write_follow_up(
                job, on_delta=lambda piece: entry.post_message(FollowUpDelta(job, piece)), dropped=dropped)
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, the entry must not stay on "…"
            text, problem = None, f"the follow-up could not be worded ({type(exc).__name__})"
        screen.post_message(FollowUpWorded(job, text, problem))

    run_model_call(screen, work, group="follow-up", name="follow-up")
