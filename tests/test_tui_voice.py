"""Answering out loud in the real app, driven by Pilot: ctrl+o records through the real recorder (its input stream
fed from the committed clip), ctrl+o again transcribes with faster-whisper into the answer box, the candidate
corrects it and sends; the database keeps both texts and the delivery, and Results shows it with the grade."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest

from fake_microphone import WAIT
from mockmle.app.services import Services
from mockmle.core.interview import build_plan
from mockmle.settings import Settings, VoiceConfig
from mockmle.tui.app import build_app
from mockmle.tui.screens.interview import InterviewScreen
from mockmle.tui.screens.results import ResultsScreen
from mockmle.tui.widgets.answer_editor import AnswerEditor
from mockmle.tui.widgets.voice_bar import VoiceBar
from test_tui_pilot import shown_text

pytestmark = pytest.mark.asyncio
QUESTION = "applied-ml.why-tests"


def voice_services(home: Path, whisper: Path | str) -> Services:
    return Services(Settings(home=home, voice=VoiceConfig(transcriber="local", whisper_model=str(whisper))))


async def open_interview(app, services: Services) -> InterviewScreen:
    screen = InterviewScreen.new(services, build_plan(services.bank, question_ids=[QUESTION], max_follow_ups=0,
                                                      time_per_question=180))
    app.push_screen(screen)
    return screen


async def wait_for(pilot, condition, what: str) -> None:
    for _ in range(int(WAIT * 10)):
        await pilot.pause()
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def test_record_transcribe_correct_and_send(tmp_path, microphone, whisper_model_dir):
    services = voice_services(tmp_path / "home", whisper_model_dir)
    app = build_app(services)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_interview(app, services)
        await pilot.pause()
        await pilot.press("ctrl+o")
        bar = screen.query_one(VoiceBar)
        assert bar.recorder is not None and "recording" in str(bar.content)
        assert microphone.stream.done.wait(WAIT)  # the whole clip has been "said"
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: screen.query_one(AnswerEditor).text, "the transcript in the answer box")

        editor = screen.query_one(AnswerEditor)
        raw = editor.text
        assert "logistic regression" in raw.lower() and "pipeline" in raw.lower()
        assert "ctrl+s sends it" in str(bar.content)
        editor.replace_all(raw.replace("maze line", "baseline"))  # the candidate corrects what Whisper misheard
        submitted = editor.text
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        shown = shown_text(app.screen)
        assert "Spoken:" in shown and "Filler words" in shown

    record = services.store.get(screen.runner.session_id)
    assert record.state.turns[0].exchanges[0].answer == submitted
    take = record.takes[(0, 0)]
    assert take.spoken.text.strip() == raw.strip()
    assert take.audio_path == f"recordings/{record.id}/q1-1.wav"  # relative: exports do not reveal the data home
    assert (services.settings.home / take.audio_path).stat().st_size > 500_000
    assert {f.text.rstrip(",.").lower() for f in take.delivery.fillers} >= {"uh", "you know"}
    assert len(take.delivery.long_pauses) == 1


async def test_no_microphone_turns_voice_off_with_one_line_and_typing_works(tmp_path, monkeypatch, sd):
    monkeypatch.setattr(sd, "query_devices", lambda device=None, kind=None: (_ for _ in ()).throw(
        sd.PortAudioError("Error querying device -1")))
    services = voice_services(tmp_path / "home", tmp_path / "no-model-needed")
    services.transcriber = SimpleNamespace(check=lambda: "ready")  # the microphone is what fails
    app = build_app(services)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_interview(app, services)
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        line = str(screen.query_one(VoiceBar).content)
        assert line.startswith("Voice is off:") and "\n" not in line and "typing works" in line
        bar = screen.query_one(VoiceBar)
        assert bar.recorder is None and bar.voice_off == line
        await pilot.press(*"typed instead", "ctrl+s")
        await pilot.pause()
        assert screen.runner.state.turns[0].exchanges[0].answer == "typed instead"


async def test_a_missing_whisper_model_is_said_before_recording(tmp_path, microphone):
    services = voice_services(tmp_path / "home", tmp_path / "nowhere")
    app = build_app(services)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_interview(app, services)
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.query_one(VoiceBar).recorder is None
        assert microphone.streams == []  # nothing was recorded for nothing
        assert "MOCKMLE_WHISPER_MODEL" in str(screen.query_one(VoiceBar).content)


class ListeningSpeaker:
    name = "test"

    def __init__(self):
        self.said: list[str] = []
        self.stops = 0

    def say(self, text: str) -> None:
        self.said.append(text)

    def stop(self) -> None:
        self.stops += 1


async def test_questions_are_read_aloud_when_asked_for_and_settings_say_so(tmp_path):
    services = Services(Settings(home=tmp_path / "home", voice=VoiceConfig(speak="espeak")))
    speaker = services.speaker = ListeningSpeaker()  # espeak-ng itself is tested in test_speaker.py
    app = build_app(services)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_interview(app, services)
        await wait_for(pilot, lambda: speaker.said, "the question to be read")
        prompt = services.bank.question(QUESTION).prompt
        assert speaker.said == [prompt]
        await pilot.press("ctrl+r")  # repeat the question: read again
        await wait_for(pilot, lambda: len(speaker.said) == 2, "the question to be read again")
        assert speaker.said[1].endswith(prompt)  # as the transcript shows it: "Again: …"
        stops = speaker.stops
        await pilot.press("ctrl+n")  # skipping the only question ends the interview: leaving the screen stops reading
        await wait_for(pilot, lambda: speaker.stops > stops, "the reading to stop")
        from mockmle.tui.screens.settings import SettingsScreen

        app.push_screen(SettingsScreen())
        await pilot.pause()
        shown = shown_text(app.screen)
        assert "questions read aloud: espeak-ng" in shown and "transcription" in shown  # what: test_tui_setup_settings
    assert screen.runner.finished
