"""Review with a long history: a first page of sessions, the next ones as the cursor nears the end, the filter
over every session, and the store's paged listing behind it."""

from __future__ import annotations

import contextlib

import pytest

import mockmle.tui.screens.review as review_module
from mockmle.app.services import Services
from mockmle.core.interview import build_plan
from mockmle.settings import Settings
from mockmle.store import open_db
from mockmle.store.sessions import SessionStore
from mockmle.tui.app import build_app
from mockmle.tui.screens.review import ReviewScreen

SESSIONS = 12


@pytest.fixture
def services(tmp_path) -> Services:
    """12 unfinished sessions an hour apart; the oldest is the only applied-ml one."""
    services = Services(Settings(home=tmp_path / "home"))
    now = ["2026-01-01T00:00:00+00:00"]
    services.store = SessionStore(open_db(services.settings.db_path), clock=lambda: now[0])
    for hour in range(SESSIONS):
        now[0] = f"2026-01-01T{hour:02d}:00:00+00:00"
        question = "applied-ml.why-tests" if hour == 0 else "technical.bias-variance"
        services.store.create(services.interview.new(build_plan(services.bank, question_ids=[question])), judge="offline")
    return services


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(review_module, "PAGE", 5)
    monkeypatch.setattr(review_module, "NEAR_END", 2)


def test_the_store_pages_its_listing_newest_first(services):
    store = services.store
    everything = store.list(with_questions=True)
    assert len(everything) == store.count() == SESSIONS and store.count(status="finished") == 0
    assert store.page(5, with_questions=True) == everything[:5]
    assert store.page(5, offset=10, with_questions=True) == everything[10:]
    assert store.page(None) == store.list()


@contextlib.asynccontextmanager
async def review_opened(services):
    """(pilot, the Review screen, its table), Review opened in the real app."""
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.push_screen(ReviewScreen())
        await pilot.pause()
        yield pilot, app.screen, app.screen.query_one("DataTable")


@pytest.mark.asyncio
async def test_review_lists_a_page_then_more_as_the_cursor_nears_the_end(services, small_pages):
    async with review_opened(services) as (pilot, review, table):
        count = str(review.query_one("#review-count").render())
        assert table.row_count == 5 and "12 of 12 sessions" in count and "5 listed" in count
        newest = [row["id"] for row in services.store.list()]
        assert review.selected_id() == newest[0]
        await pilot.press("down", "down", "down")  # within NEAR_END of the last row
        await pilot.pause()
        assert table.row_count == 10
        await pilot.press(*["down"] * 5)
        await pilot.pause()
        assert table.row_count == SESSIONS and [row["id"] for row in review.rows] == newest
        assert "listed" not in str(review.query_one("#review-count").render())
        await pilot.press("d", "y")  # deleting keeps every row that was listed, less the one deleted
        await pilot.pause()
        assert table.row_count == SESSIONS - 1 and services.store.count() == SESSIONS - 1


@pytest.mark.asyncio
async def test_the_filter_reads_sessions_not_yet_listed(services, small_pages):
    async with review_opened(services) as (pilot, review, table):
        assert table.row_count == 5
        await pilot.press("slash", *"applied")
        await pilot.pause()
        oldest = services.store.list()[-1]["id"]
        assert table.row_count == 1 and review.selected_id() == oldest
        assert "1 of 12 sessions match" in str(review.query_one("#review-count").render())
        await pilot.press("escape")  # clears the filter: every session again, listed down to the row the user is on
        await pilot.pause()
        assert review.selected_id() == oldest and table.row_count == SESSIONS
