"""The main answer counts: follow-ups add evidence, but cannot lift a weak main answer to the top band.

A candidate who rambles or misses the point and then answers a pointed follow-up well has been
led to the answer; a strong interviewer credits what the follow-up showed and still does not
rate the answer as excellent.
"""

from __future__ import annotations

from mockmle.core.grading.models import Grade, GradeRequest

TOP_BAND = 4
TOP_NEEDS_MAIN = 3  # the top band needs a main answer at least this good on its own


def main_answer_request(request: GradeRequest) -> GradeRequest | None:
    """The request for the main answer alone, or None when there is nothing beyond it."""
    main = (request.main_answer or "").strip()
    if not main or main == request.answer.strip():
        return None
    return request.model_copy(update={"answer": main, "main_answer": None, "red_flag": None, "red_flag_reply": None})


def bound_by_main(grade: Grade, main_band: int) -> Grade:
    band, explanation = grade.band, list(grade.explanation)
    if band >= TOP_BAND and main_band < TOP_NEEDS_MAIN:
        band = TOP_BAND - 1
        explanation.append(f"capped at {band}: the answer to the question itself scores {main_band}; "
                           "the follow-ups add evidence but cannot lift it to the top band")
    competencies = {cid: min(score, band) for cid, score in grade.competencies.items()}
    return grade.model_copy(update={"band": band, "main_band": main_band, "explanation": explanation,
                                    "competencies": competencies})


def main_band_note(grade: Grade) -> str:
    """"main answer 2/4" when follow-ups changed the band from what the main answer alone earned, else ""."""
    if grade.main_band is None or grade.main_band == grade.band:
        return ""
    return f"main answer {grade.main_band}/4"
