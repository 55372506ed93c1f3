"""Model answers in the app: m on Results shows a strong answer to the highlighted question, and ctrl+l after a
skip shows one to the question skipped; with a model interviewer, the model's answer once the judge grades it 4.
The model is a scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import pytest

from conftest import play_session
from mockmle.app.services import Services
from mockmle.settings import LLMConfig, Settings
from mockmle.tui.app import build_app
from mockmle.tui.screens.interview import InterviewScreen
from mockmle.tui.screens.model_answer import ModelAnswerScreen
from mockmle.tui.screens.results import ResultsScreen
from openai_stub import OpenAIStub
from test_model_answer_use_case import WRITTEN, judged
from test_results_screen import whole_page
from test_tui_pilot import open_interview, settle, shown_text, type_text

pytestmark = pytest.mark.asyncio

QUESTIONS = ["technical.bias-variance", "technical.bagging-vs-boosting"]


def flat(text: str) -> str:
    return " ".join(text.split())


async def test_m_on_results_shows_the_guide_answer_to_the_highlighted_question(tmp_path):
    services = Services(Settings(home=tmp_path / "home"))
    session_id = play_session(services, QUESTIONS, [None, "Bagging averages models; boosting fits residuals."]).session_id
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(ResultsScreen(services.store.get(session_id)))
        await pilot.pause()
        await pilot.press("down", "m")  # the second answer
        await settle(pilot)
        assert isinstance(app.screen, ModelAnswerScreen)
        text = whole_page(app.screen, width=96)
        guide = services.model_answers.guide("technical.bagging-vs-boosting")
        assert "Built from the interview guide" in text and flat(guide.text) in text
        assert services.bank.question("technical.bagging-vs-boosting").prompt in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)


async def test_with_a_model_results_shows_its_answer_once_the_judge_grades_it_4(tmp_path):
    stub = OpenAIStub(models=("stub-model",)).start()
    try:
        judged(stub, 4)
        llm = LLMConfig(base_url=stub.base_url, judge_model="stub-model", interviewer_model="stub-model",
                        max_retries=0)
        services = Services(Settings(home=tmp_path / "home", judge="llm", interviewer="llm", llm=llm))
        offline = Services(Settings(home=tmp_path / "home"))  # the session played without the model
        session_id = play_session(offline, QUESTIONS, [None, None]).session_id
        app = build_app(services)
        async with app.run_test(size=(100, 30)) as pilot:
            await app.push_screen(ResultsScreen(services.store.get(session_id)))
            await pilot.pause()
            await pilot.press("down", "m")
            await settle(pilot)
            text = whole_page(app.screen, width=96)
            assert "Written by stub-model, graded 4/4 by the model judge" in text and flat(WRITTEN) in text
    finally:
        stub.stop()


async def test_after_a_skip_ctrl_l_shows_a_strong_answer_and_the_interview_goes_on(tmp_path):
    services = Services(Settings(home=tmp_path / "home"))
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = open_interview(app, services, QUESTIONS, max_follow_ups=0)
        await pilot.pause()
        await pilot.press("ctrl+l")  # nothing skipped yet: a line says what the key is for
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Skipped. ctrl+l shows a strong answer to it." in shown_text(screen)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, ModelAnswerScreen)
        assert flat(services.model_answers.guide("technical.bias-variance").text) in whole_page(app.screen, 96)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await type_text(pilot, "Bagging averages independent models; boosting fits each one to the residuals.")
        await pilot.press("ctrl+s")
        await settle(pilot)
    turns = services.store.get(screen.runner.session_id).state.turns
    assert [t.status for t in turns] == ["skipped", "answered"]
    assert "Bias is error" not in turns[1].answer_text()
