"""The app with a model configured: follow-ups streamed into the transcript, the token meter, and a
judge that fails falling back to offline with one calm line. The model is a scripted
OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockmle.app.services import Services
from mockmle.settings import LLMConfig, Settings
from mockmle.tui.app import build_app
from mockmle.tui.screens.interview import InterviewScreen
from openai_stub import OpenAIStub, Reply
from test_tui_pilot import ANSWER, open_interview, settle, shown_text, type_text

pytestmark = pytest.mark.asyncio

FOLLOW_UP = ["You said validation error is high. ", "Which regulariser ", "would you try first, and why?"]


@pytest.fixture
def stub():
    server = OpenAIStub(models=("stub-model",)).start()
    # Follow-ups stream as text; every judge request (it streams too, asking for structured output) gets a server
    # error.
    server.handler = (lambda body: Reply.error(503, "overloaded") if body.get("response_format")
                      else Reply(chunks=FOLLOW_UP))
    yield server
    server.stop()


@pytest.fixture
def services(tmp_path, stub) -> Services:
    llm = LLMConfig(base_url=stub.base_url, judge_model="stub-model", interviewer_model="stub-model", max_retries=0)
    return Services(Settings(home=tmp_path / "home", judge="llm", interviewer="llm", llm=llm))


async def test_model_follow_up_streams_in_and_a_failed_judge_falls_back(services, stub) -> None:
    app = build_app(services)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting"], max_follow_ups=1)
        await pilot.pause()
        assert "judge: model (stub-model)" in shown_text(screen)
        await type_text(pilot, "Overfitting is memorising the training data.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = shown_text(screen)
        assert "".join(FOLLOW_UP) in text
        exchange = screen.runner.state.turns[0].exchanges[-1]
        assert exchange.prompt == "".join(FOLLOW_UP) and exchange.source == "stub-model" and exchange.offline_prompt
        assert stub.chat_requests()[0]["stream"] is True
        assert "tokens " in text and " in / " in text  # the meter counts the follow-up call

        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s")
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("graded offline" in m and "HTTP 503" in m for m in messages), messages
    record = Services(services.settings).store.get(screen.runner.session_id)
    grade = record.grades[0]
    assert grade.provenance.fallback and grade.provenance.judge == "offline"
    calls = Services(services.settings).calls.for_session(screen.runner.session_id)
    assert {c["purpose"] for c in calls} == {"follow_up", "judge", "debrief"}


async def test_a_follow_up_the_model_cannot_write_keeps_the_offline_wording(services, stub) -> None:
    stub.handler = lambda body: Reply.error(500, "model crashed")
    app = build_app(services)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting"], max_follow_ups=1)
        await pilot.pause()
        await type_text(pilot, "Overfitting is memorising the training data.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        exchange = screen.runner.state.turns[0].exchanges[-1]
        assert exchange.kind == "follow_up" and exchange.source is None
        assert exchange.prompt in shown_text(screen)
        assert any("bank's follow-up instead" in str(n.message) for n in app._notifications)
        assert isinstance(app.screen, InterviewScreen)


async def test_results_get_the_interviewers_written_debrief_once(services, stub) -> None:
    from mockmle.tui.screens.results import ResultsScreen

    app = build_app(services)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting"], max_follow_ups=0)
        await pilot.pause()
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        text = shown_text(app.screen)
        assert "From the interviewer" in text and "".join(FOLLOW_UP) in text
    record = Services(services.settings).store.get(screen.runner.session_id)
    assert record.report.debrief.written == "".join(FOLLOW_UP) and record.report.debrief.written_by == "stub-model"
    debrief_calls = [r for r in stub.chat_requests() if "debrief" in r["messages"][0]["content"].lower()]
    assert len(debrief_calls) == 1
    # Opening the session again shows the saved debrief without asking the model again.
    app = build_app(Services(services.settings))
    async with app.run_test(size=(110, 40)) as pilot:
        app.push_screen(ResultsScreen(record, from_review=True))
        await settle(pilot)
        assert "".join(FOLLOW_UP) in shown_text(app.screen)
    assert len([r for r in stub.chat_requests() if "debrief" in r["messages"][0]["content"].lower()]) == 1


async def test_the_api_key_never_reaches_the_database_or_exports(tmp_path, stub) -> None:
    key = "sk-proj-never-store-me-0123456789"
    stub.handler = lambda body: (Reply.error(401, f"Incorrect API key provided: {key}") if body.get("response_format")
                                 else Reply(chunks=FOLLOW_UP))
    llm = LLMConfig(api_key=key, base_url=stub.base_url, judge_model="stub-model", interviewer_model="stub-model",
                    max_retries=0)
    services = Services(Settings(home=tmp_path / "home", judge="llm", interviewer="llm", llm=llm))
    app = build_app(services)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting"], max_follow_ups=1)
        await pilot.pause()
        for text in ("Overfitting is memorising the training data.", ANSWER):
            await type_text(pilot, text)
            await pilot.press("ctrl+s")
            await settle(pilot)
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "graded offline" in messages and "OPENAI_API_KEY" in messages and key not in messages
    from mockmle.app.export import write_export

    record = Services(services.settings).store.get(screen.runner.session_id)
    exports = [write_export(record, tmp_path / "out", fmt) for fmt in ("md", "json")]
    # The app has exited: reading the test's own files cannot stall it (the ASYNC240 below).
    stored = b"".join(path.read_bytes() for path in (tmp_path / "home").rglob("*") if path.is_file())
    assert key.encode() not in stored
    assert all(key not in Path(path).read_text() for path in exports)  # noqa: ASYNC240


# -- faults: an unreadable follow-up, sending while the follow-up is worded, a server that keeps failing


def _follow_up_entry_text(screen) -> str:
    return shown_text(screen).split("Follow-up", 1)[-1]


async def test_an_unreadable_follow_up_falls_back_and_send_works(services, stub) -> None:
    stub.handler = (lambda body: Reply.error(503) if body.get("response_format")
                    else Reply(sse=['data: {"choices": [{"delta": {"content": "Which']))
    app = build_app(services)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting"], max_follow_ups=1)
        await pilot.pause()
        await type_text(pilot, "Overfitting is memorising the training data.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.streaming is None  # not left on "…"
        follow_up = screen.runner.state.turns[0].exchanges[-1]
        assert follow_up.kind == "follow_up" and follow_up.source is None
        assert follow_up.prompt in shown_text(screen)
        assert any("could not be read" in str(n.message) and "bank's follow-up" in str(n.message)
                   for n in app._notifications)
        await type_text(pilot, "I would add regularisation.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.runner.state.turns[0].exchanges[1].answer == "I would add regularisation."


async def test_sending_while_the_follow_up_is_worded_answers_the_saved_one(services, stub) -> None:
    """The model is still wording (slowly, for ever); the candidate sends anyway: the answer goes to the bank's
    follow-up, saved when the follow-up opened, which the transcript then shows; the model's reply is closed."""
    stub.queue(Reply.slow_stream("Which ", interval=0.05))  # the first follow-up; every later request fails
    stub.handler = lambda body: Reply.error(503)
    app = build_app(services)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting", "technical.bias-variance"],
                                max_follow_ups=1)
        await pilot.pause()
        await type_text(pilot, "Overfitting is memorising the training data.")
        await pilot.press("ctrl+s")
        for _ in range(100):  # until the model's words are on screen
            await pilot.pause(0.05)
            if screen.streaming is not None and screen.streaming.pieces:
                break
        assert screen.streaming is not None and "Which" in shown_text(screen)
        offline = screen.runner.state.turns[0].exchanges[-1].prompt
        await type_text(pilot, "L2 regularisation first, because it is cheap to try.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        follow_up = screen.runner.state.turns[0].exchanges[1]
        assert follow_up.answer == "L2 regularisation first, because it is cheap to try."
        assert follow_up.prompt == offline and follow_up.source is None  # the late wording was not applied
        assert not any("still asking" in str(n.message) for n in app._notifications)
        assert stub.disconnected.wait(2), "the wording was stopped"
        text = shown_text(screen)
        assert offline in text and "Which Which" not in text


async def test_a_server_that_keeps_failing_is_left_with_one_notice(services, stub) -> None:
    stub.handler = lambda body: Reply.error(503, "overloaded")
    app = build_app(services)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = open_interview(app, services, ["technical.overfitting-underfitting", "technical.bias-variance"],
                                max_follow_ups=1)
        await pilot.pause()
        for text in ("Overfitting is memorising the training data.", "Regularise.", ANSWER, "Bias and variance."):
            await type_text(pilot, text)
            await pilot.press("ctrl+s")
            await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
    assert sum("failed 3 times in a row" in m for m in messages) == 1, messages
    assert not any(m.startswith("Question 2 was graded offline") for m in messages), messages
    assert len(stub.chat_requests()) == 3  # follow-up 1, judge 1, follow-up 2; nothing after
    record = Services(services.settings).store.get(screen.runner.session_id)
    assert all(g.provenance.fallback for g in record.grades.values())
