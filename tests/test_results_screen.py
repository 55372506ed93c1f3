"""Results at 80x24: the verdict or practice summary, the scores and what to fix first on the first screen;
Enter on an answer jumps to its card; skipped and weak answers show what a strong answer says."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from conftest import play_session
from mockmle.app.reports import render_report
from mockmle.app.services import Services
from mockmle.reporting.session import session_data, session_markdown
from mockmle.settings import Settings
from mockmle.tui.app import build_app
from mockmle.tui.screens.results import AnswerList, ResultsScreen

CALIBRATION = {row["id"]: row for row in map(json.loads, Path(__file__).with_name("data").joinpath(
    "calibration.jsonl").read_text().splitlines())}
STRONG_BAGGING = CALIBRATION["cal-006"]["answer"]
QUESTIONS = ["technical.bagging-vs-boosting", "technical.overfitting-underfitting", "technical.bias-variance",
             "technical.gradient-descent", "technical.learning-paradigms"]
PARTIAL = ("Overfitting is when the model memorises noise in the training data so validation error is high; "
           "I use cross-validation, regularisation and early stopping.")
BIAS_VARIANCE = ("Bias is error from too simple a model, variance is sensitivity to the training sample; more complex "
                 "models lower bias but raise variance, and cross-validation picks the balance.")
FIRST_EVENING = [STRONG_BAGGING, PARTIAL, None, "You go downhill.", "Unsupervised is when it trains on its own overnight."]
NOT_ENOUGH = "Not Enough Information Gathered to Evaluate"


@pytest.fixture
def services(tmp_path: Path) -> Services:
    return Services(Settings(home=tmp_path / "home"))


def play(services: Services, question_ids: list[str], answers: list[str | None], kind: str = "interview") -> str:
    return play_session(services, question_ids, answers, kind).session_id


def on_screen(app) -> str:
    """What the terminal shows right now, as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, record=True,
                      legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


def whole_page(screen, width: int = 78) -> str:
    """Everything the screen's Static widgets hold, scrolled off or not, as plain text."""
    console = Console(width=width, file=io.StringIO(), record=True)
    for widget in screen.query(Static):
        console.print(widget.content)
    return " ".join(console.export_text().split())


def shown(widget: Static) -> str:
    console = Console(width=78, file=io.StringIO(), record=True)
    console.print(widget.content)
    return flat(console.export_text())


def flat(text: str) -> str:
    return " ".join(text.split())


async def open_results(services: Services, session_id: str):
    app = build_app(services)
    context = app.run_test(size=(80, 24))
    pilot = await context.__aenter__()
    await app.push_screen(ResultsScreen(services.store.get(session_id)))
    await pilot.pause()
    return app, pilot, context


pytestmark = pytest.mark.asyncio


async def test_the_first_screen_holds_the_verdict_every_score_and_what_to_fix_first(services):
    session_id = play(services, QUESTIONS, FIRST_EVENING)
    record = services.store.get(session_id)
    app, pilot, context = await open_results(services, session_id)
    try:
        first = on_screen(app)
        assert "Hiring recommendation:" in first
        for turn in record.state.turns:
            assert f"Q{turn.position + 1} " in first
        assert "skipped (0)" in first and "4/4 excellent" in first
        assert "Improve first" in first and "Q3 was skipped" in first
        assert isinstance(app.focused, AnswerList)
        # Page down still scrolls the page while the answers list has the focus.
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.screen.query_one("#results").scroll_y > 0
    finally:
        await context.__aexit__(None, None, None)


async def test_enter_on_an_answer_scrolls_its_card_to_the_top_and_a_comes_back(services):
    session_id = play(services, QUESTIONS, FIRST_EVENING)
    app, pilot, context = await open_results(services, session_id)
    try:
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        top = on_screen(app).splitlines()[:6]
        assert any("Q3 · skipped (0) Explain the bias-variance tradeoff" in line for line in top), top
        assert app.focused is app.screen.query_one("#results")
        await pilot.press("down")  # the arrows now read on through the card
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.focused, AnswerList)
        assert "Your answers" in on_screen(app)
    finally:
        await context.__aexit__(None, None, None)


