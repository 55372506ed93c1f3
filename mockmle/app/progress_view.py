"""What the candidate sees of their progress: built from the progress tables and the bank.

Used by `mockmle progress`, the TUI's Progress screen, drills and `mockmle report`. Only
aggregates and a handful of evidence rows are read, so it stays fast with a long history.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from mockmle.core.bank import Bank
from mockmle.core.delivery import CHECK_LABELS
from mockmle.core.grading.models import Grade
from mockmle.core.progress import WEAK, weakness
from mockmle.core.clock import utc_now

if TYPE_CHECKING:
    import sqlite_utils

SERIES_POINTS = 60
EVIDENCE_ANSWERS = 3


class View(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Point(View):
    date: str
    level: float = Field(description="Mean competency level that day (or span of days), 0-4.")
    answers: int


class CompetencyProgress(View):
    id: str
    name: str
    stages: list[str]
    level: float = Field(description="Recency-weighted level, 0-4.")
    spread: float = Field(description="Plus or minus this much, in levels.")
    confidence: str
    trend: float = Field(description="Change across the last few answers, in levels.")
    trend_label: str
    answers: int
    last_at: str
    series: list[Point] = Field(default_factory=list)


class AnswerEvidence(View):
    session_id: str
    position: int
    question_id: str
    question: str
    at: str
    status: str
    band: int | None
    missed: list[str] = Field(default_factory=list, description="Areas this answer missed.")


class AreaProgress(View):
    area: str
    question_ids: list[str]
    stages: list[str]
    coverage: float = Field(description="Recency-weighted coverage, 0-1 (covered 1, partly 0.5, missed 0).")
    spread: float
    confidence: str
    trend_label: str
    answers: int
    last_at: str
    due_at: str | None
    weak: bool


class WeakArea(AreaProgress):
    evidence: list[AnswerEvidence]
    key_points: list[str] = Field(description="What a strong answer says: the key points those answers missed.")


class CheckProgress(View):
    id: str
    description: str
    pass_rate: float
    answers: int
    trend_label: str
    last_at: str


class MisconceptionSeen(View):
    misconception: str
    count: int
    first_at: str
    last_at: str


class DueItem(View):
    kind: str = Field(description="question or area")
    key: str
    label: str
    question_ids: list[str]
    due_at: str
    lapses: int
    last_value: float


class Progress(View):
    generated_at: str
    sessions: int
    answers: int
    competencies: list[CompetencyProgress]
    weakest: list[WeakArea]
    areas: list[AreaProgress]
    checks: list[CheckProgress]
    delivery: list[CheckProgress] = Field(default_factory=list, description="How spoken answers were delivered.")
    misconceptions: list[MisconceptionSeen]
    due: list[DueItem]


def build_progress(db: sqlite_utils.Database, bank: Bank, now: str | None = None, weakest: int = 3) -> Progress:
    now = now or utc_now()
    items = [dict(zip(_ITEM_COLUMNS, row, strict=True))
             for row in db.execute(f"select {', '.join(_ITEM_COLUMNS)} from progress_items where n is not null")]
    by_kind: dict[str, list[dict]] = {}
    for item in items:
        by_kind.setdefault(item["kind"], []).append(item)

    areas = sorted((_area(item) for item in by_kind.get("area", []) if _probed(bank, item)),
                   key=lambda a: (weakness(a.coverage, a.spread), -a.answers, a.area))
    weak = [a for a in areas if a.weak][:weakest]
    sessions = db.execute("select count(*) from sessions").fetchone()[0]
    return Progress(
        generated_at=now,
        sessions=sessions,
        answers=sum(item["n"] for item in by_kind.get("question", [])),
        competencies=_competencies(db, bank, by_kind.get("competency", [])),
        weakest=[_with_evidence(db, bank, area) for area in weak],
        areas=areas,
        checks=sorted((_check(bank, item) for item in by_kind.get("check", [])), key=lambda c: (c.pass_rate, c.id)),
        delivery=sorted((_pass_rate(item, CHECK_LABELS.get(item["key"], item["key"])) for item in by_kind.get("delivery", [])), key=lambda c: (c.pass_rate, c.id)),
        misconceptions=sorted((MisconceptionSeen(misconception=i["key"], count=i["n"], first_at=i["first_at"],
                                                 last_at=i["last_at"]) for i in by_kind.get("misconception", [])),
                              key=lambda m: (-m.count, m.misconception)),
        due=_due(bank, items, now),
    )


_ITEM_COLUMNS = ("kind", "key", "n", "estimate", "spread", "confidence", "trend", "trend_label", "first_at",
                 "last_at", "last_value", "questions", "stages", "due_at", "lapses")


def _probed(bank: Bank, item: dict) -> bool:
    return areas_are_candidates(bank, json.loads(item["questions"] or "[]"))


def areas_are_candidates(bank: Bank, question_ids: list[str]) -> bool:
    """Areas of questions whose areas are only interviewer's notes are not the candidate's to cover."""
    return any(q is None or q.probe_areas for q in map(bank.questions.get, question_ids))


def _area(item: dict) -> AreaProgress:
    return AreaProgress(
        area=item["key"], question_ids=json.loads(item["questions"]), stages=json.loads(item["stages"]),
        coverage=item["estimate"], spread=item["spread"], confidence=item["confidence"],
        trend_label=item["trend_label"], answers=item["n"], last_at=item["last_at"], due_at=item["due_at"],
        weak=item["estimate"] < WEAK,
    )


def competency_names(bank: Bank) -> dict[str, str]:
    names = {c.id: c.name for c in bank.outcomes}
    for card in bank.scorecards.values():
        for row in card.competencies:
            names.setdefault(row.id, row.name)
    return names


def _competencies(db: sqlite_utils.Database, bank: Bank, items: list[dict]) -> list[CompetencyProgress]:
    names = competency_names(bank)
    series = competency_series(db)
    rows = [CompetencyProgress(
        id=i["key"], name=names.get(i["key"], i["key"]), stages=json.loads(i["stages"]),
        level=round(i["estimate"] * 4, 2), spread=round(i["spread"] * 4, 2), confidence=i["confidence"],
        trend=round(i["trend"] * 4, 2), trend_label=i["trend_label"], answers=i["n"], last_at=i["last_at"],
        series=series.get(i["key"], []),
    ) for i in items]
    return sorted(rows, key=lambda c: (c.level, c.name))


def competency_series(db: sqlite_utils.Database) -> dict[str, list[Point]]:
    """Each competency's level over time: its span of days cut into at most SERIES_POINTS equal stretches."""
    out: dict[str, list[Point]] = {}
    for key, day, total, count in db.execute(
            "with span as (select d.item_id, julianday(min(d.day)) as lo, julianday(max(d.day)) - julianday(min(d.day)) + 1 "
            "as days from progress_days d join progress_items i on i.id = d.item_id where i.kind = 'competency' "
            "group by d.item_id) "
            "select i.key, max(d.day), sum(d.total), sum(d.count) from progress_days d join span s on s.item_id = d.item_id "
            "join progress_items i on i.id = d.item_id "
            "group by d.item_id, cast((julianday(d.day) - s.lo) * :points / s.days as integer) order by i.key, 2",
            {"points": SERIES_POINTS}):
        out.setdefault(key, []).append(Point(date=day, level=round(4 * total / count, 2), answers=count))
    return out


