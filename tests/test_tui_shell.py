"""The app's shell: Home's menu, export notices, the command palette and Review's filter, driven by Pilot."""

from __future__ import annotations

import pytest

from mockmle.app.services import Services
from mockmle.tui.app import build_app
from mockmle.tui.screens.progress import ProgressScreen
from mockmle.tui.screens.results import ResultsScreen
from mockmle.tui.screens.review import ReviewScreen
from mockmle.tui.screens.settings import SettingsScreen
from mockmle.tui.screens.setup import SetupScreen
from test_tui_pilot import open_interview, seed_sessions, settle

pytestmark = pytest.mark.asyncio


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize(("row", "screen"), [(0, SetupScreen), (1, ReviewScreen), (2, ProgressScreen), (3, SettingsScreen)])
async def test_enter_on_a_home_menu_row_opens_it(services: Services, row: int, screen: type) -> None:
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*["down"] * row, "enter")
        await settle(pilot)
        assert isinstance(app.screen, screen)


async def test_exporting_from_results_says_where_the_file_went(services: Services) -> None:
    _, session_id = seed_sessions(services)
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ResultsScreen(services.store.get(session_id), from_review=True))
        await pilot.pause()
        for key, suffix in (("e", "md"), ("j", "json")):
            await pilot.press(key)
            await settle(pilot)
            path = services.settings.transcripts_dir / f"session-{session_id}.{suffix}"
            assert path.exists()
            assert any(f"Saved to {path}" in notice for notice in notices(app)), notices(app)


async def test_exporting_from_review_says_where_the_file_went_even_after_leaving(services: Services) -> None:
    seed_sessions(services)
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        session_id = app.screen.selected_id()
        await pilot.press("e", "escape")  # leaving at once does not cancel the export
        await settle(pilot)
        path = services.settings.transcripts_dir / f"session-{session_id}.md"
        assert path.exists() and any(f"Saved to {path}" in notice for notice in notices(app))


async def test_the_palette_lists_each_command_once(services: Services) -> None:
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screens = [app.screen, open_interview(app, services, ["technical.overfitting-underfitting"])]
        await pilot.pause()
        for screen in screens:
            titles = [command.title for command in app.get_system_commands(screen)]
            assert titles.count("Quit") == 1, titles
            assert len(titles) == len(set(titles)), titles


async def test_escape_in_the_review_filter_clears_it_before_leaving(services: Services) -> None:
    seed_sessions(services)
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        review = app.screen
        table = review.query_one("DataTable")
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert table.row_count == 0
        count = str(review.query_one("#review-count").render())
        assert "No session matches" in count and "zzz" in count and "Enter" not in count
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is review and table.row_count == 2
        assert review.query_one("Input").value == ""
        await pilot.press("escape")  # out of the empty search box, still on Review
        await pilot.pause()
        assert app.screen is review and table.has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not review


async def test_skipping_a_follow_up_says_the_answer_is_kept(services: Services) -> None:
    from test_tui_pilot import shown_text, type_text

    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = open_interview(app, services, ["technical.gradient-descent", "technical.bias-variance", "technical.learning-paradigms"],
                                max_follow_ups=1)
        await pilot.pause()
        await type_text(pilot, "Gradient descent moves the parameters against the gradient of the loss.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.runner.state.current.exchanges[-1].kind == "follow_up"
        await pilot.press("ctrl+n")
        await settle(pilot)
        text = shown_text(screen)
        assert "Follow-up skipped; your answer so far is kept and graded." in text
        await pilot.press("ctrl+n")  # the next question, with nothing answered: a plain skip
        await settle(pilot)
        assert shown_text(screen).count("Skipped.") == 1
    assert [t.status for t in services.store.get(screen.runner.session_id).state.turns] == ["answered", "skipped", "open"]


async def test_review_marks_drills_and_finds_them_by_the_word(services: Services) -> None:
    from mockmle.app.runner import InterviewRunner
    from mockmle.core.interview import Answer, build_plan

    seed_sessions(services)
    plan = build_plan(services.bank, question_ids=["technical.bias-variance"], max_follow_ups=0).model_copy(update={"kind": "drill"})
    runner = InterviewRunner.create(services, plan)
    runner.handle_grading(runner.start())
    runner.handle_grading(runner.send(Answer(text="Bias is error from simple assumptions; variance is sensitivity to the sample.")))
    runner.report()
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        stages = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert stages.count("drill: technical") == 1 and len(stages) == 3
        await pilot.press("slash", *"drill")
        await pilot.pause()
        assert table.row_count == 1 and app.screen.selected_id() == runner.session_id
