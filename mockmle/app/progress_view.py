"""What the candidate sees of their progress: built from the progress tables and the bank.

Used by `mockmle progress`, the TUI's Progress screen, drills and `mockmle report`. Only
aggregates and a handful of evidence rows are read, so it stays fast with a long history.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from mockmle.core.bank import Bank
from mockmle.core.clock import utc_now
from mockmle.core.delivery import CHECK_LABELS
from mockmle.core.grading.models import Grade
from mockmle.core.progress import WEAK, recall, weakness
from mockmle.core.progress_models import (
    AnswerEvidence,
    AreaProgress,
    CheckProgress,
    CompetencyProgress,
    DueItem,
    MisconceptionSeen,
    Point,
    Progress,
    WeakArea,
)

if TYPE_CHECKING:
    from mockmle.store.progress import ProgressStore

SERIES_POINTS = 60
EVIDENCE_ANSWERS = 3


def build_progress(store: ProgressStore, bank: Bank, now: str | None = None, weakest: int = 3) -> Progress:
    now = now or utc_now()
    items = store.items()
    by_kind: dict[str, list[dict]] = {}
    for item in items:
        by_kind.setdefault(item["kind"], []).append(item)

    areas = sorted((_area(item) for item in by_kind.get("area", []) if _probed(bank, item)),
                   key=lambda a: (weakness(a.coverage, a.spread), -a.answers, a.area))
    weak = [a for a in areas if a.weak][:weakest]
    sessions = store.session_count()
    return Progress(
        generated_at=now,
        sessions=sessions,
        answers=sum(item["n"] for item in by_kind.get("question", [])),
        competencies=_competencies(store, bank, by_kind.get("competency", [])),
        weakest=[_with_evidence(store, bank, area) for area in weak],
        areas=areas,
        checks=sorted((_check(bank, item) for item in by_kind.get("check", [])), key=lambda c: (c.pass_rate, c.id)),
        delivery=sorted((_pass_rate(item, CHECK_LABELS.get(item["key"], item["key"]))
                         for item in by_kind.get("delivery", [])), key=lambda c: (c.pass_rate, c.id)),
        misconceptions=sorted((MisconceptionSeen(misconception=i["key"], count=i["n"], first_at=i["first_at"],
                                                 last_at=i["last_at"]) for i in by_kind.get("misconception", [])),
                              key=lambda m: (-m.count, m.misconception)),
        due=_due(bank, items, now, store.parameters()),
    )


def _probed(bank: Bank, item: dict) -> bool:
    return areas_are_candidates(bank, json.loads(item["questions"] or "[]"))


def areas_are_candidates(bank: Bank, question_ids: list[str]) -> bool:
    """Areas of questions whose areas are only interviewer's notes are not the candidate's to cover."""
    return any(q is None or q.probe_areas for q in map(bank.questions.get, question_ids))


def _trend_label(item: dict) -> str:
    """The stored direction, or "new" while every answer is from one day: those are mostly one session's answers to
    different questions, whose order says nothing about the candidate (the chart's line starts on the second day
    too)."""
    return "new" if item["first_at"][:10] == item["last_at"][:10] else item["trend_label"]


def _area(item: dict) -> AreaProgress:
    return AreaProgress(
        area=item["key"], question_ids=json.loads(item["questions"]), stages=json.loads(item["stages"]),
        coverage=item["estimate"], spread=item["spread"], confidence=item["confidence"],
        trend_label=_trend_label(item), answers=item["n"], last_at=item["last_at"], due_at=item["due_at"],
        weak=item["estimate"] < WEAK,
    )


def competency_names(bank: Bank) -> dict[str, str]:
    names = {c.id: c.name for c in bank.outcomes}
    for card in bank.scorecards.values():
        for row in card.competencies:
            names.setdefault(row.id, row.name)
    return names


def _competencies(store: ProgressStore, bank: Bank, items: list[dict]) -> list[CompetencyProgress]:
    names = competency_names(bank)
    series = competency_series(store)
    rows = [CompetencyProgress(
        id=i["key"], name=names.get(i["key"], i["key"]), stages=json.loads(i["stages"]),
        level=round(i["estimate"] * 4, 2), spread=round(i["spread"] * 4, 2), confidence=i["confidence"],
        trend=round(i["trend"] * 4, 2), trend_label=_trend_label(i), answers=i["n"], last_at=i["last_at"],
        series=series.get(i["key"], []),
    ) for i in items]
    return sorted(rows, key=lambda c: (c.level, c.name))


def competency_series(store: ProgressStore) -> dict[str, list[Point]]:
    """Each competency's level over time: its span of days cut into at most SERIES_POINTS equal stretches."""
    out: dict[str, list[Point]] = {}
    for key, day, total, count in store.competency_days(SERIES_POINTS):
        out.setdefault(key, []).append(Point(date=day, level=round(4 * total / count, 2), answers=count))
    return out


