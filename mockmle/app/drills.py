"""A drill session: what is due and what is weak, from the progress tables, as an interview plan."""

from __future__ import annotations

from mockmle.app.progress_view import build_progress
from mockmle.app.services import Services
from mockmle.core.drill import Target, choose_drill
from mockmle.core.plan import Plan, build_plan
from mockmle.core.progress_models import Progress
from mockmle.errors import MockmleError
from mockmle.reporting.text import plural


class NothingToDrill(MockmleError):
    """No graded history yet, or nothing due and nothing weak: a calm line, exit 1."""


def targets(progress: Progress) -> list[Target]:
    """Due questions first, then due areas, then the weakest areas, each with why it is there."""
    out = []
    for item in progress.due:
        if item.kind == "question":
            out.append(Target(item.question_ids, f"due again: it scored {item.last_value * 4:g}/4 last time"))
    for item in progress.due:
        if item.kind == "area":
            how = "only partly covered" if item.last_value else "missed"
            out.append(Target(item.question_ids, f"due again: last time you {how} \u201c{item.label}\u201d"))
    for area in progress.areas:
        if area.weak:
            out.append(Target(area.question_ids, f"weak area: \u201c{area.area}\u201d, covered {area.coverage:.0%} "
                                                 f"over {plural(area.answers, 'answer')}"))
    return out


def drill_plan(services: Services, count: int = 5, seed: int | None = None, now: str | None = None,
               time_per_question: int | None = None, max_follow_ups: int = 1) -> Plan:
    if count < 1:
        raise MockmleError("the number of questions must be at least 1")
    progress = build_progress(services.store.progress, services.bank, now=now)
    if not progress.answers:
        raise NothingToDrill("nothing to drill yet: no graded answers. Play an interview first (mockmle interview)")
    picks = choose_drill(services.bank, targets(progress), services.store.progress.asked_questions(), count=count,
                         seed=seed)
    if not picks:
        raise NothingToDrill("nothing to drill: nothing is due and no area is weak. "
                             "Try new questions with `mockmle interview`")
    plan = build_plan(services.bank, question_ids=[p.question_id for p in picks], seed=seed,
                      time_per_question=time_per_question, max_follow_ups=max_follow_ups)
    return plan.model_copy(update={"kind": "drill", "reasons": {p.question_id: p.reason for p in picks}})
