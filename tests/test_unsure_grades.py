"""Unsure grades where a candidate reads them (the grade card, the Results list, Review, the Markdown and HTML
exports, the CLI), the provenance line of the meaning model and the combiner, the one-off notice when the
meaning model is unavailable, and a second opinion from a model (a scripted OpenAI-compatible server on
127.0.0.1) in the app and on the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from conftest import play_session
from mockmle.app.reports import render_report
from mockmle.app.runner import InterviewRunner
from mockmle.app.second_opinion import SecondOpinion
from mockmle.app.services import Services
from mockmle.cli.play import _finish
from mockmle.core.grading.models import Grade
from mockmle.core.grading.offline import OfflineGrader
from mockmle.core.scorecard import turn_score
from mockmle.reporting.grade_text import grade_markdown, provenance_line
from mockmle.reporting.session import session_markdown
from mockmle.settings import LLMConfig, Settings
from mockmle.tui.app import build_app
from mockmle.tui.notices import meaning_fallback_once
from mockmle.tui.rendering import answer_card
from mockmle.tui.screens.interview import InterviewScreen
from mockmle.tui.screens.results import AnswerList, ResultsScreen
from mockmle.tui.screens.review import ReviewScreen
from openai_stub import OpenAIStub, Reply
from test_llm_judge import GOOD, GOOD_JUDGEMENT
from test_tui_pilot import ANSWER, open_interview, settle, type_text

QUESTIONS = ["technical.bagging-vs-boosting", "technical.overfitting-underfitting"]
REASON = "close to the line between band 2 and 3"


def as_old(grade: Grade) -> Grade:
    """The grade as stored before grades carried a confidence or the meaning model: every new field empty."""
    provenance = grade.provenance.model_copy(update={"meaning": None, "meaning_unavailable": None, "combiner": None})
    return grade.model_copy(update={"confidence": None, "confidence_reason": "", "provenance": provenance})


def old_grade(bank) -> Grade:
    from mockmle.core.grading.models import GradeRequest

    question = bank.question(QUESTIONS[0])
    return as_old(OfflineGrader(bank).grade(GradeRequest(question_text=question.prompt, question=question, answer=GOOD)))


def played(services: Services, unsure: bool = True) -> str:
    """A finished two-question session graded offline, its grades as old ones; with `unsure`, the first is
    given band 2 and marked unsure (the model's reply, GOOD_JUDGEMENT, says 4). The scorecard follows."""
    runner = play_session(services, QUESTIONS, [GOOD, ANSWER])
    record = services.store.get(runner.session_id)
    for position, grade in record.grades.items():
        grade = as_old(grade)
        if unsure and position == 0:
            grade = grade.model_copy(update={"band": 2, "confidence": "low", "confidence_reason": REASON})
        services.store.save_grade(runner.session_id, position, grade, turn_score(record.state.turns[position], grade))
    InterviewRunner.resume(services, runner.session_id).report()
    return runner.session_id


def plain(renderable, width: int = 100) -> str:
    console = Console(width=width, file=io.StringIO(), record=True)
    console.print(renderable)
    return " ".join(console.export_text().split())


def shown(screen) -> str:
    return " ".join(plain(widget.content) for widget in screen.query(Static))


# -- the provenance line and the exports


def test_an_old_grade_reads_exactly_as_before(bank):
    grade = old_grade(bank)
    source = grade.provenance
    assert provenance_line(grade) == (f"graded by the offline judge ({source.judge_version}), "
                                      f"rubric {source.rubric_version}")
    lines = grade_markdown(grade)
    assert lines[:3] == [f"#### Band {grade.band}/4", "", f"_{provenance_line(grade)}_"]
    assert not any("unsure" in line.lower() for line in lines)


def test_the_provenance_line_names_the_meaning_model_the_combiner_or_why_words_only(bank):
    grade = old_grade(bank)
    meaning = grade.model_copy(update={"provenance": grade.provenance.model_copy(
        update={"meaning": "all-MiniLM-L6-v2 int8", "combiner": "combiner-1"})})
    line = provenance_line(meaning)
    assert line.endswith(", matched by meaning (all-MiniLM-L6-v2 int8), combiner-1") and "\n" not in line
    words = grade.model_copy(update={"provenance": grade.provenance.model_copy(
        update={"meaning_unavailable": "onnxruntime failed to load", "combiner": "2"})})
    assert provenance_line(words).endswith(", combiner 2; words only: onnxruntime failed to load")


def test_an_unsure_grade_says_so_and_why_in_markdown_and_html(services):
    session_id = played(services)
    record = services.store.get(session_id)
    markdown = session_markdown(record)
    assert f"#### Band {record.grades[0].band}/4 \u00b7 unsure" in markdown
    assert f"Unsure of this band: {REASON}." in markdown
    assert markdown.lower().count("unsure") == 2  # the mark and the reason; the sure second grade has neither
    page = render_report(services, "html", session_id).content
    assert '<span class="unsure"> \u00b7 unsure</span></h3>' in page
    assert f'<p class="unsure">Unsure of this band: {REASON}.</p>' in page
    assert page.count('class="unsure"') == 2


def test_the_grade_card_marks_an_unsure_band_and_leaves_a_sure_one_alone(services):
    session_id = played(services)
    record = services.store.get(session_id)
    turns = record.state.turns
    unsure_card = plain(answer_card(turns[0], record.grades[0]))
    assert f"Q1 \u00b7 {record.grades[0].band}/4" in unsure_card and "\u00b7 unsure" in unsure_card
    assert f"Unsure of this band: {REASON}." in unsure_card
    assert "unsure" not in plain(answer_card(turns[1], record.grades[1])).lower()


def test_the_end_of_a_cli_interview_marks_unsure_answers(services, capsys):
    session_id = played(services)
    _finish(InterviewRunner.resume(services, session_id), as_json=False)
    out = capsys.readouterr().out
    assert "Q1  band" in out and ", unsure" in out.split("Q2")[0]
    assert "1 grade is unsure: Q1; a configured model can give a second opinion." in " ".join(out.split())


# -- the app, with no model configured


async def open_results(services: Services, session_id: str, size=(100, 40)):
    app = build_app(services)
    context = app.run_test(size=size)
    pilot = await context.__aenter__()
    await app.push_screen(ResultsScreen(services.store.get(session_id)))
    await pilot.pause()
    return app, pilot, context


@pytest.mark.asyncio
async def test_results_marks_unsure_grades_and_says_a_model_could_give_a_second_opinion(services):
    session_id = played(services)
    app, pilot, context = await open_results(services, session_id)
    try:
        screen = app.screen
        rows = [plain(option.prompt) for option in screen.query_one(AnswerList).options]
        assert rows[0].startswith("Q1 ") and "\u00b7 unsure" in rows[0]
        assert "unsure" not in rows[1]
        line = plain(screen.query_one("#results-unsure", Static).content)
        assert line == "1 grade is unsure: Q1; its card says why. A configured model can give a second opinion."
        assert screen.check_action("second_opinion", ()) is False  # no key offered without a model
        await pilot.press("g")
        await pilot.pause()
        assert services.store.get(session_id).grades[0].unsure
    finally:
        await context.__aexit__(None, None, None)


@pytest.mark.asyncio
async def test_results_of_old_grades_have_no_unsure_line(services):
    session_id = played(services, unsure=False)
    app, pilot, context = await open_results(services, session_id)
    try:
        assert not app.screen.query("#results-unsure")
        assert "unsure" not in shown(app.screen).lower()
    finally:
        await context.__aexit__(None, None, None)


@pytest.mark.asyncio
async def test_review_counts_unsure_grades_next_to_the_score(services):
    unsure_session = played(services)
    sure_session = played(services, unsure=False)
    app = build_app(services)
    async with app.run_test(size=(120, 30)) as pilot:
        app.push_screen(ReviewScreen())
        await pilot.pause()
        table = app.screen.query_one("#review-table")
        overall = {key.value: str(table.get_row(key)[4]) for key in table.rows}
        assert overall[unsure_session].endswith(" \u00b7 1 unsure")
        assert "unsure" not in overall[sure_session]


# -- the once-only notice of the meaning model's absence


class WordsOnly:
    """The offline judge as it grades when its meaning model will not load."""

    name = "offline"

    def __init__(self, bank):
        self.offline = OfflineGrader(bank)

    def grade(self, request):
        grade = self.offline.grade(request)
        provenance = grade.provenance.model_copy(update={"meaning": None, "meaning_unavailable": "onnxruntime is broken"})
        return grade.model_copy(update={"provenance": provenance})


@pytest.mark.asyncio
async def test_the_meaning_model_fallback_is_said_once_however_many_answers(services):
    services.grader_for = lambda judge: WordsOnly(services.bank)
    app = build_app(services)
    async with app.run_test(size=(100, 40)) as pilot:
        plan_questions = ["technical.overfitting-underfitting", "technical.bias-variance", "technical.gradient-descent"]
        screen = open_interview(app, services, plan_questions, max_follow_ups=0)
        await pilot.pause()
        for _ in plan_questions[:2]:
            await type_text(pilot, ANSWER)
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        told = [str(n.message) for n in app._notifications if "Meaning model unavailable" in str(n.message)]
        assert told == ["Meaning model unavailable (onnxruntime is broken): grading by words only. "
                        "`mockmle doctor` says more."]
    grades = Services(services.settings).store.get(screen.runner.session_id).grades
    assert len(grades) == 2
    assert all("words only: onnxruntime is broken" in provenance_line(g) for g in grades.values())


@pytest.mark.asyncio
async def test_a_grade_that_used_the_meaning_model_says_nothing(services, bank):
    app = build_app(services)
    async with app.run_test() as pilot:
        grade = old_grade(bank)
        meaning_fallback_once(app, grade.model_copy(update={"provenance": grade.provenance.model_copy(
            update={"meaning": "all-MiniLM-L6-v2 int8"})}))
        await pilot.pause()
        assert not app._notifications


# -- a second opinion from a model


@pytest.fixture
def stub():
    server = OpenAIStub(models=("stub-model",)).start()
    server.handler = lambda body: Reply(content=json.dumps(GOOD_JUDGEMENT))
    yield server
    server.stop()


def with_model(services: Services, stub: OpenAIStub) -> Services:
    """The same data home, now with a model configured (the sessions in it were graded offline)."""
    llm = LLMConfig(base_url=stub.base_url, judge_model="stub-model", max_retries=0, timeout=5)
    return Services(Settings(home=services.settings.home, llm=llm))


@pytest.mark.asyncio
async def test_g_asks_the_model_about_the_unsure_answers_saves_and_shows_its_grades(services, stub):
    session_id = played(services)
    before = services.store.get(session_id)
    replies = []

    def slow_judge(body):
        replies.append(body)
        return Reply(content=json.dumps(GOOD_JUDGEMENT), delay=2.0)

    stub.handler = slow_judge
    modelled = with_model(services, stub)
    app, pilot, context = await open_results(modelled, session_id)
    try:
        screen = app.screen
        assert plain(screen.query_one("#results-unsure", Static).content).endswith(
            "Press g for a second opinion from stub-model.")
        assert "Second opinion" in {command.title for command in app.get_system_commands(screen)}
        await pilot.press("g")
        await pilot.pause(0.2)
        # The model is still thinking: the screen says so, the key is greyed out, the page still answers keys.
        assert screen.consulting
        assert "Asking stub-model for a second opinion\u2026 (0 of 1 done)" in plain(
            screen.query_one("#results-unsure", Static).content)
        assert screen.check_action("second_opinion", ()) is None
        await pilot.press("down")
        await pilot.pause()
        assert screen.query_one(AnswerList).highlighted == 1 and screen.consulting
        await settle(pilot)
        assert not screen.consulting
        assert len(replies) == 1 and replies[0].get("response_format")  # only the unsure answer went to the model
        record = Services(modelled.settings).store.get(session_id)
        grade = record.grades[0]
        assert grade.provenance.judge == "stub-model" and not grade.unsure and not grade.provenance.fallback
        assert grade.band == 4 and record.grades[1] == before.grades[1]
        assert record.report.overall > before.report.overall  # the scorecard was rebuilt from the new grade
        # The screen was composed again from the saved session: no unsure mark, the model named on the card.
        assert not screen.query("#results-unsure")
        rows = [plain(option.prompt) for option in screen.query_one(AnswerList).options]
        assert f"Q1 {grade.band}/4" in rows[0] and "unsure" not in rows[0]
        assert "graded by model stub-model" in plain(screen.query_one("#answer-0", Static).content)
        assert isinstance(app.focused, AnswerList)
        assert screen.check_action("second_opinion", ()) is False
        said = [str(n.message) for n in app._notifications]
        assert "Second opinion from stub-model: Q1: 2/4 \u2192 4/4." in said
    finally:
        await context.__aexit__(None, None, None)


@pytest.mark.asyncio
async def test_a_model_that_fails_leaves_the_offline_grade_and_says_why(services, stub):
    session_id = played(services)
    stub.handler = lambda body: Reply.error(503, "overloaded")
    modelled = with_model(services, stub)
    app, pilot, context = await open_results(modelled, session_id)
    try:
        await pilot.press("g")
        await settle(pilot)
        grade = Services(modelled.settings).store.get(session_id).grades[0]
        assert grade.unsure and grade.provenance.judge == "offline" and not grade.provenance.fallback
        said = " ".join(str(n.message) for n in app._notifications)
        assert "Q1: the model could not grade it (" in said and "503" in said and "stays" in said
        assert app.screen.check_action("second_opinion", ()) is True  # still unsure: it can be asked again
    finally:
        await context.__aexit__(None, None, None)


def test_sessions_regrade_on_the_command_line(stub, cli):
    services = Services(Settings(home=cli.home))
    session_id = played(services)
    no_model = cli("sessions", "regrade", session_id)
    assert no_model.returncode == 2 and no_model.stderr.startswith("mockmle: error: a second opinion needs a model")
    assert "Traceback" not in no_model.stderr
    env = {"OPENAI_BASE_URL": stub.base_url, "MOCKMLE_MODEL": "stub-model"}
    result = cli("sessions", "regrade", session_id[:4], env=env)
    assert result.returncode == 0, result.stderr
    assert f"Session {session_id}: 1 grade is unsure: Q1. Asking stub-model for a second opinion" in result.stdout
    assert "  Q1: " in result.stdout
    grade = Services(services.settings).store.get(session_id).grades[0]
    assert grade.provenance.judge == "stub-model" and not grade.unsure
    again = cli("sessions", "regrade", session_id, "--json", env=env)
    assert again.returncode == 0 and json.loads(again.stdout) == {"session_id": session_id, "regraded": []}


def test_a_second_opinion_keeps_the_interviewers_written_debrief(services, stub):
    session_id = played(services)
    report = services.store.get(session_id).report
    written = report.model_copy(update={"debrief": report.debrief.model_copy(
        update={"written": "You explained bagging well.", "written_by": "some-model"})})
    services.store.save_report(session_id, written)
    outcomes = SecondOpinion(with_model(services, stub), session_id).run()
    assert [o.line() for o in outcomes] == ["Q1: 2/4 \u2192 4/4"]
    after = services.store.get(session_id).report
    assert after.overall > report.overall
    assert (after.debrief.written, after.debrief.written_by) == ("You explained bagging well.", "some-model")


def test_unsure_marks_are_never_shown_for_a_report_without_grades_marked(tmp_path: Path):
    services = Services(Settings(home=tmp_path / "home"))
    session_id = played(services, unsure=False)
    assert "unsure" not in render_report(services, "md", session_id).content.lower()
    body = render_report(services, "html", session_id).content.split("</style>", 1)[1]
    assert "unsure" not in body.lower()
