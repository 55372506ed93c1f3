"""The acceptance suite's hands and eyes in the app: read what a screen shows, play a scripted session.

Used by test_acceptance_tui.py. A session is played the way a candidate plays it: Home, n, the stage
chosen with the arrow keys, ctrl+s; then each answer entered and sent with ctrl+s, ctrl+t for a hint,
ctrl+n to skip, and a short reply to any follow-up. What it showed is kept in a `Seen`.
"""

from __future__ import annotations

import asyncio
import io
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from rich.console import Console
from rich.errors import MarkupError
from rich.text import Text
from textual import events
from textual.widgets import DataTable, Input, OptionList, Static

from acceptance_answers import FOLLOW_UP_REPLY, Script
from mockmle.app.services import Services
from mockmle.core.plan import build_plan
from mockmle.settings import Settings
from mockmle.tui.app import build_app

SIZE = (80, 24)


# ---- reading the screen ------------------------------------------------------------------


def plain(value) -> str:
    if hasattr(value, "plain"):
        return value.plain
    try:
        return Text.from_markup(str(value)).plain
    except MarkupError:
        return str(value)


def _print(console: Console, value) -> None:
    """A widget's content as the candidate reads it: markup strings parsed, renderables (tables) rendered."""
    if isinstance(value, str) or hasattr(value, "plain"):
        console.print(plain(value), markup=False, highlight=False)
    else:
        console.print(value)


def full_text(screen, width: int = 78) -> str:
    """Everything the screen holds, in order, including what is scrolled out of view."""
    console = Console(width=width, file=io.StringIO(), record=True)
    for widget in screen.query("*"):
        if isinstance(widget, Static):
            _print(console, widget.content)
        elif isinstance(widget, OptionList):
            for index in range(widget.option_count):
                _print(console, widget.get_option_at_index(index).prompt)
        elif isinstance(widget, DataTable):
            for row_key in widget.rows:
                console.print("  ".join(plain(cell) for cell in widget.get_row(row_key)), markup=False)
        elif isinstance(widget, Input):
            console.print(widget.value, markup=False)
    return console.export_text()


def on_screen(app) -> str:
    """What the terminal shows right now, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def flat(text: str) -> str:
    return " ".join(text.split())


def notifications(app) -> list[str]:
    return [plain(n.message) for n in app._notifications]


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def enter_text(pilot, text: str) -> None:
    """An answer arrives in the focused answer box as a terminal's paste does (the app hands it on).

    (Typing key by key works too, but the draft is saved on every key: 90 ms a key on this machine.)
    """
    focused = pilot.app.focused
    assert focused is not None and focused.id == "answer", f"the answer box is not focused: {focused}"
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def choose_stage(pilot, stage: str) -> None:
    """On Setup: move the stage list's highlight to `stage` with the arrow keys."""
    stages = pilot.app.screen.query_one("#setup-stage", OptionList)
    stages.focus()
    ids = [stages.get_option_at_index(i).id for i in range(stages.option_count)]
    await pilot.press("home", *["down"] * ids.index(stage))
    assert stages.get_option_at_index(stages.highlighted).id == stage


def screen_name(app) -> str:
    return type(app.screen).__name__


# ---- playing a session -------------------------------------------------------------------


@dataclass
class Seen:
    """What one session showed the candidate."""

    script: Script
    session_id: str | None = None
    error: str | None = None
    chosen_stages: list[list[str]] = field(default_factory=list)  # what Setup asked build_plan for
    transcript: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) of every entry shown
    follow_ups: dict[str, list[str]] = field(default_factory=dict)  # by role: the follow-ups asked
    results: str = ""  # the Results screen's whole text
    results_first_screen: str = ""  # what the terminal showed when Results opened
    results_screen: str = ""


def transcript_entries(screen) -> list[tuple[str, str]]:
    entries = []
    for entry in screen.query(".entry"):
        kind = next((c[1:] for c in entry.classes if c.startswith("-")), "")
        entries.append((kind, plain(entry.content)))
    return entries


async def answer_step(pilot, interview, seen: Seen, position: int) -> None:
    step = seen.script.steps[position]
    if step.answer is None:
        await pilot.press("ctrl+n")
        await settle(pilot)
        return
    for _ in range(step.hints):
        await pilot.press("ctrl+t")
        await pilot.pause()
    await enter_text(pilot, step.answer)
    seen.transcript = transcript_entries(interview)
    await pilot.press("ctrl+s")
    await settle(pilot)
    for _ in range(4):  # reply to the follow-ups on this question, as a candidate would
        turn = interview.runner.state.current
        if pilot.app.screen is not interview or turn is None or turn.position != position:
            return
        seen.follow_ups.setdefault(step.role, []).append(turn.exchanges[-1].prompt)
        await enter_text(pilot, FOLLOW_UP_REPLY)
        seen.transcript = transcript_entries(interview)
        await pilot.press("ctrl+s")
        await settle(pilot)


async def play_stage(home: Path, script: Script) -> Seen:
    seen = Seen(script)

    def pinned_plan(bank, stages=None, count=5, seed=None, question_ids=None, **options):
        seen.chosen_stages.append(list(stages or []))
        return build_plan(bank, question_ids=question_ids or script.question_ids, seed=seed, **options)

    app = build_app(Services(Settings(home=home)))
    try:
        with mock.patch("mockmle.tui.screens.setup.build_plan", pinned_plan):
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                await pilot.press("n")
                await pilot.pause()
                await choose_stage(pilot, script.stage)
                await pilot.press("ctrl+s")
                await pilot.pause()
                interview = app.screen
                seen.session_id = interview.runner.session_id
                for position in range(len(script.steps)):
                    seen.transcript = transcript_entries(interview)
                    await answer_step(pilot, interview, seen, position)
                for _ in range(10):
                    if app.screen is not interview:
                        break
                    await settle(pilot)
                await pilot.pause()
                seen.results_screen = screen_name(app)
                seen.results = full_text(app.screen)
                seen.results_first_screen = on_screen(app)
    except Exception:  # noqa: BLE001 - the test reports whatever broke the run, with its traceback
        seen.error = traceback.format_exc()
    return seen


# ---- opening screens --------------------------------------------------------------------


async def open_setup(pilot) -> None:
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    assert screen_name(pilot.app) == "SetupScreen"


async def open_review(pilot):
    await pilot.pause()
    await pilot.press("v")
    await pilot.pause()
    assert screen_name(pilot.app) == "ReviewScreen"
    return pilot.app.screen


def saved_path(app, suffix: str) -> Path:
    """The file an export notification names; it must exist."""
    for message in reversed(notifications(app)):
        found = re.search(r"(/\S+" + re.escape(suffix) + r")\b", message)
        if found:
            path = Path(found.group(1))
            assert path.is_file(), message
            return path
    raise AssertionError(f"no notification says where the {suffix} export went: {notifications(app)}")


async def open_settings(pilot) -> str:
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    assert screen_name(pilot.app) == "SettingsScreen"
    return full_text(pilot.app.screen)


async def palette_titles(pilot) -> list[str]:
    """Open the command palette, ask for "quit", and read the commands it lists."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"quit")
    listed = app.screen.query_one(OptionList)
    for _ in range(50):  # the palette searches in the background: wait for its hits, then a little longer
        await asyncio.sleep(0.1)
        if listed.option_count:
            break
    await asyncio.sleep(0.3)
    await pilot.pause()
    prompts = [plain(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return [p.splitlines()[0].strip() for p in prompts if p]
