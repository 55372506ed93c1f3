"""Weak areas over time: rolling estimates, trends, confidence and the spaced-repetition schedule (FSRS).

Everything here is arithmetic over one item's history (a competency, an area to cover, a rule
check, a misconception, a delivery check of spoken answers or a question), given oldest first as values between 0 and 1. The store
keeps the results per item; the shells only read them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Literal

from mockmle.core.delivery import Delivery
from mockmle.core.grading.models import Grade
from mockmle.errors import UsageError

if TYPE_CHECKING:
    import fsrs

Kind = Literal["question", "competency", "area", "check", "misconception", "delivery"]
Sureness = Literal["low", "medium", "high"]
TrendLabel = Literal["new", "improving", "steady", "slipping"]

# Each older answer counts this much less than the one after it: the fifth most recent weighs a quarter.
DECAY = 0.7
# What a single answer says about its spread before there is more than one: about one band in four.
PRIOR_SD = 0.25
PRIOR_WEIGHT = 1.0
# FSRS's ratings (fsrs.Rating's values, so the package loads only when a schedule is worked out).
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATINGS = (AGAIN, AGAIN, HARD, GOOD, EASY)  # by whole band kept, 0-4
# An area whose estimate is below this is weak; the weakest are the lowest upper bounds.
WEAK = 0.6
TREND_WINDOW = 8
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
    """FSRS card state of an item that has gone badly at least once (`state`: 1 learning, 2 review, 3 relearning)."""

    stability: float
    difficulty: float
    state: int
    step: int | None
    last_review: str
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


def rating(kind: str, value: float) -> int:
    """The FSRS rating (1 Again, 2 Hard, 3 Good, 4 Easy) of one answer's value for an item.

    A question is rated by the whole bands its turn score keeps: band 0-1 Again, 2 Hard, 3 Good, 4 Easy. A hint costs
    half a band on the scorecard, so one hint lowers the rating one step (never below Again); a skip scores 0, Again.
    An area is Good when covered, Hard when partly covered and Again when missed.
    """
    if kind == "area":
        return GOOD if value >= 1.0 else HARD if value >= 0.5 else AGAIN
    return RATINGS[max(0, min(4, math.floor(value * 4 + 1e-9)))]


def scheduler(parameters: Sequence[float] | None = None) -> fsrs.Scheduler:
    """FSRS-6 with the package's default parameters, or the candidate's own fitted ones.

    No random fuzz, so a replayed history always gives the same dates. One learning and one relearning step of zero
    minutes instead of Anki's 1 and 10: a drill never asks a question twice within minutes, so an item rated Again or
    Hard while learning is due at once (for the next drill, as SM-2 had it) and a pass moves it to FSRS's days.
    """
    return _scheduler(tuple(parameters) if parameters else None)


@cache
def _scheduler(parameters: tuple[float, ...] | None) -> fsrs.Scheduler:
    import fsrs

    return fsrs.Scheduler(parameters or fsrs.scheduler.DEFAULT_PARAMETERS, learning_steps=(timedelta(0),),
                          relearning_steps=(timedelta(0),), enable_fuzzing=False)


def schedule(kind: str, reviews: Sequence[tuple[str, float]],
             parameters: Sequence[float] | None = None) -> Schedule | None:
    """Replay FSRS over (when, value) oldest first. None until the item has gone badly once (rated Hard or Again).

    Every answer is a review: the card's stability and difficulty come from the whole replayed history, and it is
    due when FSRS expects recall to fall to 90%.
    """
    import fsrs

    plan = scheduler(parameters)
    card: fsrs.Card | None = None
    lapses = 0
    for at, value in reviews:
        when = utc(at)
        card = card or fsrs.Card(card_id=0, due=when)
        given = rating(kind, value)
        lapses += given <= HARD
        card, _ = plan.review_card(card, fsrs.Rating(given), when)
    if not lapses or card is None or card.stability is None or card.difficulty is None or card.last_review is None:
        return None
    return Schedule(stability=card.stability, difficulty=card.difficulty, state=int(card.state), step=card.step,
                    last_review=_iso(card.last_review), due_at=_iso(card.due), lapses=lapses)


def recall(stability: float, last_review: str, now: str, parameters: Sequence[float] | None = None) -> float:
    """FSRS's predicted probability, 0-1, that the item is recalled at `now`: its forgetting curve over the time
    since the last review in fractional days (the package counts whole days, so an item answered today would read
    100% however it went)."""
    decay = -scheduler(parameters).parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    elapsed = max(0.0, (utc(now) - utc(last_review)).total_seconds() / 86400)
    return (1 + factor * elapsed / stability) ** decay


def utc(at: str) -> datetime:
    """A stored timestamp as an aware UTC datetime (one without an offset is taken as UTC)."""
    when = datetime.fromisoformat(at)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def weakness(estimate_value: float, spread: float) -> float:
    """How weak an item surely is: its upper bound. A gap seen five times outranks one seen once."""
    return estimate_value + spread


# The package's optimizer learns from reviews made a day or more after the item's previous one, among each item's
# first 64; with fewer than 512 of them (one mini-batch) it returns the default parameters unchanged.
FIT_MIN_REVIEWS = 512
FIT_SEQUENCE = 64


def fit_reviews(histories: Sequence[tuple[str, Sequence[tuple[str, float]]]]) -> int:
    """How many of these (kind, [(when, value), ...]) reviews the optimizer can learn from."""
    count = 0
    for _, reviews in histories:
        times = [utc(at) for at, _ in reviews[:FIT_SEQUENCE]]
        count += sum((later - earlier).days > 0 for earlier, later in zip(times, times[1:], strict=False))
    return count


def fit_parameters(histories: Sequence[tuple[str, Sequence[tuple[str, float]]]]) -> list[float]:
    """The candidate's own FSRS parameters, fitted to every review of every scheduled item by the package's
    optimizer. Needs the optional extra `fsrs[optimizer]` (PyTorch); raises UsageError without it."""
    import fsrs

    try:
        from fsrs.optimizer import Optimizer
        logs = [fsrs.ReviewLog(card_id=card_id, rating=fsrs.Rating(rating(kind, value)), review_datetime=utc(at),
                               review_duration=None)
                for card_id, (kind, reviews) in enumerate(histories, 1) for at, value in reviews]
        optimizer = Optimizer(logs)
    except ImportError:
        raise UsageError('fitting your own parameters needs the optimizer: pip install "fsrs[optimizer]==6.3.2" '
                         '(it brings PyTorch)') from None
    return [float(p) for p in optimizer.compute_optimal_parameters()]
