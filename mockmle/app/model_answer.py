"""What a strong answer to a question sounds like: the guide's, or one a model writes and the judge grades 4.

Without a model interviewer the answer is built from the question's key points (core/model_answer.py). With one,
the model writes an answer from the same key points; the judge the settings chose (the model's, or the offline
one) grades it, and it is shown only at band 4. Otherwise, or when the call fails, the guide's answer is
shown with a note saying why. A model's answer is kept in memory for the rest of the session, never stored: it is
graded on its own, with no session, and never enters a grade request for the candidate's answers.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from mockmle.core.grading.models import GradeRequest
from mockmle.core.model_answer import ModelAnswer, model_answer
from mockmle.errors import MockmleError

if TYPE_CHECKING:
    from mockmle.app.services import Services

SHOWN_BAND = 4


class ModelAnswers:
    """Model answers for one run of the app or one command; safe to call from worker threads."""

    def __init__(self, services: Services):
        self.services = services
        self._written: dict[str, ModelAnswer] = {}
        self._lock = threading.Lock()

    @property
    def writes(self) -> bool:
        """True when a model writes the answers (each one is a model call and a grade: run it off the UI thread)."""
        return self.services.interviewer is not None

    def guide(self, question_id: str) -> ModelAnswer:
        """The answer built from the interview guide's key points: no model, no I/O."""
        return model_answer(self.services.bank.question(question_id), self.services.phrasebook)

    def cached(self, question_id: str) -> ModelAnswer | None:
        with self._lock:
            return self._written.get(question_id)

    def answer(self, question_id: str) -> ModelAnswer:
        """The model's answer when one was written and graded 4 this session, or is now; else the guide's."""
        guide = self.guide(question_id)
        interviewer = self.services.interviewer
        if interviewer is None:
            return guide
        if (known := self.cached(question_id)) is not None:
            return known
        question = self.services.bank.question(question_id)
        stage = self.services.bank.stages[question.stage].title
        try:
            text = interviewer.model_answer(stage, question.prompt, list(question.areas), list(question.key_points))
        except MockmleError as exc:  # LLMError included: the guide's answer stands in for it
            return guide.model_copy(update={"note": f"The model's answer could not be written ({exc.line})."})
        judge = self.services.grader  # the judge the settings chose: the model's when it is configured and chosen
        grade = judge.grade(GradeRequest(question_text=question.prompt, question=question, answer=text))
        if grade.band < SHOWN_BAND:
            return guide.model_copy(update={
                "note": f"The model's answer graded {grade.band}/4 with the judge, so the guide's answer is shown."})
        written = ModelAnswer(question_id=question_id, text=text, source="model", model=interviewer.model,
                              judge="offline" if judge is self.services.offline_grader else "model", band=grade.band)
        with self._lock:
            self._written[question_id] = written
        return written
