"""Coming back to an interview: what was said before the app closed, and the answer that was being typed.

The text in the answer box is saved as a draft on every edit; resuming puts it back in the box when it belongs
to the exchange still open.
"""

from __future__ import annotations

from mockmle.app.runner import InterviewRunner
from mockmle.core.interview import InterviewState
from mockmle.tui.screens.base import BaseScreen
from mockmle.tui.widgets.answer_editor import AnswerEditor
from mockmle.tui.widgets.transcript import Transcript


def welcome_back(transcript: Transcript, state: InterviewState) -> None:
    """How far the interview got, and what was said so far about the open question."""
    done = sum(1 for t in state.turns if t.status != "open")
    transcript.say("note", f"Welcome back. {done} of {len(state.plan.question_ids)} questions done; "
                           "everything you answered is saved.")
    turn = state.current
    if turn is not None:
        for exchange in turn.exchanges[:-1]:
            transcript.say("interviewer" if exchange.kind == "question" else "follow_up", exchange.prompt,
                           title=f"Question {turn.position + 1}" if exchange.kind == "question" else "Follow-up")
            if exchange.answer:
                transcript.say("candidate", exchange.answer)


class Drafts:
    """The answer being typed, saved on every edit; a save that fails is said once, until one works again."""

    def __init__(self, screen: BaseScreen, runner: InterviewRunner):
        self.screen = screen
        self.runner = runner
        self.unsaved = False

    def restore(self, editor: AnswerEditor) -> None:
        turn = self.runner.state.current
        draft = self.screen.services.store.get_draft(self.runner.session_id)
        if turn is None or draft is None or not draft.text.strip():
            return
        if (draft.position, draft.idx) == (turn.position, len(turn.exchanges) - 1):
            editor.replace_all(draft.text)
            self.screen.notify("Restored the answer you were typing when the app last closed.")

    def save(self, text: str) -> None:
        turn = self.runner.state.current
        if turn is None:
            return
        try:
            self.screen.services.store.save_draft(self.runner.session_id, turn.position, len(turn.exchanges) - 1, text)
        except Exception as exc:  # noqa: BLE001 - a draft that cannot be saved must not stop the typing
            if not self.unsaved:  # said once, not on every key, until a save works again
                self.screen.notify(f"Could not save your draft: {exc}. Keep typing; it is saved again once it can be.",
                                   severity="error", timeout=8, markup=False)
            self.unsaved = True
        else:
            self.unsaved = False
