"""The interview: questions and follow-ups, the answer editor, timer, hints, skip, repeat, end.

Every event is saved by the runner before anything else happens; the text being typed is saved
as a draft on every edit. Its parts live beside it: the status line (widgets/interview_bar.py),
grading in the background (widgets/grading_status.py), spoken answers (widgets/voice_bar.py and
interview_voice.py), a follow-up worded by the model (interview_follow_up.py), the notice of a
model that keeps failing (interview_notices.py), and resuming with the draft (interview_resume.py).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import var
from textual.widgets import Footer, Header, Static, TextArea

from mockmle.app.runner import FollowUpJob, InterviewRunner
from mockmle.app.services import Services
from mockmle.core.interview import Action, Answer, Ask, End, Event, Finished, Hint, Plan, Repeat, ShowHint, Skip
from mockmle.tui.notices import meaning_fallback_once
from mockmle.tui.screens.base import BaseScreen
from mockmle.tui.screens.confirm import ConfirmScreen
from mockmle.tui.screens.interview_follow_up import FollowUpEntry, FollowUpWorded
from mockmle.tui.screens.interview_notices import ModelNotices, reset_breaker
from mockmle.tui.screens.interview_resume import Drafts, welcome_back
from mockmle.tui.screens.interview_voice import SpokenAnswers
from mockmle.tui.screens.interview_work import grade_answer, word_follow_up
from mockmle.tui.widgets.answer_editor import AnswerEditor
from mockmle.tui.widgets.grading_status import GradingStatus
from mockmle.tui.widgets.interview_bar import InterviewBar, judge_label
from mockmle.tui.widgets.question_timer import QuestionTimer
from mockmle.tui.widgets.transcript import Transcript
from mockmle.tui.widgets.usage_meter import UsageMeter
from mockmle.tui.widgets.voice_bar import VoiceBar

INTERVIEW_ACTIONS = {"send", "hint", "skip", "repeat", "end"}


class InterviewScreen(BaseScreen):
    BINDINGS = [
        Binding("ctrl+s", "send", "Send", priority=True, tooltip="Send your answer"),
        Binding("ctrl+o", "record", "Record", priority=True, tooltip="Answer out loud: ctrl+o starts and stops recording"),
        Binding("ctrl+t", "hint", "Hint", priority=True, tooltip="A pointer to an area to cover (costs half a band)"),
        Binding("ctrl+n", "skip", "Skip", priority=True, tooltip="Skip this question (scores 0)"),
        Binding("ctrl+r", "repeat", "Repeat", priority=True, tooltip="Ask the question again"),
        Binding("ctrl+g", "end", "End", priority=True, tooltip="End the interview and see the results"),
        Binding("ctrl+l", "model_answer", "Model answer", priority=True, show=False,
                tooltip="A strong answer to the question you last skipped"),
        Binding("ctrl+q", "app.quit", "Quit", priority=True, tooltip="Quit; the session is saved and can be resumed"),
    ]

    # What is shown and which keys work follow these; each watcher updates its part of the screen.
    finished: var[bool] = var(False, init=False, bindings=True)  # the interview is over: its keys are off
    open_question: var[tuple[int, int] | None] = var(None, init=False)  # (position, hints used)
    judge_label: var[str] = var("", init=False)
    skipped_question: str | None = None  # the question last skipped, whose model answer ctrl+l shows
    streaming: var[FollowUpEntry | None] = var(None, init=False)  # the follow-up being worded by the model

    def __init__(self, runner: InterviewRunner, resumed: bool = False):
        super().__init__()
        self.runner = runner
        self.resumed = resumed
        self.notices = ModelNotices(self)
        self.drafts = Drafts(self, runner)
        self.voice = SpokenAnswers(self, runner)

    @classmethod
    def new(cls, services: Services, plan: Plan, judge: str | None = None) -> InterviewScreen:
        reset_breaker(services)
        return cls(InterviewRunner.create(services, plan, judge=judge))

    @classmethod
    def resume(cls, services: Services, session_id: str) -> InterviewScreen:
        reset_breaker(services)
        return cls(InterviewRunner.resume(services, session_id), resumed=True)

    @property
    def plan(self) -> Plan:
        return self.runner.state.plan

    def compose(self) -> ComposeResult:
        yield Header()
        yield InterviewBar(id="interview-bar")
        yield Transcript(id="transcript")
        with Horizontal(id="interview-status"):
            yield QuestionTimer(self.mockmle.clock, id="timer")
            yield Static(id="words")
            yield GradingStatus(id="grading")
            yield UsageMeter(id="usage")
        yield VoiceBar(self.services, id="voice")
        yield AnswerEditor(id="answer")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"session {self.runner.session_id}"
        self.judge_label = judge_label(self.runner.grader.name)  # the config only: a hung server must not freeze it
        if self.resumed:
            welcome_back(self.query_one(Transcript), self.runner.state)
        for position in self.runner.ungraded():
            self.grade_in_background(position)
        self.perform(self.runner.start())
        self.drafts.restore(self.query_one(AnswerEditor))
        self._update_words()
        self.query_one(AnswerEditor).focus()

    # -- showing what the engine asks for

    def perform(self, actions: list[Action], job: FollowUpJob | None = None) -> None:
        transcript = self.query_one(Transcript)
        for action in actions:
            if isinstance(action, Ask) and job is not None and action.exchange == "follow_up":
                entry = FollowUpEntry(job)
                transcript.add(entry)
                word_follow_up(self, entry)
                self.streaming = entry
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

    def watch_finished(self, finished: bool) -> None:
        self.query_one(AnswerEditor).disabled = finished
        self._update_bar()

    def watch_open_question(self) -> None:
        self._update_bar()

    def watch_judge_label(self) -> None:
        self._update_bar()

    def _update_bar(self) -> None:
        titles = [self.services.bank.stage(s).title for s in self.plan.stages]
        self.query_one(InterviewBar).show(self.runner.state, titles, self.finished, self.judge_label)

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
            self.voice.sent(*where)
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
            if not kept and turn is not None:
                self.skipped_question = turn.question_id
            self.query_one(Transcript).say("note", "Follow-up skipped; your answer so far is kept and graded."
                                           if kept else "Skipped. ctrl+l shows a strong answer to it.")
            self.query_one(AnswerEditor).clear()
            self.perform(actions)

    def action_model_answer(self) -> None:
        """A strong answer to the question last skipped (screens/model_answer.py); the interview waits behind it."""
        from mockmle.tui.screens.model_answer import ModelAnswerScreen

        if self.skipped_question is None:
            self.notify("Model answers are for a question you skip (ctrl+n), and on the results.", timeout=4)
            return
        self.app.push_screen(ModelAnswerScreen(self.skipped_question))

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
                self.voice.sent(*where)
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
        self.drafts.save(self.query_one(AnswerEditor).text)

    def on_mockmle_app_usage_changed(self) -> None:
        self.query_one(UsageMeter).show(self.services.calls.by_model(self.runner.session_id), self.services.price)

    # -- spoken answers: the voice bar records and transcribes; the take is saved in interview_voice.py

    def action_record(self) -> None:
        folder = self.services.settings.session_recordings(self.runner.session_id)
        where = None if self.finished else self.runner.open_exchange()
        self.query_one(VoiceBar).toggle(where, folder, interviewer_busy=self.streaming is not None)

    def on_voice_bar_transcribed(self, message: VoiceBar.Transcribed) -> None:
        self.voice.transcribed(message)

    # -- a follow-up worded by the model (interview_follow_up.py)

    def drop_follow_up(self) -> None:
        """Stop the model wording the open follow-up; the entry shows the bank's wording, which is saved."""
        if (entry := self.streaming) is None:
            return
        self.streaming = None
        entry.drop()

    def on_follow_up_worded(self, message: FollowUpWorded) -> None:
        if (entry := self.streaming) is None or entry.job is not message.job:
            return  # dropped: the bank's wording was answered already
        self.streaming = None
        prompt = message.job.context.offline_prompt
        if message.text is not None:
            try:
                asks = [a for a in self.runner.apply_follow_up(message.job, message.text) if isinstance(a, Ask)]
                prompt = asks[0].prompt if asks else prompt
            except Exception as exc:  # noqa: BLE001 - the offline wording is already saved; keep it
                self.notify(f"Could not save the follow-up: {exc}", severity="error", markup=False)
        elif (line := self.notices.line(message.problem or "the model failed")) is not None:
            self.notify(f"{line}; asking the bank's follow-up instead.", severity="warning", timeout=6, markup=False)
        self.notices.announce_breaker()
        entry.show(prompt)
        self.query_one(QuestionTimer).restart(self.plan.time_per_question)
        self.query_one(VoiceBar).speak(prompt)

    # -- grading in the background (widgets/grading_status.py), and the grades arriving

    def grade_in_background(self, position: int) -> None:
        grade_answer(self, position)

    def on_grading_status_graded(self, message: GradingStatus.Graded) -> None:
        meaning_fallback_once(self.app, message.grade)
        provenance = message.grade.provenance
        if provenance.fallback and (reason := self.notices.line(provenance.fallback_reason or "the model failed")):
            self.notify(f"Question {message.position + 1} was graded offline: {reason}.",
                        severity="warning", timeout=8, markup=False)
        self.notices.announce_breaker()
        try:
            self.runner.record_grade(message.position, message.grade)
        except Exception as exc:  # noqa: BLE001 - a grade that cannot be saved must not stop the interview
            self.notify(f"Could not save the grade of question {message.position + 1}: {exc}", severity="error",
                        markup=False)
        self.query_one(GradingStatus).settled(message.position)
        self._maybe_show_results()

    def on_grading_status_grade_failed(self, message: GradingStatus.GradeFailed) -> None:
        self.notify(f"Grading question {message.position + 1} failed ({message.error}). "
                    "Your answer is saved and will be graded when you open the results.", severity="warning", timeout=8,
                    markup=False)
        self.query_one(GradingStatus).settled(message.position)
        self._maybe_show_results()

    def _maybe_show_results(self) -> None:
        if not self.finished or self.query_one(GradingStatus).busy:
            return
        from mockmle.tui.screens.results import ResultsScreen

        try:
            self.runner.report()
        except Exception as exc:  # noqa: BLE001 - Results still open, from what was saved
            self.notify(f"Could not build the report: {exc}", severity="error", timeout=8, markup=False)
        record = self.services.store.get(self.runner.session_id)
        self.app.switch_screen(ResultsScreen(record))
