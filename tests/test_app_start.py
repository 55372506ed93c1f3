"""`mockmle` with no command draws Home before the bank and the database are open (issue 18, a faster start), so
what used to fail before the app started now fails just after its first paint: still one line and a non-zero exit."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import OptionList

from mockmle.app.runner import InterviewRunner
from mockmle.app.services import Services
from mockmle.cli import main
from mockmle.core.interview import build_plan
from mockmle.tui.app import MockmleApp, build_app
from mockmle.tui.screens.home import HomeScreen


def headless_terminal(monkeypatch) -> None:
    """The real start-up (mockmle.cli.main), with only the terminal swapped for Textual's headless driver. Called in
    the test itself: pytest swaps the streams whose isatty is asked between a fixture's setup and the test."""
    monkeypatch.setattr(MockmleApp, "run", lambda app, **_: App.run(app, headless=True, size=(100, 30)))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)


def test_a_database_that_cannot_be_opened_ends_the_app_with_one_line(tmp_path, monkeypatch, capsys):
    headless_terminal(monkeypatch)
    home = tmp_path / "home"
    home.mkdir()
    (home / "mockmle.db").write_bytes(b"not a database, " * 200)
    assert main(["--home", str(home), "--judge", "offline"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mockmle: error: ") and err.count("\n") == 1, err
    assert "mockmle.db" in err and "Traceback" not in err and "unexpected error" not in err


def test_a_bad_question_pack_ends_the_app_with_one_line(tmp_path, monkeypatch, capsys):
    headless_terminal(monkeypatch)
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "mine.toml").write_text("[[questions]]\nid = 'Not A Slug'\n")
    assert main(["--home", str(tmp_path / "home"), "--bank-dir", str(packs), "--judge", "offline"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mockmle: error: ") and err.count("\n") == 1, err
    assert "mine.toml" in err and "Traceback" not in err
    assert not (tmp_path / "home" / "mockmle.db").exists()  # the bank is loaded first, as before


@pytest.mark.asyncio
async def test_home_is_drawn_before_the_database_is_opened_and_then_lists_the_sessions(services):
    runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=["technical.bias-variance"],
                                                         max_follow_ups=0))
    runner.handle_grading(runner.start())  # an unfinished interview, for Home to offer
    fresh = Services(services.settings)  # nothing loaded or opened yet, as when the app starts
    app = build_app(fresh)
    frames: list[bool] = []  # for each frame of Home: was the database open when it was drawn?
    display = app._display

    def watch(screen, renderable) -> None:
        if isinstance(screen, HomeScreen) and renderable is not None:
            frames.append("store" in vars(fresh))
        display(screen, renderable)

    app._display = watch  # type: ignore[method-assign]  # the frames Textual would send a terminal
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert frames[0] is False and frames[-1] is True
        menu = app.screen.query_one("#home-menu", OptionList)
        options = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        assert any("Resume:" in option for option in options), options
        assert app.screen.check_action("resume_latest", ()) is True
