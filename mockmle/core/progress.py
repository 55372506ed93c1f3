"""Weak areas over time: rolling estimates, trends, confidence and the spaced-repetition schedule.

Everything here is arithmetic over one item's history (a competency, an area to cover, a rule
check, a misconception, a delivery check of spoken answers or a question), given oldest first as values between 0 and 1. The store
keeps the results per item; the shells only read them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from mockmle.core.delivery import Delivery
from mockmle.core.grading.models import Grade

Kind = Literal["question", "competency", "area", "check", "misconception", "delivery"]
Sureness = Literal["low", "medium", "high"]
TrendLabel = Literal["new", "improving", "steady", "slipping"]

# Each older answer counts this much less than the one after it: the fifth most recent weighs a quarter.
DECAY = 0.7
# What a single answer says about its spread before there is more than one: about one band in four.
PRIOR_SD = 0.25
PRIOR_WEIGHT = 1.0
# At or above this (band 3 of 4, an area covered) an answer passes the schedule; below, it comes back.
PASS = 0.7
# An area whose estimate is below this is weak; the weakest are the lowest upper bounds.
WEAK = 0.6
TREND_WINDOW = 8
MAX_INTERVAL_DAYS = 365.0
TREND_STEP = 0.15
AREA_VALUES = {"covered": 1.0, "partly": 0.5, "missed": 0.0}


@dataclass(frozen=True)
class Event:
    """One observation of one item in one answer."""

    kind: Kind
    key: str
    value: float


@dataclass(frozen=True)
class Estimate:
    n: int
    mean: float
    estimate: float
    spread: float
    confidence: Sureness
    trend: float
    trend_label: TrendLabel


@dataclass(frozen=True)
class Schedule:
    """SM-2 state of an item that has gone badly at least once."""

    ease: float
    reps: int
    interval_days: float
    due_at: str
    lapses: int


def events_for_grade(grade: Grade, question_id: str, turn_score: float) -> list[Event]:
    """What one graded answer says about each item it touches; `turn_score` is the scorecard's (hints cost)."""
    score = turn_score / 4
    events = [Event("question", question_id, score)]
    for competency_id, level in grade.competencies.items():
        events.append(Event("competency", competency_id, min(level / 4, score)))
    for area in grade.areas:
        events.append(Event("area", area.area, AREA_VALUES[area.status]))
    for check in grade.checks:
        events.append(Event("check", check.id, 1.0 if check.passed else 0.0))
    for found in grade.misconceptions:
        events.append(Event("misconception", found.misconception, 0.0))
    return _first_of_each(events)


def events_for_delivery(deliveries: Sequence[Delivery]) -> list[Event]:
    """Each delivery check of the spoken parts of one answer: the share of them that passed it."""
    results: dict[str, list[bool]] = {}
    for delivery in deliveries:
        for check in delivery.checks:
            results.setdefault(check.id, []).append(check.passed)
    return [Event("delivery", check_id, sum(passed) / len(passed)) for check_id, passed in results.items()]


def events_for_skip(question_id: str) -> list[Event]:
    """A skipped question scores 0 and comes back in the next drill; it says nothing about areas."""
    return [Event("question", question_id, 0.0)]


def _first_of_each(events: list[Event]) -> list[Event]:
    seen: set[tuple[str, str]] = set()
    out = []
    for event in events:
        if (event.kind, event.key) not in seen:
            seen.add((event.kind, event.key))
            out.append(event)
    return out


def estimate(values: list[float]) -> Estimate:
    """A recency-weighted mean with how sure it is, and the direction of the last few answers."""
    if not values:
        raise ValueError("no values to estimate from")
    n = len(values)
    weights = [DECAY ** (n - 1 - i) for i in range(n)]
    total = sum(weights)
    current = sum(w * v for w, v in zip(weights, values, strict=True)) / total
    effective = total * total / sum(w * w for w in weights)
    scatter = sum(w * (v - current) ** 2 for w, v in zip(weights, values, strict=True))
    sd = math.sqrt((scatter + PRIOR_SD**2 * PRIOR_WEIGHT) / (total + PRIOR_WEIGHT))
    spread = sd / math.sqrt(effective)
    confidence: Sureness
    if n >= 5 and spread <= 0.08:
        confidence = "high"
    elif n >= 3 and spread <= 0.15:
        confidence = "medium"
    else:
        confidence = "low"
    change = _trend(values[-TREND_WINDOW:])
    label: TrendLabel
    if n < 3:
        label = "new"
    elif change >= TREND_STEP:
        label = "improving"
    elif change <= -TREND_STEP:
        label = "slipping"
    else:
        label = "steady"
    return Estimate(n=n, mean=sum(values) / n, estimate=current, spread=spread, confidence=confidence,
                    trend=change, trend_label=label)


def _trend(values: list[float]) -> float:
    """The least-squares change across the window, from its first answer to its last."""
    m = len(values)
    if m < 2:
        return 0.0
    xs = range(m)
    x_mean = (m - 1) / 2
    y_mean = sum(values) / m
    slope = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, values, strict=True)) / sum((x - x_mean) ** 2 for x in xs)
    return slope * (m - 1)


def quality(value: float) -> int:
    """SM-2's 0-5 answer quality; below PASS is always a failure (0-2), at or above a pass (3-5)."""
    q = int(value * 5 + 0.5)
    return min(q, 2) if value < PASS else max(q, 3)


def schedule(reviews: list[tuple[str, float]]) -> Schedule | None:
    """Replay SM-2 over (when, value) oldest first. None until the item has gone badly once.

    A failure resets the item and makes it due at once, so the next drill asks it again; each
    pass pushes it out further (1 day, 6 days, then the last interval times the ease).
    """
    ease, reps, interval, lapses = 2.5, 0, 0.0, 0
    entered = False
    due = None
    for at, value in reviews:
        q = quality(value)
        if q < 3:
            entered = True
            reps, interval = 0, 0.0
            lapses += 1
        else:
            reps += 1
            interval = 1.0 if reps == 1 else 6.0 if reps == 2 else min(MAX_INTERVAL_DAYS, round(interval * ease, 1))
        ease = max(1.3, ease + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02))
        due = add_days(at, interval)
    if not entered or due is None:
        return None
    return Schedule(ease=round(ease, 3), reps=reps, interval_days=interval, due_at=due, lapses=lapses)


def add_days(at: str, days: float) -> str:
    return (datetime.fromisoformat(at) + timedelta(days=days)).isoformat(timespec="seconds")


def weakness(estimate_value: float, spread: float) -> float:
    """How weak an item surely is: its upper bound. A gap seen five times outranks one seen once."""
    return estimate_value + spread
