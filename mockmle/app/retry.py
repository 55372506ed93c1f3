"""Try again: answer an answered question of a session once more, graded the same way as the first take and shown
beside it (core/retry.py). The take is kept as another attempt of the same question (store/attempts.py) and counts in
progress; the first take and the session's scorecard stay as they were: the scorecard is the interview's.

`Retry` reads the session on the caller's thread; `grade` uses no database, so the app runs it in a worker, then
`save` stores the take on the main thread. `retry` does all three for the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockmle.app.runner import InterviewRunner
from mockmle.app.services import Services
from mockmle.core.grading.models import Grade
from mockmle.core.practice import short
from mockmle.core.retry import Comparison, compare
from mockmle.errors import UsageError

if TYPE_CHECKING:
    from mockmle.store.sessions import SessionRecord


@dataclass(frozen=True)
class RetryResult:
    session_id: str
    number: int  # the question's number in the session, from 1
    attempt: int  # 2 for the first try again
    question: str
    answer: str
    first: Grade
    now: Grade
    comparison: Comparison

    def to_json(self) -> dict:
        return {"session_id": self.session_id, "question": self.number, "attempt": self.attempt,
                "prompt": self.question, "band_before": self.first.band, "band_now": self.now.band,
                "judge": self.now.provenance.judge,
                "points": [point.model_dump() for point in self.comparison.points if point.change != "kept"],
                "covered_both_times": len(self.comparison.of("kept"))}


class Retry:
    def __init__(self, services: Services, session_id: str, number: int):
        record = services.store.get(session_id)
        turns = record.state.turns
        if not 1 <= number <= len(turns):
            has = f"it has questions 1-{len(turns)}" if turns else "no question was asked yet"
            raise UsageError(f"session {record.id} has no question {number} ({has})")
        turn = turns[number - 1]
        first = record.grades.get(turn.position)
        if turn.status != "answered" or first is None:
            why = "was skipped" if turn.status == "skipped" else "is not answered and graded yet"
            raise UsageError(f"question {number} of session {record.id} {why}: only a graded answer can be tried again")
        self.services = services
        self.session_id = record.id
        self.number = number
        self.position = turn.position
        self.question = turn.exchanges[0].prompt
        self.first = first
        runner = InterviewRunner(services, record.id, record.state, record.grades,
                                 grader=services.grader_for(record.judge or "offline"))
        self.grader = runner.grader
        # The new take answers the question alone: no follow-ups, no warning sign hinted.
        self._request = runner.grade_request(turn.position).model_copy(
            update={"main_answer": None, "red_flag": None, "red_flag_reply": None})

    def grade(self, answer: str) -> Grade:
        """Grade the new take with the session's judge. No database use: safe in a worker thread."""
        return self.grader.grade(self._request.model_copy(update={"answer": answer}))

    def save(self, answer: str, grade: Grade) -> RetryResult:
        attempt = self.services.store.attempts.save(self.session_id, self.position, answer, grade)
        return RetryResult(self.session_id, self.number, attempt.attempt, self.question, answer, self.first, grade,
                           compare(self.first, grade))


def checked_answer(text: str) -> str:
    answer = text.strip()
    if not answer:
        raise UsageError("the new answer is empty: nothing to grade")
    return answer


def retry(services: Services, session_id: str, number: int, answer_text: str) -> RetryResult:
    """Grade `answer_text` as a new take of question `number` (from 1) of the session, save it, compare it."""
    answer = checked_answer(answer_text)
    attempt = Retry(services, session_id, number)
    return attempt.save(answer, attempt.grade(answer))


def tried_again(services: Services, record: SessionRecord) -> list[str]:
    """One line per question of the session answered again: the first take's band, then the latest take's."""
    latest = {attempt.position: attempt for attempt in services.store.attempts.list(record.id)}
    lines = []
    for position, attempt in sorted(latest.items()):
        first = record.grades.get(position)
        before = f"{first.band}/4" if first else "not graded"
        prompt = short(record.state.turns[position].exchanges[0].prompt, 50)
        lines.append(f"Q{position + 1} {prompt}: first take {before} \u2192 take {attempt.attempt} "
                     f"{attempt.grade.band}/4")
    return lines
