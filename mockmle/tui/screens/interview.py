"""The interview: questions and follow-ups, the answer editor, timer, hints, skip, repeat, end.

Every event is saved by the runner before anything else happens; the text being typed is saved
as a draft on every edit. Grading runs in thread workers that only post messages back, so the
next question is on screen while the last answer is graded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.widgets import Footer, Header, Static, TextArea

from mockmle.app.runner import FollowUpJob, InterviewRunner
from mockmle.app.services import Services
from mockmle.core.delivery import Delivery, delivery_lines
from mockmle.core.grading.models import Grade
from mockmle.core.interview import Action, Answer, Ask, End, Event, Finished, Hint, Plan, Repeat, ShowHint, Skip
from mockmle.tui.notices import meaning_fallback_once
from mockmle.tui.screens.base import BaseScreen
from mockmle.tui.screens.confirm import ConfirmScreen
from mockmle.tui.screens.interview_follow_up import FollowUpDelta, FollowUpWorded, Wording, word_follow_up
from mockmle.tui.widgets.answer_editor import AnswerEditor
from mockmle.tui.widgets.question_timer import QuestionTimer
from mockmle.tui.widgets.transcript import Transcript
from mockmle.tui.widgets.usage_meter import UsageMeter
from mockmle.tui.widgets.voice_bar import VoiceBar
from mockmle.tui.workers import run_model_call

if TYPE_CHECKING:
    from mockmle.llm.circuit import CircuitBreaker

INTERVIEW_ACTIONS = {"send", "hint", "skip", "repeat", "end"}


class InterviewScreen(BaseScreen):
    BINDINGS = [
        Binding("ctrl+s", "send", "Send", priority=True, tooltip="Send your answer"),
        Binding("ctrl+o", "record", "Record", priority=True, tooltip="Answer out loud: ctrl+o starts and stops recording"),
        Binding("ctrl+t", "hint", "Hint", priority=True, tooltip="A pointer to an area to cover (costs half a band)"),
        Binding("ctrl+n", "skip", "Skip", priority=True, tooltip="Skip this question (scores 0)"),
        Binding("ctrl+r", "repeat", "Repeat", priority=True, tooltip="Ask the question again"),
        Binding("ctrl+g", "end", "End", priority=True, tooltip="End the interview and see the results"),
        Binding("ctrl+q", "app.quit", "Quit", priority=True, tooltip="Quit; the session is saved and can be resumed"),
    ]

    # What is shown and which keys work follow these; each watcher updates its part of the screen.
    finished: var[bool] = var(False, init=False, bindings=True)  # the interview is over: its keys are off
    pending: var[frozenset[int]] = var(frozenset(), init=False)  # questions being graded (replaced, never mutated)
    open_question: var[tuple[int, int] | None] = var(None, init=False)  # (position, hints used)
    judge_label: var[str] = var("", init=False)
    streaming: var[Wording | None] = var(None, init=False)  # the follow-up being worded by the model

    @dataclass
    class Graded(Message):
        position: int
        grade: Grade

    @dataclass
    class GradeFailed(Message):
        position: int
        error: str

    def __init__(self, runner: InterviewRunner, resumed: bool = False):
        super().__init__()
        self.runner = runner
        self.resumed = resumed
        self.draft_unsaved = False
        self.breaker_announced = False
        self.deliveries: dict[tuple[int, int], Delivery] = {}  # how each spoken answer was said, by exchange

    @classmethod
    def new(cls, services: Services, plan: Plan, judge: str | None = None) -> InterviewScreen:
        _new_session(services)
        return cls(InterviewRunner.create(services, plan, judge=judge))

    @classmethod
    def resume(cls, services: Services, session_id: str) -> InterviewScreen:
        _new_session(services)
        return cls(InterviewRunner.resume(services, session_id), resumed=True)

    @property
    def plan(self) -> Plan:
        return self.runner.state.plan

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="interview-bar")
        yield Transcript(id="transcript")
        with Horizontal(id="interview-status"):
            yield QuestionTimer(self.mockmle.clock, id="timer")
            yield Static(id="words")
            yield Static(id="grading")
            yield UsageMeter(id="usage")
        yield VoiceBar(self.services, id="voice")
        yield AnswerEditor(id="answer")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"session {self.runner.session_id}"
        self.judge_label = self._judge_name()
        if self.resumed:
            self._show_resumed()
        for position in self.runner.ungraded():
            self.grade_in_background(position)
        self.perform(self.runner.start())
        self._restore_draft()
        self._update_words()
        self.query_one(AnswerEditor).focus()

    # -- showing what the engine asks for

    def perform(self, actions: list[Action], job: FollowUpJob | None = None) -> None:
        transcript = self.query_one(Transcript)
        for action in actions:
            if isinstance(action, Ask) and job is not None and action.exchange == "follow_up":
                entry = transcript.say("follow_up", "…", title="Follow-up")
                self.streaming = word_follow_up(self, self.runner, job, entry)
            elif isinstance(action, Ask):
                self._ask(action)
            elif isinstance(action, ShowHint):
                cost = f"\n(Hints cost half a band each; {action.hints_used} used on this question.)" if action.given else ""
                transcript.say("hint", action.text + cost)
            elif isinstance(action, Finished):
                transcript.say("note", action.message)
                self.finished = True
            else:
                self.grade_in_background(action.position)
        turn = self.runner.state.current
        self.open_question = (turn.position, len(turn.hints)) if turn else None
        if self.finished:
            self._maybe_show_results()

    def _ask(self, action: Ask) -> None:
        transcript = self.query_one(Transcript)
        if action.intro:
            transcript.say("interviewer", action.intro)
        if action.repeated:
            transcript.say("interviewer", action.prompt)
            self.query_one(VoiceBar).speak(action.prompt)
            return
        total = len(self.plan.question_ids)
        if action.exchange == "question":
            if reason := self.plan.reasons.get(action.question_id):
                transcript.say("note", f"Drill: {reason}")
            stage = self.services.bank.stage(self.services.bank.question(action.question_id).stage).title
            transcript.say("interviewer", action.prompt, title=f"Question {action.position + 1} of {total} · {stage}")
        else:
            transcript.say("follow_up", action.prompt, title="Follow-up")
        self.query_one(VoiceBar).speak(action.prompt)
        self.query_one(QuestionTimer).restart(self.plan.time_per_question)

    def _show_resumed(self) -> None:
        state = self.runner.state
        done = sum(1 for t in state.turns if t.status != "open")
        transcript = self.query_one(Transcript)
        transcript.say("note", f"Welcome back. {done} of {len(state.plan.question_ids)} questions done; "
                               "everything you answered is saved.")
        turn = state.current
        if turn is not None:
            for exchange in turn.exchanges[:-1]:
                transcript.say("interviewer" if exchange.kind == "question" else "follow_up", exchange.prompt,
                               title=f"Question {turn.position + 1}" if exchange.kind == "question" else "Follow-up")
                if exchange.answer:
                    transcript.say("candidate", exchange.answer)

    def _restore_draft(self) -> None:
        turn = self.runner.state.current
        draft = self.services.store.get_draft(self.runner.session_id)
        if turn is None or draft is None or not draft.text.strip():
            return
        if (draft.position, draft.idx) == (turn.position, len(turn.exchanges) - 1):
            self.query_one(AnswerEditor).replace_all(draft.text)
            self.notify("Restored the answer you were typing when the app last closed.")

    def watch_finished(self, finished: bool) -> None:
        self.query_one(AnswerEditor).disabled = finished
        self._update_bar()

    def watch_open_question(self) -> None:
        self._update_bar()

    def watch_judge_label(self) -> None:
        self._update_bar()

    def watch_pending(self, pending: frozenset[int]) -> None:
        label = "grading " + ", ".join(f"Q{p + 1}" for p in sorted(pending)) + "…" if pending else ""
        self.query_one("#grading", Static).update(label)

    def _update_bar(self) -> None:
        state = self.runner.state
        total = len(state.plan.question_ids)
        turn = state.current
        where = f"Question {turn.position + 1} of {total}" if turn else ("Finished" if self.finished else "")
        hints = f" · hints used {len(turn.hints)}" if turn and turn.hints else ""
        stages = ", ".join(self.services.bank.stage(s).title for s in state.plan.stages)
        if state.plan.kind == "drill":
            stages = f"Drill · {stages}"
        bar = Text.assemble((stages, "bold"), f" · {where}{hints} · judge: {self.judge_label}")
        self.query_one("#interview-bar", Static).update(bar)

    def _judge_name(self) -> str:
        name = self.runner.grader.name  # never asks the server (a hung one would freeze the screen): the config only
        return "offline" if name == "offline" else f"model ({name.removeprefix('llm:')})" if name.startswith("llm:") else "model"

    def _update_words(self) -> None:
        count = self.query_one(AnswerEditor).word_count
        self.query_one("#words", Static).update(f"{count} word{'s' if count != 1 else ''}")

    # -- the candidate's actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in INTERVIEW_ACTIONS and self.finished:
            return False
        return True

    def _elapsed(self) -> float:
        return round(self.query_one(QuestionTimer).elapsed, 1)

    def _send(self, event: Event) -> list[Action] | None:
        try:
            return self.runner.send(event)
        except Exception as exc:  # noqa: BLE001 - a full disk or locked database: keep the text, say what happened
            self.notify(f"Could not save that step: {exc}. Your text is still in the box.", severity="error", timeout=8,
                        markup=False)
            return None

    def after_typing(self, callback) -> None:
        """Run `callback` once the editor has handled every key already typed.

        Keys reach the editor through its own queue while ctrl+s is handled at once, so text typed or
        pasted just before ctrl+s could otherwise be left out of the answer.
        """
        self.query_one(AnswerEditor).call_later(callback)

    def action_send(self) -> None:
        self.after_typing(self._send_answer)

    def _send_answer(self) -> None:
        editor = self.query_one(AnswerEditor)
        text = editor.text.strip()
        if self.query_one(VoiceBar).busy:
            self.notify("Still recording or transcribing: ctrl+o stops the recording; send once the text is in the box.",
                        severity="warning")
            return
        if not text:
            self.notify("Nothing to send yet: type your answer (or ctrl+o to say it), or press ctrl+n to skip.",
                        severity="warning")
            return
        self.drop_follow_up()  # still being worded: the answer goes to the bank's wording, already saved
        where = self.runner.open_exchange()
        actions = self._send(Answer(text=text, seconds=self._elapsed()))
        if actions is None:
            return
        self.query_one(Transcript).say("candidate", text)
        if where is not None:
            self.show_delivery(*where)
        editor.clear()
        self.perform(actions, self.runner.follow_up_job(actions))

    def action_hint(self) -> None:
        if (actions := self._send(Hint())) is not None:
            self.perform(actions)

    def action_repeat(self) -> None:
        if (actions := self._send(Repeat())) is not None:
            self.perform(actions)

    def action_skip(self) -> None:
        self.after_typing(self._confirm_skip)

    def _confirm_skip(self) -> None:
        if not self.query_one(AnswerEditor).text.strip():
            self._skip()
            return
        self.app.push_screen(
            ConfirmScreen("Skip this question?", "What you typed in the answer box will not be sent or graded. "
                          "To keep it, cancel and press ctrl+s.", yes="Skip"),
            lambda yes: self._skip() if yes else None,
        )

    def _skip(self) -> None:
        self.query_one(VoiceBar).cancel()
        self.drop_follow_up()
        turn = self.runner.state.current
        kept = turn is not None and bool(turn.answer_text().strip())
        if (actions := self._send(Skip())) is not None:
            self.query_one(Transcript).say("note", "Follow-up skipped; your answer so far is kept and graded."
                                           if kept else "Skipped.")
            self.query_one(AnswerEditor).clear()
            self.perform(actions)

    def action_end(self) -> None:
        self.after_typing(self._confirm_end)

    def _confirm_end(self) -> None:
        self.app.push_screen(
            ConfirmScreen("End the interview now?", "Answered questions are graded and you go to the results. "
                          "Text in the answer box is sent as your answer to the open question.", yes="End"),
            lambda yes: self._end() if yes else None,
        )

    def _end(self) -> None:
        self.query_one(VoiceBar).cancel()
        self.drop_follow_up()
        editor = self.query_one(AnswerEditor)
        text = editor.text.strip()
        where = self.runner.open_exchange()
        actions = self._send(End(text=text or None, seconds=self._elapsed()))
        if actions is None:
            return
        if text:
            self.query_one(Transcript).say("candidate", text)
            if where is not None:
                self.show_delivery(*where)
            editor.clear()
        self.perform(actions)

    def confirm_quit(self) -> bool:
        """Called by the app on ctrl+q: ask once, then quit with everything saved."""
        if self.finished:
            return False
        self.app.push_screen(
            ConfirmScreen("Quit mockmle?", "Everything you have answered is saved, and so is the text in the answer box. "
                          "Resume this interview from the Home screen, or in a terminal with "
                          f"mockmle sessions resume {self.runner.session_id}", yes="Quit", no="Keep going"),
            self._quit_if,
        )
        return True

    def _quit_if(self, yes: bool | None) -> None:
        if yes:
            self.app.exit(message=f"Session {self.runner.session_id} is saved. Run mockmle and choose Resume to continue it.")

    @on(TextArea.Changed, "#answer")
    def _save_draft(self) -> None:
        self._update_words()
        turn = self.runner.state.current
        if turn is None:
            return
        try:
            self.services.store.save_draft(self.runner.session_id, turn.position, len(turn.exchanges) - 1,
                                           self.query_one(AnswerEditor).text)
        except Exception as exc:  # noqa: BLE001 - a draft that cannot be saved must not stop the typing
            if not self.draft_unsaved:  # said once, not on every key, until a save works again
                self.notify(f"Could not save your draft: {exc}. Keep typing; it is saved again once it can be.",
                            severity="error", timeout=8, markup=False)
            self.draft_unsaved = True
        else:
            self.draft_unsaved = False

    # -- grading in the background

    def grade_in_background(self, position: int) -> None:
        if position in self.pending:
            return
        self.pending = self.pending | {position}
        request = self.runner.grade_request(position)
        grader = self.runner.grader

        def work() -> None:
            try:
                grade = grader.grade(request)
            except Exception as exc:  # noqa: BLE001 - reported, or the question stays pending and Results never open
                self.post_message(self.GradeFailed(position, str(exc)))
            else:
                self.post_message(self.Graded(position, grade))

        run_model_call(self, work, group="grading", name=f"grade Q{position + 1}")

    def on_mockmle_app_usage_changed(self) -> None:
        self.query_one(UsageMeter).show(self.services.calls.by_model(self.runner.session_id), self.services.price)

    # -- spoken answers: the voice bar records and transcribes; the take is saved here, on the main thread

    def action_record(self) -> None:
        folder = self.services.settings.session_recordings(self.runner.session_id)
        where = None if self.finished else self.runner.open_exchange()
        self.query_one(VoiceBar).toggle(where, folder, interviewer_busy=self.streaming is not None)

    def on_voice_bar_transcribed(self, message: VoiceBar.Transcribed) -> None:
        bar = self.query_one(VoiceBar)
        if self.runner.open_exchange() != (message.position, message.idx):
            bar.show(f"That recording finished after you moved on; it is kept at {message.path}")
            return
        if not message.spoken.text.strip():
            bar.show("No speech found in that recording: check the microphone, or type your answer.", "off")
            return
        try:
            delivery = self.runner.record_take(message.position, message.idx, str(message.path), message.spoken)
        except Exception as exc:  # noqa: BLE001 - a locked database: the text still goes in the box, the WAV is on disk
            self.notify(f"Could not save the recording's transcript: {exc}", severity="error", timeout=8, markup=False)
            delivery = None
        if delivery is not None:
            self.deliveries[(message.position, message.idx)] = delivery
        self.query_one(AnswerEditor).put_transcript(message.spoken.text.strip())
        bar.show(f"Transcribed {message.spoken.duration:.0f} s: correct the text if needed, then ctrl+s sends it "
                 "(ctrl+o records again).")

    def show_delivery(self, position: int, idx: int) -> None:
        """After a spoken answer is sent: how it was said, measured from the recording."""
        self.query_one(AnswerEditor).last_transcript = None
        self.query_one(VoiceBar).hide()
        if (delivery := self.deliveries.get((position, idx))) is not None:
            self.query_one(Transcript).say("note", "How you said it: " + "\n".join(delivery_lines(delivery)))

    # -- a follow-up worded by the model (interview_follow_up.py)

    def _wording(self, job: FollowUpJob) -> Wording | None:
        wording = self.streaming
        return wording if wording is not None and wording.job is job else None

    def drop_follow_up(self) -> None:
        """Stop the model wording the open follow-up; the entry shows the bank's wording, which is saved."""
        if (wording := self.streaming) is None:
            return
        self.streaming = None
        wording.dropped.set()
        self.query_one(Transcript).rewrite(wording.entry, "follow_up", wording.job.context.offline_prompt,
                                           title="Follow-up")

    def on_follow_up_delta(self, message: FollowUpDelta) -> None:
        if (wording := self._wording(message.job)) is not None:
            wording.pieces.append(message.text)
            self.query_one(Transcript).rewrite(wording.entry, "follow_up", "".join(wording.pieces) + " …",
                                               title="Follow-up")

    def on_follow_up_worded(self, message: FollowUpWorded) -> None:
        if (wording := self._wording(message.job)) is None:  # dropped: the bank's wording was answered already
            return
        self.streaming = None
        prompt = message.job.context.offline_prompt
        if message.text is not None:
            try:
                asks = [a for a in self.runner.apply_follow_up(message.job, message.text) if isinstance(a, Ask)]
                prompt = asks[0].prompt if asks else prompt
            except Exception as exc:  # noqa: BLE001 - the offline wording is already saved; keep it
                self.notify(f"Could not save the follow-up: {exc}", severity="error", markup=False)
        elif (line := self.model_notice(message.problem or "the model failed")) is not None:
            self.notify(f"{line}; asking the bank's follow-up instead.", severity="warning", timeout=6, markup=False)
        self.announce_breaker()
        self.query_one(Transcript).rewrite(wording.entry, "follow_up", prompt, title="Follow-up")
        self.query_one(QuestionTimer).restart(self.plan.time_per_question)
        self.query_one(VoiceBar).speak(prompt)

    # -- grades arriving

    def on_interview_screen_graded(self, message: Graded) -> None:
        self.pending = self.pending - {message.position}
        meaning_fallback_once(self.app, message.grade)
        provenance = message.grade.provenance
        if provenance.fallback and (reason := self.model_notice(provenance.fallback_reason or "the model failed")):
            self.notify(f"Question {message.position + 1} was graded offline: {reason}.",
                        severity="warning", timeout=8, markup=False)
        self.announce_breaker()
        try:
            self.runner.record_grade(message.position, message.grade)
        except Exception as exc:  # noqa: BLE001 - a grade that cannot be saved must not stop the interview
            self.notify(f"Could not save the grade of question {message.position + 1}: {exc}", severity="error",
                        markup=False)
        self._maybe_show_results()

    # -- a model that keeps failing: the client stops calling it (its circuit breaker), and one line says so

    @property
    def _breaker(self) -> CircuitBreaker | None:
        llm = self.services.llm if self.services.settings.llm.configured else None
        return llm.breaker if llm is not None else None

    def model_notice(self, line: str) -> str | None:
        """`line` to show, or None for a call the client refused because the model keeps failing (said once)."""
        breaker = self._breaker
        if breaker is not None and breaker.line in line:
            self.announce_breaker()
            return None
        return line

    def announce_breaker(self) -> None:
        breaker = self._breaker
        if breaker is not None and breaker.is_open and not self.breaker_announced:
            self.breaker_announced = True
            self.notify(breaker.line[:1].upper() + breaker.line[1:] + ".", severity="warning", timeout=10,
                        markup=False)

    def on_interview_screen_grade_failed(self, message: GradeFailed) -> None:
        self.pending = self.pending - {message.position}
        self.notify(f"Grading question {message.position + 1} failed ({message.error}). "
                    "Your answer is saved and will be graded when you open the results.", severity="warning", timeout=8,
                    markup=False)
        self._maybe_show_results()

    def _maybe_show_results(self) -> None:
        if not self.finished or self.pending:
            return
        from mockmle.tui.screens.results import ResultsScreen

        try:
            self.runner.report()
        except Exception as exc:  # noqa: BLE001 - Results still open, from what was saved
            self.notify(f"Could not build the report: {exc}", severity="error", timeout=8, markup=False)
        record = self.services.store.get(self.runner.session_id)
        self.app.switch_screen(ResultsScreen(record))


def _new_session(services: Services) -> None:
    """A new interview gives a model that failed in the last one another chance."""
    if services.settings.llm.configured and services.llm is not None:
        services.llm.breaker.reset()