def _with_evidence(db: sqlite_utils.Database, bank: Bank, area: AreaProgress) -> WeakArea:
    rows = db.execute(
        "select e.session_id, e.position, t.question_id, e.value, e.at, g.payload from progress_events e "
        "join progress_items i on i.id = e.item_id "
        "join turns t on t.session_id = e.session_id and t.position = e.position "
        "left join grades g on g.session_id = e.session_id and g.position = e.position "
        "where i.kind = 'area' and i.key = ? order by e.at desc, e.session_id desc, e.position desc limit ?",
        [area.area, EVIDENCE_ANSWERS]).fetchall()
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
    """The key points of the area's questions that speak to it, those the answers missed first."""
    wanted = bank.weights.terms(area.area)
    points = [k for qid in area.question_ids if (q := bank.questions.get(qid)) for k in q.key_points]
    scored = [(bank.weights.overlap(wanted, bank.weights.terms(k)), k in not_covered, k) for k in dict.fromkeys(points)]
    relevant = [s for s in scored if s[0] >= 0.2] or [s for s in scored if s[1]]
    relevant.sort(key=lambda s: (-s[1], -s[0]))
    return [k for _, _, k in relevant[:limit]]


def _check(bank: Bank, item: dict) -> CheckProgress:
    check = bank.checks.get(item["key"])
    return _pass_rate(item, check.description if check else item["key"])


def _pass_rate(item: dict, description: str) -> CheckProgress:
    return CheckProgress(id=item["key"], description=description, pass_rate=item["estimate"], answers=item["n"],
                         trend_label=item["trend_label"], last_at=item["last_at"])


def _due(bank: Bank, items: list[dict], now: str) -> list[DueItem]:
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
                           due_at=item["due_at"], lapses=item["lapses"], last_value=item["last_value"]))
    return sorted(due, key=lambda d: (d.due_at, d.last_value, d.kind, d.key))


def _grade_or_none(payload: str | None) -> Grade | None:
    """A damaged grade row (see store.sessions.DamagedSession) shows as ungraded evidence, not a crash."""
    try:
        return Grade.model_validate_json(payload) if payload else None
    except ValueError:
        return None
