"""Setup, Settings and the answer box as a candidate sees them at 80x24 and 120x40: what the screen
shows, line by line (issue 14, points 5, 6, 14, 15 and 16)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from textual.widgets import OptionList, Select
from textual.widgets._toast import Toast

from mockmle.app.services import Services
from mockmle.app.setup_choices import SetupChoices, choices_path, load_choices, save_choices
from mockmle.core.interview import build_plan
from mockmle.settings import LLMConfig, Settings, VoiceConfig
from mockmle.tui.app import build_app
from mockmle.tui.screens.interview import InterviewScreen
from mockmle.tui.screens.settings import SettingsScreen
from mockmle.tui.screens.setup import SetupScreen, estimate
from mockmle.tui.widgets.answer_editor import AnswerEditor
from mockmle.tui.widgets.path_line import PathLine, shorten_middle
from mockmle.tui.widgets.transcript import Transcript
from mockmle.tui.widgets.voice_bar import VoiceBar

VOICE_EXTRA = "pip install 'mockmle[voice]'"


def screen_lines(app) -> list[str]:
    """The rows of the terminal as the candidate sees them."""
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


def shown(app) -> str:
    return "\n".join(screen_lines(app))


def read(app) -> str:
    """The screen's words in reading order, lines joined: a sentence wrapped over two lines is found whole."""
    return " ".join(line.strip() for line in screen_lines(app))


def on_screen(app, widget) -> str:
    """What the screen shows where `widget` is, its rows joined."""
    region = widget.region
    rows = screen_lines(app)[region.y:region.bottom]
    return " ".join(row[region.x:region.right].strip() for row in rows)


def toasts(app) -> list[str]:
    return [toast.render().plain for toast in app.screen.query(Toast)]


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def no_faster_whisper(monkeypatch):
    """As on a machine installed without the voice extra."""
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name == "faster_whisper" else real(name, *args))


async def open_setup(pilot) -> SetupScreen:
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SetupScreen)
    return pilot.app.screen


# -- Setup (point 14)

@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.asyncio
async def test_every_stage_is_in_view_with_the_highlighted_ones_description(services: Services, size) -> None:
    stages = list(services.bank.stages.values())
    assert len(stages) == 7
    app = build_app(services)
    async with app.run_test(size=size) as pilot:
        await open_setup(pilot)
        for index, stage in enumerate(stages):
            text = shown(app)
            assert all(s.title in text for s in stages), text  # all seven, always
            assert stage.description[:40] in text.replace("\n", " ")
            highlighted = next(line for line in screen_lines(app) if stage.title in line)
            assert f"{len(services.bank.questions_for(stage.id))} questions" in highlighted
            if index < len(stages) - 1:
                await pilot.press("down")
                await pilot.pause()
        assert "Start (ctrl+s)" in shown(app) and "Judge" in shown(app)


@pytest.mark.asyncio
async def test_the_estimate_follows_the_choices(services: Services) -> None:
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot)
        assert "about 15 min: 5 questions × 3 min" in shown(app)
        screen.query_one("#setup-count", Select).value = 10
        screen.query_one("#setup-time", Select).value = 300
        await pilot.pause()
        assert "about 50 min: 10 questions × 5 min" in shown(app)


def test_estimate_wording() -> None:
    assert estimate(1, 120) == "about 2 min: 1 question × 2 min"
    assert estimate(10, 600) == "about 1 h 40 min: 10 questions × 10 min"
    assert estimate(5, None) == "about 15 min: 5 questions, ~3 min each"


@pytest.mark.asyncio
async def test_the_last_choices_are_remembered_across_runs(services: Services) -> None:
    stages = list(services.bank.stages)
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot)
        await pilot.press("down", "down")
        screen.query_one("#setup-count", Select).value = 3
        screen.query_one("#setup-time", Select).value = 0
        screen.query_one("#setup-follow-ups", Select).value = 2
        await pilot.press("ctrl+s")
        await pilot.pause()
        interview = app.screen
        assert isinstance(interview, InterviewScreen)
        assert interview.plan.stages == [stages[2]] and len(interview.plan.question_ids) == 3
    assert load_choices(services.settings.home) == SetupChoices(stage=stages[2], count=3, seconds=0, follow_ups=2,
                                                                judge="offline")

    again = build_app(Services(services.settings))
    async with again.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot)
        assert screen.query_one("#setup-stage", OptionList).highlighted == 2
        assert screen.chosen() == {"count": 3, "seconds": None, "follow_ups": 2, "judge": "offline"}
        assert "about 9 min: 3 questions, ~3 min each" in shown(again)


