"""Drive one interview: feed events to the engine, save after every step, grade finished turns."""

from __future__ import annotations

from mockmle.core.grading.models import Grade, GradeRequest
from mockmle.core.interview import Action, Event, GradeTurn, InterviewState, Plan, Start
from mockmle.core.scorecard import Report, build_report, turn_score
from mockmle.services import Services


class InterviewRunner:
    def __init__(self, services: Services, session_id: str, state: InterviewState, grades: dict[int, Grade] | None = None):
        self.services = services
        self.session_id = session_id
        self.state = state
        self.grades: dict[int, Grade] = dict(grades or {})

    @classmethod
    def create(cls, services: Services, plan: Plan) -> InterviewRunner:
        state = services.interview.new(plan)
        session_id = services.store.create(state, judge=services.grader.name)
        return cls(services, session_id, state)

    @classmethod
    def resume(cls, services: Services, session_id: str) -> InterviewRunner:
        record = services.store.get(session_id)
        return cls(services, record.id, record.state, record.grades)

    @property
    def finished(self) -> bool:
        return self.state.status == "finished"

    def start(self) -> list[Action]:
        """First question of a new interview, or the open question of a resumed one."""
        return self.send(Start())

    def send(self, event: Event) -> list[Action]:
        """Apply one event and save at once; grading is left to the caller (see `grade`)."""
        self.state, actions = self.services.interview.transition(self.state, event)
        self.services.store.save_state(self.session_id, self.state)
        return actions

    def grade_request(self, position: int) -> GradeRequest:
        turn = self.state.turns[position]
        question = self.services.bank.question(turn.question_id)
        return GradeRequest(question_text=question.prompt, question=question, answer=turn.answer_text(), stage=question.stage)

    def record_grade(self, position: int, grade: Grade) -> None:
        self.grades[position] = grade
        self.services.store.save_grade(self.session_id, position, grade, turn_score(self.state.turns[position], grade))

    def grade(self, position: int) -> Grade:
        """Grade and save in this thread. The TUI instead grades in a worker and calls `record_grade`."""
        grade = self.services.grader.grade(self.grade_request(position))
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

    def handle_grading(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, GradeTurn):
                self.grade(action.position)

    def report(self) -> Report:
        self.grade_pending()
        report = build_report(self.services.bank, self.state, self.grades)
        self.services.store.save_report(self.session_id, report)
        return report
