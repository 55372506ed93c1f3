"""Drive one interview: feed events to the engine, save after every step, grade finished turns."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mockmle.app.debrief import save_debrief, write_debrief
from mockmle.app.services import Services
from mockmle.core.coverage import cover, credit
from mockmle.core.delivery import Delivery, analyse
from mockmle.core.follow_up import FollowUpContext, follow_up_context
from mockmle.core.grading.models import Grade, Grader, GradeRequest
from mockmle.core.interview import Action, Ask, Event, GradeTurn, InterviewState, Plan, Reword, Start
from mockmle.core.scorecard import Report, build_report, is_practice, turn_score
from mockmle.core.speech import SpokenText

if TYPE_CHECKING:
    from mockmle.llm.interviewer import LLMInterviewer


@dataclass(frozen=True)
class FollowUpJob:
    """A follow-up the engine opened, for the model interviewer to word (or answer as the company)."""

    position: int
    exchange: int
    context: FollowUpContext


DROPPED = "the answer was sent before the interviewer finished wording the follow-up"


class InterviewRunner:
    def __init__(self, services: Services, session_id: str, state: InterviewState, grades: dict[int, Grade] | None = None,
                 grader: Grader | None = None):
        self.services = services
        self.grader = grader or services.grader
        self.session_id = session_id
        self.state = state
        self.grades: dict[int, Grade] = dict(grades or {})

    @classmethod
    def create(cls, services: Services, plan: Plan, judge: str | None = None) -> InterviewRunner:
        if services.interviewer is not None:
            plan = plan.model_copy(update={"interviewer": "llm"})
        grader = services.grader_for(judge or services.settings.judge)
        state = services.interview.new(plan)
        session_id = services.store.create(state, judge=grader.name)
        return cls(services, session_id, state, grader=grader)

    @classmethod
    def resume(cls, services: Services, session_id: str, judge: str | None = None) -> InterviewRunner:
        """Grades with the session's own judge unless `judge` (an explicit --judge) says otherwise."""
        record = services.store.get(session_id)
        grader = services.grader_for(judge or record.judge or "offline")
        return cls(services, record.id, record.state, record.grades, grader=grader)

    @property
    def finished(self) -> bool:
        return self.state.status == "finished"

    def start(self) -> list[Action]:
        """First question of a new interview, or the open question of a resumed one."""
        return self.send(Start())

    def send(self, event: Event) -> list[Action]:
        """Apply one event and save at once; grading is left to the caller (see `grade`).

        The runner moves on only once the save has committed: when it fails (a full disk, a lock held too
        long) nothing changed, so sending the same answer again is a retry, not a second answer.
        """
        state, actions = self.services.interview.transition(self.state, event)
        self.services.store.save_state(self.session_id, state)
        self.state = state
        return actions

    # -- the model interviewer: the engine opens a follow-up with offline wording; the model may reword it

    def follow_up_job(self, actions: list[Action]) -> FollowUpJob | None:
        if self.services.interviewer is None:
            return None
        for action in actions:
            if isinstance(action, Ask) and action.exchange == "follow_up" and not action.repeated:
                turn = self.state.turns[action.position]
                return FollowUpJob(action.position, len(turn.exchanges) - 1,
                                   follow_up_context(self.services.bank, self.state, action.position))
        return None

    @property
    def _interviewer(self) -> LLMInterviewer:
        """The model interviewer, which a follow-up job implies (`follow_up_job` makes none without one)."""
        interviewer = self.services.interviewer
        assert interviewer is not None, "a follow-up job needs the model interviewer"
        return interviewer

    def write_follow_up(self, job: FollowUpJob, on_delta=None,
                        dropped: threading.Event | None = None) -> tuple[str | None, str | None]:
        """(the model's text, None), or (None, a calm line saying why the offline wording stays). No database use,
        so the TUI can call this from a worker thread. Once `dropped` is set (the candidate answered without
        waiting), the reply is closed at its next piece, so the server stops generating it."""
        from mockmle.llm.faults import LLMError

        def delta(piece: str) -> None:
            if dropped is not None and dropped.is_set():
                raise LLMError("cancelled", DROPPED)
            if on_delta is not None:
                on_delta(piece)

        try:
            return self._interviewer.follow_up(job.context, on_delta=delta, session_id=self.session_id), None
        except LLMError as error:
            return None, error.line

    def apply_follow_up(self, job: FollowUpJob, text: str) -> list[Action]:
        return self.send(Reword(text=text, source=self._interviewer.model, position=job.position,
                                exchange=job.exchange))

    def reword_follow_ups(self, actions: list[Action], on_problem=None, on_delta=None) -> list[Action]:
        """The same actions with a model-worded follow-up in place of the offline one, when a model is configured.
        The model's reply is streamed (to `on_delta` when given)."""
        job = self.follow_up_job(actions)
        if job is None:
            return actions
        text, problem = self.write_follow_up(job, on_delta=on_delta or (lambda piece: None))
        if text is None:
            if on_problem is not None:
                on_problem(f"{problem}; asking the bank's follow-up instead")
            return actions
        reworded = self.apply_follow_up(job, text)
        return [next(iter(reworded), a) if isinstance(a, Ask) and a.exchange == "follow_up" else a for a in actions]

    # -- spoken answers

    def open_exchange(self) -> tuple[int, int] | None:
        """(position, exchange index) of the exchange waiting for an answer."""
        turn = self.state.current
        return (turn.position, len(turn.exchanges) - 1) if turn is not None else None

    def record_take(self, position: int, idx: int, audio_path: str, spoken: SpokenText) -> Delivery:
        """Save a transcribed recording of one exchange at once, with its delivery measured against the question.
        `audio_path` is stored relative to the data home when it is inside it."""
        question = self.services.bank.question(self.state.turns[position].question_id)
        weights = self.services.bank.weights
        delivery = analyse(spoken, time_limit=self.state.plan.time_per_question,
                           coverage=lambda text: credit(cover(question.areas, text, weights)))
        home = self.services.settings.home
        if Path(audio_path).is_relative_to(home):  # kept relative, so exports never show where the data home is
            audio_path = str(Path(audio_path).relative_to(home))
        self.services.store.spoken.save(self.session_id, position, idx, audio_path, spoken, delivery)
        return delivery

    # -- grading

    def grade_request(self, position: int) -> GradeRequest:
        turn = self.state.turns[position]
        question = self.services.bank.question(turn.question_id)
        hinted = next((e for e in turn.exchanges if e.hinted_red_flag and e.answer), None)
        main = turn.exchanges[0].answer if turn.exchanges[0].kind == "question" else None
        return GradeRequest(question_text=question.prompt, question=question, answer=turn.answer_text(), stage=question.stage,
                            main_answer=main,
                            red_flag=hinted.hinted_red_flag if hinted else None,
                            red_flag_reply=hinted.answer if hinted else None,
                            session_id=self.session_id, position=position)

    def record_grade(self, position: int, grade: Grade) -> None:
        self.grades[position] = grade
        self.services.store.save_grade(self.session_id, position, grade, turn_score(self.state.turns[position], grade),
                                       judge=self.grader.name)

    def grade(self, position: int) -> Grade:
        """Grade and save in this thread. The TUI instead grades in a worker and calls `record_grade`."""
        grade = self.grader.grade(self.grade_request(position))
        self.record_grade(position, grade)
        return grade

    def ungraded(self) -> list[int]:
        """Answered turns with no grade yet (e.g. after a crash)."""
        return [t.position for t in self.state.turns if t.status == "answered" and t.position not in self.grades]

    def grade_pending(self) -> list[int]:
        pending = self.ungraded()
        for position in pending:
            self.grade(position)
        return pending

    def handle_grading(self, actions: list[Action]) -> list[tuple[int, Grade]]:
        return [(action.position, self.grade(action.position)) for action in actions if isinstance(action, GradeTurn)]

    def report(self) -> Report:
        self.grade_pending()
        bank, earlier = self.services.bank, None
        if is_practice(bank, self.state.plan):
            from mockmle.app.practice_history import earlier_results

            earlier = earlier_results(self.services.store.db, bank, self.session_id, self.state)
        report = build_report(bank, self.state, self.grades, earlier)
        self.services.store.save_report(self.session_id, report)
        return report

    def write_debrief(self, report: Report, on_delta=None) -> tuple[str | None, str | None]:
        """The model interviewer's debrief from the graded facts: (text, None) or (None, why not). No database use."""
        return write_debrief(self.services, self.session_id, self.state, self.grades, report, on_delta)

    def save_debrief(self, report: Report, text: str) -> Report:
        return save_debrief(self.services, self.session_id, report, text)