@pytest.mark.parametrize("content", [
    "{not json",
    "[1, 2, 3]",
    '{"stage": "no-such-stage", "count": 7, "seconds": "soon", "follow_ups": true, "judge": "llm"}',
    b"\xff\xfe\x00garbage",
])
@pytest.mark.asyncio
async def test_a_broken_choices_file_gives_the_defaults(services: Services, content) -> None:
    path = choices_path(services.settings.home)
    path.parent.mkdir(parents=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot)
        assert screen.query_one("#setup-stage", OptionList).highlighted == 0
        assert screen.chosen() == {"count": 5, "seconds": 180, "follow_ups": 1, "judge": "offline"}
        await pilot.press("ctrl+s")  # and starting writes a good file over it
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
    assert json.loads(path.read_text())["count"] == 5


def test_choices_survive_a_home_that_cannot_be_written(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("a file where the folder should be")
    assert save_choices(home, SetupChoices(count=8)) is False
    assert load_choices(home) == SetupChoices()


@pytest.mark.asyncio
async def test_only_offline_says_why_and_how_to_add_a_model(services: Services) -> None:
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_setup(pilot)
        text = read(app)
        assert "no model is configured" in text
        for needed in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "[llm] in config.toml", "With a model"):
            assert needed in text, needed
        assert "Start (ctrl+s)" in text  # the note does not push the buttons off an 80x24 screen


@pytest.mark.asyncio
async def test_with_a_model_the_judge_can_be_chosen_and_is_remembered(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", judge="llm",
                        llm=LLMConfig(base_url="http://127.0.0.1:9/v1", judge_model="tiny[q4]"))
    save_choices(settings.home, SetupChoices(judge="offline"))
    app = build_app(Services(settings))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot)
        assert "no model is configured" not in shown(app)
        assert screen.chosen()["judge"] == "offline"  # the last choice wins over the settings' default
        select = screen.query_one("#setup-judge", Select)
        select.value = "llm"
        await pilot.pause()
        assert "model (tiny[q4])" in shown(app)  # a model name is text, not markup


