"""Try again in the app: t on Results (which Review opens) answers the highlighted question again; the new take is
graded in the screen's thread, saved, and shown beside the first. A real app (Pilot), real SQLite, the offline judge."""

from __future__ import annotations

import pytest

from conftest import play_session
from mockmle.app.retry import retry
from mockmle.app.services import Services
from mockmle.settings import Settings
from mockmle.tui.app import build_app
from mockmle.tui.screens.results import AnswerList, ResultsScreen
from mockmle.tui.screens.review import ReviewScreen
from mockmle.tui.screens.try_again import TryAgainScreen
from mockmle.tui.widgets.answer_editor import AnswerEditor
from test_results_screen import whole_page

pytestmark = pytest.mark.asyncio

WEAK = "Bias and variance are both kinds of error a model can have."
STRONG = ("Bias is error from wrong assumptions, so the model underfits; variance is sensitivity to the training "
          "sample, so it overfits. I would compare training and validation error: both high means bias, a large gap "
          "means variance.")


@pytest.fixture
def services(tmp_path):
    return Services(Settings(home=tmp_path / "home", meaning=False))


async def test_t_on_results_tries_the_highlighted_answer_again(services):
    session = play_session(services, ["technical.bias-variance", "applied-ml.why-tests"], [WEAK, None]).session_id
    first = services.store.get(session)
    app = build_app(services)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(ResultsScreen(services.store.get(session)))
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TryAgainScreen)
        assert "Question 1, again: Explain the bias-variance tradeoff" in whole_page(screen, 200)
        assert app.focused is screen.query_one(AnswerEditor)

        await pilot.press("ctrl+s")  # nothing typed: nothing sent
        await pilot.pause()
        assert services.store.attempts.list(session) == []

        screen.query_one(AnswerEditor).replace_all(STRONG)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (attempt,) = services.store.attempts.list(session)
        assert attempt.answer == STRONG and attempt.attempt == 2
        page = whole_page(screen, 200)
        assert (f"Take 2 beside the first. Band then {first.grades[0].band}/4 \u2192 now {attempt.grade.band}/4"
                in page)
        assert "Newly covered" in page and "area: Connection to overfitting and underfitting (missed \u2192" in page

        results = app.screen_stack[-2]
        assert not results.query_one("#results-tried-again").display
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is results
        tried = results.query_one("#results-tried-again")
        assert tried.display and (f"Q1 Explain the bias-variance tradeoff and how it\u2026: first take "
                                  f"{first.grades[0].band}/4 \u2192 take 2 {attempt.grade.band}/4") in str(tried.content)
    after = services.store.get(session)
    assert after.grades == first.grades and after.report == first.report


async def test_from_review_only_a_graded_answer_can_be_tried_again(services):
    session = play_session(services, ["technical.bias-variance", "applied-ml.why-tests"], [WEAK, None]).session_id
    retry(services, session, 1, STRONG)  # tried again earlier, from the command line
    app = build_app(services)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ReviewScreen())
        await pilot.pause()
        assert app.screen.selected_id() == session
        await pilot.press("enter")
        await pilot.pause()
        results = app.screen
        assert isinstance(results, ResultsScreen) and results.from_review
        tried = results.query_one("#results-tried-again")
        assert tried.display and "first take" in str(tried.content) and "take 2" in str(tried.content)
        results.query_one(AnswerList).highlighted = 1  # the skipped one
        await pilot.press("t")
        await pilot.pause()
        assert app.screen is results
        assert any("was skipped: only a graded answer can be tried again" in str(n.message)
                   for n in app._notifications)
        results.query_one(AnswerList).highlighted = 0
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TryAgainScreen) and app.screen.attempt.number == 1
