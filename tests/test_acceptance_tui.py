"""Acceptance: the same evening in the real app at 80x24, through the keys a candidate presses.

One session per stage, each started the way a candidate starts it (Home, n, the stage, ctrl+s) in a
fresh app on one data home and played by acceptance_app.play_stage with the scripts of
acceptance_answers.py (answers pasted into the answer box and sent with ctrl+s, ctrl+t for a hint,
ctrl+n to skip, a short reply to any follow-up). What each session showed is kept, and the first
tests check it; the others open everything a candidate opens next (Home, Setup, Progress, Review,
Results, Settings, the palette, a drill), each in its own app run, and check what it shows.

The stage chosen on Setup is the stage played; only the questions it samples are pinned (Setup's
`build_plan` is given the script's question ids), so every run plays the same questions.
"""
from __future__ import annotations

import asyncio
import importlib.util
import re
import shutil
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
from textual.widgets import DataTable, OptionList, Static

from acceptance_answers import (
    FOLLOW_UP_REPLY,
    HIRING,
    mentions,
    restates_question,
    script_for,
    stage_ids,
    strong_answer,
)
from acceptance_app import (
    SIZE,
    Seen,
    choose_stage,
    enter_text,
    flat,
    full_text,
    notifications,
    on_screen,
    open_review,
    open_settings,
    open_setup,
    palette_titles,
    plain,
    play_stage,
    saved_path,
    screen_name,
    settle,
)
from mockmle.app.services import Services
from mockmle.core.bank import load_bank
from mockmle.resources import data_dir
from mockmle.settings import Settings
from mockmle.tui.app import build_app

STAGES = stage_ids(load_bank(data_dir("rubrics")))
REVERSE = "reverse"


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tui-evening") / "home"


@pytest.fixture(scope="module")
def evening(home, bank) -> dict[str, Seen]:
    """Every stage played, one after another, in the same data home."""
    return {stage: asyncio.run(play_stage(home, script_for(bank, stage))) for stage in STAGES}


def seen_ok(evening, stage: str) -> Seen:
    seen = evening[stage]
    assert seen.error is None, f"the {stage} session broke:\n{seen.error}"
    return seen


def record_of(home: Path, session_id: str):
    return Services(Settings(home=home)).store.get(session_id)


# ---- each session, as it was played --------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
def test_the_session_plays_the_stage_chosen_and_ends_on_results(evening, home, stage):
    seen = seen_ok(evening, stage)
    assert seen.chosen_stages == [[stage]]
    assert seen.results_screen == "ResultsScreen"
    record = record_of(home, seen.session_id)
    assert record.status == "finished"
    assert [t.status for t in record.state.turns] == ["skipped" if s.role == "skip" else "answered"
                                                      for s in seen.script.steps]
    for turn, step in zip(record.state.turns, seen.script.steps, strict=True):
        if step.answer is not None:
            assert turn.exchanges[0].answer == step.answer, "the answer is stored as it was entered"
        assert len(turn.hints) == step.hints
    assert sorted(record.grades) == [i for i, s in enumerate(seen.script.steps) if s.role != "skip"]


@pytest.mark.parametrize("stage", STAGES)
def test_results_show_every_question_score_and_the_misconception(evening, home, stage, bank):
    seen = seen_ok(evening, stage)
    shown = flat(seen.results)
    record = record_of(home, seen.session_id)
    for turn in record.state.turns:  # as asked: a closing question's wording depends on its place
        assert flat(turn.exchanges[0].prompt) in shown
    assert seen.script.step("misconception").contrast.misconception in shown
    assert "skipped" in shown.lower()
    assert f"{record.grades[seen.script.position('strong')].band}/4" in shown


@pytest.mark.parametrize("stage", STAGES)
def test_results_open_on_the_verdict_and_the_answers(evening, stage):
    """Issue 14.10: the verdict and every answer's score come first, at 80x24, before the details."""
    seen = seen_ok(evening, stage)
    first = seen.results_first_screen
    assert "skipped" in first.lower(), first
    assert HIRING.search(first) or stage == REVERSE, first
    assert sum(f"Q{i}" in first for i in range(1, 6)) >= 4, first
    shown = seen.results
    improve = re.search(r"improve|fix first|to work on", shown, re.IGNORECASE)
    scorecard = shown.find("What that level means") if "What that level means" in shown else shown.find("Competenc")
    assert improve and improve.start() < scorecard, "the things to improve come before the scorecard"


@pytest.mark.parametrize("stage", STAGES)
def test_results_fold_unassessed_rows_and_quote_short_evidence(evening, home, stage):
    """Issue 14.10: one line for a table's unassessed rows; evidence is a clause, not one sentence again and again."""
    seen = seen_ok(evening, stage)
    cards = record_of(home, seen.session_id).report.scorecards
    assert seen.results.count("Not Enough Information") <= 2 * len(cards)
    found = re.findall(r'"([^"]{30,}?)"|“([^”]{30,}?)”', flat(seen.results))
    quotes = Counter(quote.strip() for pair in found for quote in pair if quote)
    repeated = [q for q, n in quotes.items() if n >= 4 and len(q.split()) >= 25]
    assert not repeated, repeated


