"""The model interviewer's written debrief of a finished session: written from the graded facts, saved with the
scorecard. Used at the end of a CLI interview and when Results opens a session that has none yet."""

from __future__ import annotations

from collections.abc import Callable

from mockmle.app.services import Services
from mockmle.core.grading.models import Grade
from mockmle.core.interview import InterviewState
from mockmle.core.scorecard import Report


def write_debrief(services: Services, session_id: str, state: InterviewState, grades: dict[int, Grade],
                  report: Report, on_delta: Callable[[str], None] | None = None) -> tuple[str | None, str | None]:
    """(text, None) or (None, why not); (None, None) when there is nothing to write or no model to write it.
    No database use, so a shell can call this from a worker thread."""
    from mockmle.core.debrief import debrief_facts
    from mockmle.llm.faults import LLMError

    if services.interviewer is None or not report.answered:
        return None, None
    if services.llm is not None and services.llm.breaker.is_open:
        return None, None  # the model is not called again this session, which the shell has said once
    facts = debrief_facts(services.bank, report, state, grades)
    try:
        return services.interviewer.debrief(facts, on_delta=on_delta, session_id=session_id), None
    except LLMError as error:
        return None, error.line


def save_debrief(services: Services, session_id: str, report: Report, text: str) -> Report:
    """The scorecard with the written debrief, saved."""
    assert services.interviewer is not None, "only a model interviewer writes a debrief"
    debrief = report.debrief.model_copy(update={"written": text, "written_by": services.interviewer.model})
    report = report.model_copy(update={"debrief": debrief})
    services.store.save_report(session_id, report)
    return report