async def test_skipped_and_weak_answers_show_what_a_strong_answer_says_and_the_missed_areas(services):
    session_id = play(services, QUESTIONS, FIRST_EVENING)
    record = services.store.get(session_id)
    app, pilot, context = await open_results(services, session_id)
    try:
        skipped, weak = (shown(app.screen.query_one(f"#answer-{n}", Static)) for n in (2, 3))
        missed = shown(app.screen.query_one("#results-missed", Static))
    finally:
        await context.__aexit__(None, None, None)
    assert record.grades[3].band <= 1
    for card, question_id in ((skipped, "technical.bias-variance"), (weak, "technical.gradient-descent")):
        assert "A strong answer would say" in card
        assert all(flat(point) in card for point in services.bank.question(question_id).key_points)
    assert missed.startswith("Missed areas, by question")
    q2_missed = record.report.debrief.missed_areas["technical.overfitting-underfitting"]
    assert q2_missed and f"Q2: {'; '.join(q2_missed)}" in missed
    assert "Q4: all 8 of its areas" in missed  # an answer that missed everything: one short line


async def test_one_number_per_competency_and_unassessed_rows_folded(services):
    session_id = play(services, QUESTIONS, FIRST_EVENING)
    report = services.store.get(session_id).report
    app, pilot, context = await open_results(services, session_id)
    try:
        page = whole_page(app.screen, width=400)  # wide, so no table cell wraps a name
    finally:
        await context.__aexit__(None, None, None)
    card = report.scorecards[0]
    assessed = [row for row in card.competencies if row.mean is not None]
    assert any(round(row.mean, 1) != row.score for row in assessed)  # the case the issue saw: 1.7 shown as 2
    for row in assessed:
        assert f"{row.mean:.1f}" in page
    for reason in report.recommendation.reasons:
        if reason.startswith(("Strongest", "Weakest")):
            assert flat(reason) in page and any(f"({row.shown} of 4)" in reason for row in assessed)
    assert NOT_ENOUGH not in page
    unassessed = [row.name for row in card.outcomes if row.mean is None]
    assert f"Not assessed ({len(unassessed)})" in page and all(name in page for name in unassessed)


async def test_a_drill_ends_with_a_practice_summary_everywhere(services):
    play(services, QUESTIONS, FIRST_EVENING)
    drill_id = play(services, QUESTIONS, [STRONG_BAGGING, "Overfitting is bad.", BIAS_VARIANCE, "You go downhill.", None],
                    kind="drill")
    record = services.store.get(drill_id)
    assert record.report.recommendation is None and record.report.practice is not None
    app, pilot, context = await open_results(services, drill_id)
    try:
        first = flat(on_screen(app))
        page = whole_page(app.screen)
    finally:
        await context.__aexit__(None, None, None)
    assert "Practice summary (a drill" in first and "Improved since last time" in first
    now = next((round(c.now) for c in record.report.practice.improved if c.kind == "question"), None)
    assert now is not None and now >= 3
    assert f"Q3 Explain the bias-variance tradeoff and…: 0/4 → {now}/4" in first  # skipped before, good now
    assert "Still weak" in first and "Q2 Describe overfitting and underfitting…: 1/4, was 2/4" in first
    assert "Due next" in first
    exports = [page, session_markdown(record), json.dumps(session_data(record)),
               render_report(services, "md", drill_id).content, render_report(services, "html", drill_id).content]
    for text in exports:
        assert "Hiring recommendation" not in text and "No Hire" not in text and "too little evidence" not in text
    for text in exports[1:2] + exports[3:]:
        assert "Improved since last time" in text and f"0/4 \u2192 {now}/4" in text


async def test_a_reverse_only_session_is_practice_too(services):
    session_id = play(services, ["reverse.mlops-maturity", "reverse.data"],
                      ["How do you deploy models and roll back a bad one?", None])
    record = services.store.get(session_id)
    assert record.report.recommendation is None and record.report.practice.kind == "reverse"
    app, pilot, context = await open_results(services, session_id)
    try:
        first = flat(on_screen(app))
    finally:
        await context.__aexit__(None, None, None)
    assert "Practice summary (a reverse-interview practice" in first
    assert "First time on these questions" in first and "Hiring recommendation" not in first


async def test_bracketed_text_is_shown_as_written(services):
    answer = "I would log [red]every[/red] prediction [voice] and compare drift weekly."
    session_id = play(services, ["technical.deployment"], [answer])
    services.store.db["sessions"].update(session_id, {"judge": "local[gpu]"})
    app, pilot, context = await open_results(services, session_id)
    try:
        page = whole_page(app.screen)
    finally:
        await context.__aexit__(None, None, None)
    assert "judge local[gpu]" in page and "[red]every[/red] prediction [voice]" in page