def _with_evidence(store: ProgressStore, bank: Bank, area: AreaProgress) -> WeakArea:
    rows = store.area_evidence(area.area, EVIDENCE_ANSWERS)
    evidence, not_covered = [], set()
    for session_id, position, question_id, value, at, payload in rows:
        grade = _grade_or_none(payload)
        question = bank.questions.get(question_id)
        evidence.append(AnswerEvidence(
            session_id=session_id, position=position, question_id=question_id,
            question=question.prompt if question else question_id, at=at,
            status={1.0: "covered", 0.5: "partly"}.get(value, "missed"), band=grade.band if grade else None,
            missed=grade.missed_areas() if grade else [],
        ))
        if grade:
            not_covered |= {k.area for k in grade.key_points if k.status != "covered"}
    return WeakArea(**area.model_dump(), evidence=evidence, key_points=key_points_for(bank, area, not_covered))


def key_points_for(bank: Bank, area: AreaProgress, not_covered: set[str], limit: int = 3) -> list[str]:
    """The key points of the area's questions that speak to it: those that spell it out (at least half the closest
    one's share of its words) before those that only share a word or two with it, and in each group those the
    answers missed first. Missed-first alone listed, for "How the models' predictions are combined", three boosting
    points that merely share "models" ahead of "Bagging combines the models by averaging or majority vote"."""
    wanted = bank.weights.terms(area.area)
    points = [k for qid in area.question_ids if (q := bank.questions.get(qid)) for k in q.key_points]
    scored = [(bank.weights.overlap(wanted, bank.weights.terms(k)), k in not_covered, k) for k in dict.fromkeys(points)]
    relevant = [s for s in scored if s[0] >= 0.2] or [s for s in scored if s[1]]
    closest = max((s[0] for s in relevant), default=0.0)
    relevant.sort(key=lambda s: (s[0] < closest / 2, -s[1], -s[0]))
    return [k for _, _, k in relevant[:limit]]


def _check(bank: Bank, item: dict) -> CheckProgress:
    check = bank.checks.get(item["key"])
    return _pass_rate(item, check.description if check else item["key"])


def _pass_rate(item: dict, description: str) -> CheckProgress:
    return CheckProgress(id=item["key"], description=description, pass_rate=item["estimate"], answers=item["n"],
                         trend_label=_trend_label(item), last_at=item["last_at"])


def _due(bank: Bank, items: list[dict], now: str, parameters: list[float] | None) -> list[DueItem]:
    due = []
    for item in items:
        if item["kind"] not in ("question", "area") or not item["due_at"] or item["due_at"] > now:
            continue
        if item["kind"] == "question":
            question = bank.questions.get(item["key"])
            if question is None:
                continue
            label, question_ids = question.prompt, [question.id]
        else:
            if not _probed(bank, item):
                continue
            label, question_ids = item["key"], json.loads(item["questions"])
        due.append(DueItem(kind=item["kind"], key=item["key"], label=label, question_ids=question_ids,
                           due_at=item["due_at"], lapses=item["lapses"], last_value=item["last_value"],
                           recall=_recall(item, now, parameters)))
    return sorted(due, key=lambda d: (d.due_at, d.last_value, d.kind, d.key))


def _recall(item: dict, now: str, parameters: list[float] | None) -> float:
    if item["stability"] is None or item["last_review"] is None:
        return 0.0
    return round(recall(item["stability"], item["last_review"], now, parameters), 4)


def _grade_or_none(payload: str | None) -> Grade | None:
    """A damaged grade row (see store.sessions.DamagedSession) shows as ungraded evidence, not a crash."""
    try:
        return Grade.model_validate_json(payload) if payload else None
    except ValueError:
        return None