@pytest.mark.parametrize("stage", STAGES)
def test_results_show_each_competency_as_its_mean(evening, home, stage):
    """Issue 14.4: a competency shows the number the summary averages, to one decimal, on its own line."""
    seen = seen_ok(evening, stage)
    lines = seen.results.splitlines()
    for card in record_of(home, seen.session_id).report.scorecards:
        for row in card.competencies:
            if row.mean is not None:  # a long name wraps in its cell: its first word starts the row
                first_word, mean = row.name.split()[0], f"{row.mean:.1f}"
                assert any(first_word in line and mean in line for line in lines), (row.name, mean)


@pytest.mark.parametrize("stage", STAGES)
def test_results_say_what_a_strong_answer_would_say_for_the_skipped_one(evening, home, stage, bank):
    """Issue 14.11: key points for skipped and low-scored answers, and the debrief's missed areas."""
    seen = seen_ok(evening, stage)
    shown = flat(seen.results)
    for role in ("skip", "weak"):
        question = bank.question(seen.script.step(role).question_id)
        assert any(flat(point) in shown for point in question.key_points), role
    missed = record_of(home, seen.session_id).report.debrief.missed_areas
    assert missed and re.search(r"\bmissed\b", shown, re.IGNORECASE)
    assert any(area in shown for areas in missed.values() for area in areas)


@pytest.mark.parametrize("stage", STAGES)
def test_hints_shown_name_something_new(evening, stage, bank):
    """Issue 14.12: two hints, each pointing at something the question does not already say."""
    seen = seen_ok(evening, stage)
    question = bank.question(seen.script.step("hint").question_id)
    hints = [text for kind, text in seen.transcript if kind == "hint"]
    assert len(hints) == 2 and hints[0] != hints[1], hints
    for hint in hints:
        assert not restates_question(hint.split("\n(")[0], question), hint


@pytest.mark.parametrize("stage", [s for s in STAGES if s != REVERSE])
def test_the_follow_up_to_the_wrong_statement_probes_it(evening, stage):
    """Issue 14.13: the follow-up after a misconception asks about that statement first."""
    seen = seen_ok(evening, stage)
    contrast = seen.script.step("misconception").contrast
    asked = seen.follow_ups.get("misconception")
    assert asked, "no follow-up after a wrong statement"
    assert mentions(asked[0], [*contrast.a, *contrast.b]), asked[0]


@pytest.mark.parametrize("stage", [s for s in STAGES if s != REVERSE])
def test_a_full_stage_interview_ends_with_a_hiring_recommendation(evening, stage):
    seen = seen_ok(evening, stage)
    assert HIRING.search(seen.results)


def test_a_reverse_practice_opens_on_its_first_topic_and_ends_with_a_practice_summary(evening):
    """Issues 14.7 and 14.8."""
    seen = seen_ok(evening, REVERSE)
    said = [text for kind, text in seen.transcript if kind == "interviewer"]
    opening = "\n".join(said[:next(i for i, text in enumerate(said) if text.startswith("Question 1 of")) + 1])
    assert not re.search(r"(all|end of) my questions", opening, re.IGNORECASE), f"opens with: {flat(opening)}"
    assert not HIRING.search(seen.results), "a reverse practice ends with a practice summary, not a hiring verdict"
    assert re.search(r"practi[cs]e", seen.results, re.IGNORECASE)


# ---- what the candidate opens next ---------------------------------------------------------


