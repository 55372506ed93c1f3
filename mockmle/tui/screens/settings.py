"""Settings: where data lives, which packs and judge are in use, and how to change each.

Paths are PathLines (one line, shortened in the middle, never broken). Text from the settings goes in
as `Text`, never as markup. Whether answers can be transcribed is asked of the transcriber the
interview uses, in a background thread: its check may import faster-whisper.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static

from mockmle.errors import MockmleError
from mockmle.tui.screens.base import BaseScreen
from mockmle.tui.widgets.path_line import PathLine
from mockmle.tui.workers import run_model_call


def heading(title: str) -> Static:
    return Static(Text(title, style="bold"), classes="settings-heading")


def note(text: str) -> Static:
    return Static(Text(text, style="dim"), classes="settings-note")


def line(text: str) -> Static:
    return Static(Text(text), classes="settings-item")


def path_line(path: object, label: str = "") -> PathLine:
    return PathLine(path, label, classes="settings-item")


class SettingsScreen(BaseScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    class VoiceChecked(Message):
        """What would transcribe (`where`), or why nothing can (`problem`)."""

        def __init__(self, where: str | None, problem: str | None):
            super().__init__()
            self.where, self.problem = where, problem

    def compose(self) -> ComposeResult:
        settings = self.services.settings
        judge, how = self.services.judge_summary()
        config = settings.config_path
        yield Header()
        with VerticalScroll(id="settings"):
            yield heading("Judge")
            yield Static(Text(judge))
            yield note(how)
            yield heading("Data home")
            yield path_line(settings.home)
            yield path_line(settings.db_path, "database: ")
            yield path_line(settings.transcripts_dir, "exports: ")
            yield path_line(config, ("config: " if config.is_file() else "config (not present yet): "))
            yield note("Change it with MOCKMLE_HOME=/path or mockmle --home /path.")
            yield heading(f"Question packs ({len(self.services.bank.questions)} questions)")
            for path in settings.bank_sources():
                yield path_line(path)
            yield note("Add your own with MOCKMLE_BANK_DIR=/path or --bank-dir /path; "
                       "check them with mockmle bank validate PATH.")
            yield heading("Voice")
            with Vertical(id="settings-voice"):
                yield line("transcription: checking…")
            yield path_line(settings.recordings_dir, "recordings: ")
            yield line(f"questions read aloud: {self._spoken()}")
            yield note("ctrl+o in an interview records an answer; `mockmle doctor` checks the microphone and the "
                       "model. Set [voice] in config.toml, or MOCKMLE_TRANSCRIBER, MOCKMLE_WHISPER_MODEL and "
                       "MOCKMLE_SPEAK.")
            yield heading("Theme")
            yield note("ctrl+p, then Theme.")
        yield Footer()

    def on_mount(self) -> None:
        services = self.services

        def check() -> None:
            try:
                where = services.transcriber.check()
            except MockmleError as exc:  # TranscriptionError says why and what to do
                self.post_message(self.VoiceChecked(None, exc.line))
            except Exception as exc:  # noqa: BLE001 - a backend's own failure: the line must not stay at "checking…"
                self.post_message(self.VoiceChecked(None, str(exc)))
            else:
                self.post_message(self.VoiceChecked(where, None))

        run_model_call(self, check, group="settings-voice", name="check transcription")

    def on_settings_screen_voice_checked(self, message: VoiceChecked) -> None:
        box = self.query_one("#settings-voice", Vertical)
        box.remove_children()
        if message.where is None:
            box.mount(line(f"transcription is off, answers are typed: {message.problem}"))
            return
        # "api: whisper-1 at URL; faster-whisper, model FOLDER if it fails": one line each, paths whole
        pieces = message.where.split("; ")
        box.mount(path_line(pieces[0], "transcription: "), *(path_line(piece, "  then ") for piece in pieces[1:]))

    def _spoken(self) -> str:
        voice = self.services.settings.voice
        return {"off": "off", "espeak": "espeak-ng", "api": f"{voice.speech_model} ({voice.speech_voice})"}[voice.speak]