@pytest.mark.asyncio
async def test_a_pack_stage_with_brackets_shows_them(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "mine.toml").write_text('''format = 1

[[stages]]
id = "mine"
title = "Deep learning [advanced]"
description = "Transformers [b]in depth[/b], and [voice] tricks"
scorecard = "technical"

[[questions]]
id = "mine.attention"
stage = "mine"
text = "What does attention compute?"
areas = ["Queries, keys and values", "Softmax weights", "Cost in sequence length"]
follow_ups = ["Why scale by the square root of the dimension?"]
key_points = ["A weighted sum of values"]
competencies = ["machine-learning-fundamentals"]
source = "user pack"
''', encoding="utf-8")
    services = Services(Settings(home=tmp_path / "home", bank_dirs=(pack,)))
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot)
        options = screen.query_one("#setup-stage", OptionList)
        options.highlighted = [o.id for o in options.options].index("mine")
        await pilot.pause()
        assert "Deep learning [advanced]" in shown(app)
        assert "Transformers [b]in depth[/b], and [voice] tricks" in shown(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert "Deep learning [advanced] · Question 1 of 1" in shown(app)


# -- Settings (points 5, 6 and 16)

async def open_settings(pilot) -> SettingsScreen:
    await pilot.pause()
    await pilot.press("s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SettingsScreen)
    return pilot.app.screen


@pytest.mark.asyncio
async def test_settings_shows_bracketed_text(services: Services) -> None:
    app = build_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot)
        assert "Set [voice] in config.toml" in read(app)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.asyncio
async def test_settings_never_breaks_a_path(tmp_path: Path, size) -> None:
    home = tmp_path / ("a-data-home-with-a-rather-long-name-" * 2) / "mockmle-practice" / "home"
    services = Services(Settings(home=home))
    app = build_app(services)
    async with app.run_test(size=size) as pilot:
        screen = await open_settings(pilot)
        rows = {}
        for widget in screen.query(PathLine):
            screen.query_one("#settings").scroll_to_widget(widget, animate=False)
            await pilot.pause()
            region = widget.region
            assert region.height == 1
            row = screen_lines(app)[region.y][region.x:region.right].strip()
            text = row.removeprefix(widget.label.strip()).strip()
            path = widget.path
            ends = text.split("…")
            assert text == path or (len(ends) == 2 and path.startswith(ends[0]) and path.endswith(ends[1])), row
            rows[path] = text
        assert rows[str(services.settings.db_path)].endswith("/home/mockmle.db")
        assert "…" in rows[str(services.settings.db_path)]  # too long for the screen: shortened, not wrapped
        rubrics = str(services.settings.bank_sources()[0])
        assert rows[rubrics] == rubrics  # short enough: whole
        assert str(services.settings.recordings_dir) in rows


def test_shorten_middle_keeps_the_end() -> None:
    assert shorten_middle("/short/path", 20) == "/short/path"
    cut = shorten_middle("/home/someone/projects/mockmle/_data/rubrics", 20)
    assert len(cut) == 20 and cut.startswith("/home/s") and cut.endswith("data/rubrics") and "…" in cut


@pytest.mark.asyncio
async def test_settings_says_transcription_is_off_without_faster_whisper(services: Services, no_faster_whisper) -> None:
    app = build_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot)
        text = read(app)
        assert "faster-whisper, model" not in text
        assert "transcription is off, answers are typed" in text and VOICE_EXTRA in text


@pytest.mark.asyncio
async def test_settings_names_the_whisper_model_that_would_transcribe(tmp_path: Path) -> None:
    model = tmp_path / "whisper-small"
    model.mkdir()
    (model / "model.bin").write_bytes(b"")
    services = Services(Settings(home=tmp_path / "home", voice=VoiceConfig(whisper_model=str(model))))
    app = build_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot)
        assert f"transcription: faster-whisper, model {model}" in shown(app)


# -- the interview (points 5 and 15)

@pytest.mark.asyncio
async def test_record_without_the_voice_extra_names_the_extra(services: Services, no_faster_whisper) -> None:
    app = build_app(services)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = InterviewScreen.new(services, build_plan(services.bank, question_ids=["applied-ml.why-tests"]))
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.query_one(VoiceBar).recorder is None
        assert VOICE_EXTRA in on_screen(app, screen.query_one(VoiceBar))
        assert any(VOICE_EXTRA in " ".join(t.split()) for t in toasts(app)), toasts(app)


ANSWER_200 = " ".join(["I would first check the data pipeline, then the model's calibration on recent traffic."] * 15)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.asyncio
async def test_the_answer_box_grows_with_the_terminal_and_the_text(services: Services, size) -> None:
    width, height = size
    app = build_app(services)
    async with app.run_test(size=size) as pilot:
        screen = InterviewScreen.new(services, build_plan(services.bank, question_ids=["applied-ml.why-tests"]))
        app.push_screen(screen)
        await pilot.pause()
        editor = screen.query_one(AnswerEditor)
        empty = editor.outer_size.height
        assert empty >= 7 and empty >= height * 0.3 - 1  # at least five lines to type in, more on a tall terminal
        assert len(ANSWER_200.split()) >= 200
        editor.insert(ANSWER_200)
        await pilot.pause()
        grown = editor.outer_size.height
        assert grown > empty and grown <= height // 2 + 1
        assert screen.query_one(Transcript).outer_size.height >= 4
        last_words = services.bank.question("applied-ml.why-tests").prompt.split()[-2:]
        assert " ".join(last_words) in shown(app)  # the question stays in view above the grown box
        if height >= 40:  # at 120x40 a 200-word answer is read back whole
            assert editor.max_scroll_y == 0 and editor.wrapped_document.height <= editor.content_size.height
