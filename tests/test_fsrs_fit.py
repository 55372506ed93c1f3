"""Fitting the candidate's own FSRS parameters: how many reviews count, what happens without the optimizer, and that
saved parameters reschedule every item. On a real SQLite database, events written as the store writes them."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta

import pytest

from mockmle.app.scheduling import fit_schedule
from mockmle.core.progress import FIT_MIN_REVIEWS, fit_reviews
from mockmle.errors import UsageError
from mockmle.store import open_db
from mockmle.store.progress import ProgressStore

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
HAS_TORCH = importlib.util.find_spec("torch") is not None


def history(db, items: int, reviews: int, days_apart: float) -> ProgressStore:
    """`items` questions, each answered `reviews` times `days_apart` days apart, missed first, then band 3."""
    for item in range(1, items + 1):
        db.execute("insert into progress_items (id, kind, key) values (?, 'question', ?)", [item, f"q{item}"])
        for review in range(reviews):
            at = (START + timedelta(days=review * days_apart, minutes=item)).isoformat(timespec="seconds")
            db.execute("insert into progress_events (item_id, at, session_id, position, value) values (?, ?, ?, 0, ?)",
                       [item, at, f"s{item}-{review}", 0.0 if review == 0 else 0.75])
    store = ProgressStore(db, clock=lambda: "")
    store.rebuild()
    return store


def test_only_reviews_a_day_or_more_after_the_previous_one_count():
    store = history(open_db(":memory:"), items=3, reviews=5, days_apart=2)
    assert fit_reviews(store.histories()) == 3 * 4
    same_day = history(open_db(":memory:"), items=3, reviews=5, days_apart=0.1)
    assert fit_reviews(same_day.histories()) == 0


def test_too_few_reviews_keep_the_defaults_and_say_how_many_are_needed():
    store = history(open_db(":memory:"), items=4, reviews=5, days_apart=2)
    with pytest.raises(UsageError, match=f"needs {FIT_MIN_REVIEWS} answers.*you have 16"):
        fit_schedule(store)
    assert store.parameters() is None


@pytest.mark.skipif(HAS_TORCH, reason="the optimizer is installed")
def test_without_the_optimizer_fitting_says_what_to_install():
    store = history(open_db(":memory:"), items=40, reviews=15, days_apart=2)
    assert fit_reviews(store.histories()) == 40 * 14 >= FIT_MIN_REVIEWS
    with pytest.raises(UsageError, match=r"fsrs\[optimizer\]"):
        fit_schedule(store)
    assert store.parameters() is None


@pytest.mark.skipif(not HAS_TORCH, reason="needs the optional fsrs[optimizer] (PyTorch)")
def test_the_optimizer_fits_and_keeps_parameters():
    store = history(open_db(":memory:"), items=40, reviews=15, days_apart=2)
    assert fit_schedule(store) == 40 * 14
    assert len(store.parameters() or []) == 21


def test_saved_parameters_reschedule_every_item():
    db = open_db(":memory:")
    store = history(db, items=2, reviews=3, days_apart=2)
    before = db.execute("select stability, due_at from progress_items order by id").fetchall()
    from fsrs.scheduler import DEFAULT_PARAMETERS

    slower = list(DEFAULT_PARAMETERS)
    slower[0] = slower[0] / 2  # a missed item starts out half as stable
    with db.atomic():
        store.save_parameters(slower, reviews=600, at=START.isoformat())
    assert store.parameters() == slower
    after = db.execute("select stability, due_at from progress_items order by id").fetchall()
    assert all(new[0] < old[0] and new[1] <= old[1] for old, new in zip(before, after, strict=True))