@pytest.mark.asyncio
async def test_home_counts_the_evening_and_enter_starts_a_new_interview(evening, home):
    """Issue 14.2: Enter on "Start a new interview" opens Setup."""
    app = build_app(Services(Settings(home=home)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert f"{len(STAGES)} finished sessions" in flat(full_text(app.screen))
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "SetupScreen"


@pytest.mark.asyncio
async def test_setup_opens_once_misconceptions_are_recorded_and_says_what_is_due(evening, home):
    """Issue 14.1: Setup (n) crashed with KeyError 'first_at', so no new interview could be started."""
    app = build_app(Services(Settings(home=home)))
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(pilot)
        assert re.search(r"\d+ due", flat(full_text(app.screen)))


@pytest.mark.asyncio
async def test_setup_remembers_the_last_stage(evening, home):
    """Issue 14.14: the last choices are remembered (the evening's last session was the last stage)."""
    app = build_app(Services(Settings(home=home)))
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(pilot)
        stages = app.screen.query_one("#setup-stage", OptionList)
        assert stages.get_option_at_index(stages.highlighted).id == STAGES[-1]


@pytest.mark.asyncio
async def test_setup_says_how_long_and_how_to_add_a_model(evening, home):
    """Issue 14.14: the estimated length (questions x minutes), and why the judge list only has offline."""
    app = build_app(Services(Settings(home=home)))
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(pilot)
        shown = flat(full_text(app.screen))
        assert re.search(r"\b15 min", shown), "5 questions of 3 minutes: about 15 min"
        assert mentions(shown, ["OPENAI_API_KEY", "OPENAI_BASE_URL", "config.toml"]), "how to add a model"


@pytest.mark.asyncio
async def test_every_stage_can_be_chosen_and_stays_in_view(evening, home, bank):
    """Issue 14.14: at 80x24 all seven stages are in view, and each stays in view when it is highlighted."""
    app = build_app(Services(Settings(home=home)))
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(pilot)
        assert all(bank.stage(stage).title in on_screen(app) for stage in STAGES), on_screen(app)
        for stage in STAGES:
            await choose_stage(pilot, stage)
            await pilot.pause()
            assert bank.stage(stage).title in on_screen(app), f"{stage} is highlighted but not in view"


@pytest.mark.asyncio
async def test_progress_shows_competencies_areas_and_the_misconceptions(evening, home, bank):
    """Issue 14.1: Progress (p) crashed with KeyError 'first_at' once a misconception was recorded."""
    app = build_app(Services(Settings(home=home)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert screen_name(app) == "ProgressScreen"
        shown = flat(full_text(app.screen))
        assert f"{len(STAGES)} sessions" in shown
        competencies = [c.name for s in STAGES for card in bank.scorecards_for(s) for c in card.competencies]
        assert sum(name in shown for name in competencies) >= len(STAGES)
        await pilot.press("2")
        await pilot.pause()
        areas = app.screen.query_one("#area-table", DataTable)
        assert areas.row_count > 0
        assert "Key points to learn" in full_text(app.screen)
        await pilot.press("3")
        await pilot.pause()
        shown = flat(full_text(app.screen))
        assert "Misconceptions seen" in shown
        for seen in evening.values():
            assert seen.script.step("misconception").contrast.misconception in shown


@pytest.mark.asyncio
async def test_review_filter_says_when_nothing_matches_and_escape_clears_it(evening, home):
    """Issue 14.9: no Enter offered when nothing matches; Escape in the filter clears it instead of leaving."""
    app = build_app(Services(Settings(home=home)))
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        table = review.query_one(DataTable)
        assert table.row_count == len(STAGES)
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert table.row_count == 0
        count = plain(review.query_one("#review-count", Static).content)
        assert "Enter" not in count and "zzz" in count, count
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is review and table.row_count == len(STAGES), "Escape in the filter clears it"


@pytest.mark.asyncio
async def test_review_opens_a_session_and_exports_it_to_the_path_it_names(evening, home):
    """Issue 14.3: after e or j, the app says where the file went (Results and Review)."""
    seen = seen_ok(evening, REVERSE)
    app = build_app(Services(Settings(home=home)))
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        await pilot.press("slash", *REVERSE)
        await pilot.pause()
        assert review.query_one(DataTable).row_count == 1
        await pilot.press("enter", "enter")  # to the table, then open the session
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        assert seen.script.step("strong").answer[:60] in flat(full_text(app.screen))
        for key, suffix in (("e", ".md"), ("j", ".json")):
            await pilot.press(key)
            await settle(pilot)
            path = saved_path(app, suffix)
            assert path.parent == home / "transcripts" and seen.session_id in path.name
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is review
        app._notifications.clear()
        await pilot.press("e")
        await settle(pilot)
        saved_path(app, ".md")


@pytest.mark.asyncio
async def test_enter_on_an_answer_in_results_shows_its_details(evening, home, bank):
    """Issue 14.10: Enter on a row of the answers list jumps to that answer's details."""
    seen = seen_ok(evening, "technical")
    app = build_app(Services(Settings(home=home)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v", "slash", *seen.session_id, "enter", "enter")
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        position = seen.script.position("hint")
        prompt = flat(bank.question(seen.script.steps[position].question_id).prompt)[:60]  # more than a list row holds
        assert prompt not in flat(on_screen(app))
        await pilot.press("home", *["down"] * position, "enter")
        await pilot.pause()
        assert prompt in flat(on_screen(app)), on_screen(app)


@pytest.mark.asyncio
async def test_settings_name_the_voice_section(evening, home):
    """Issue 14.5: markup ate "[voice]" ("Set  in config.toml")."""
    app = build_app(Services(Settings(home=home)))
    async with app.run_test(size=SIZE) as pilot:
        assert "[voice]" in await open_settings(pilot)


@pytest.mark.asyncio
async def test_without_faster_whisper_settings_and_ctrl_o_say_how_to_install_it(tmp_path):
    """Issues 14.6 (Settings claimed faster-whisper when it was missing) and 14.5 (ctrl+o said 'mockmle', not
    'mockmle[voice]'). faster-whisper is installed here, so the one mock makes it look missing."""
    real_find_spec = importlib.util.find_spec

    def without_faster_whisper(name, *args, **kwargs):
        return None if name.split(".")[0] == "faster_whisper" else real_find_spec(name, *args, **kwargs)

    app = build_app(Services(Settings(home=tmp_path / "home")))
    with mock.patch("importlib.util.find_spec", without_faster_whisper):
        async with app.run_test(size=SIZE) as pilot:
            await open_settings(pilot)
            await settle(pilot)  # the transcription check runs in a worker
            shown = flat(full_text(app.screen))
            assert "transcribed on this machine by faster-whisper" not in shown
            assert "mockmle[voice]" in shown, shown
            await pilot.press("escape")
            await open_setup(pilot)
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("ctrl+o")
            await settle(pilot)
            said = " ".join(notifications(app)) + flat(full_text(app.screen))
            assert "mockmle[voice]" in said, said


@pytest.mark.asyncio
async def test_settings_show_paths_whole_or_shortened_never_broken(tmp_path):
    """Issue 14.16: a path too long for the screen is shortened with an ellipsis, never wrapped mid-word."""
    services = Services(Settings(home=tmp_path / ("a-data-home-with-a-rather-long-name-" * 3) / "home"))
    app = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot)
        lines = [line.strip("│ ▌▐") for line in on_screen(app).splitlines()]
        for path in (services.settings.db_path, data_dir("rubrics")):
            whole = any(str(path) in line for line in lines)
            shortened = any("…" in line and line.endswith(path.name) for line in lines)
            assert whole or shortened, f"{path} is not shown whole or shortened:\n{on_screen(app)}"


@pytest.mark.asyncio
async def test_the_palette_lists_quit_once_on_every_screen(tmp_path):
    """Issue 14.9: the palette listed "Quit" twice (Textual's own and the interview's ctrl+q)."""
    app = build_app(Services(Settings(home=tmp_path / "home")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        seen = {"Home": await palette_titles(pilot)}
        await open_setup(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(app) == "InterviewScreen"
        seen["Interview"] = await palette_titles(pilot)
        await enter_text(pilot, FOLLOW_UP_REPLY)
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert screen_name(app) == "ResultsScreen"
        seen["Results"] = await palette_titles(pilot)
        for screen, titles in seen.items():
            assert titles.count("Quit") == 1, (screen, titles)


@pytest.mark.asyncio
async def test_a_drill_from_progress_ends_with_a_practice_summary(evening, home, bank, tmp_path):
    """Issues 14.1 (a drill could not start) and 14.8 (a drill's Results carry no hiring recommendation)."""
    copy = tmp_path / "home"
    shutil.copytree(home, copy)  # the evening's history, left unchanged for the other tests
    app = build_app(Services(Settings(home=copy)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p", "d")
        await pilot.pause()
        assert screen_name(app) == "InterviewScreen"
        interview = app.screen
        assert interview.runner.state.plan.kind == "drill"
        for _ in range(30):
            turn = interview.runner.state.current
            if app.screen is not interview or turn is None:
                break
            text = strong_answer(bank.question(turn.question_id)) if len(turn.exchanges) == 1 else FOLLOW_UP_REPLY
            await enter_text(pilot, text)
            await pilot.press("ctrl+s")
            await settle(pilot)
        for _ in range(10):
            if app.screen is not interview:
                break
            await settle(pilot)
        assert screen_name(app) == "ResultsScreen"
        shown = full_text(app.screen)
        assert not HIRING.search(shown), "a drill ends with a practice summary, not a hiring recommendation"
        assert re.search(r"practi[cs]e", shown, re.IGNORECASE)
        for question_id in interview.runner.state.plan.question_ids:
            assert flat(bank.question(question_id).prompt) in flat(shown)


@pytest.mark.asyncio
async def test_the_answer_box_grows_with_the_terminal_and_the_text(tmp_path, bank):
    """Issue 14.15: a 200-word answer can be read back before sending at 120x40."""
    app = build_app(Services(Settings(home=tmp_path / "home")))
    answer = " ".join([strong_answer(bank.question("technical.bagging-vs-boosting"))] * 2)
    answer = " ".join(answer.split()[:200])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        editor = app.screen.query_one("#answer")
        empty = editor.size.height
        assert empty > 6, "at 120x40 the box is taller than the six lines it used to be"
        await enter_text(pilot, answer)
        await pilot.pause()
        assert editor.size.height > empty, (empty, editor.size.height)
        assert editor.max_scroll_y == 0, "the whole answer is in view without scrolling"
