"""Settings: where data lives, which packs and judge are in use, and how to change each."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.markup import escape
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from mockmle.tui.screens.base import BaseScreen


class SettingsScreen(BaseScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings"):
            yield Static(self._text(), classes="results-block")
        yield Footer()

    def _text(self) -> str:
        settings = self.services.settings
        judge, how = self.services.judge_summary()
        packs = "\n".join(f"  {escape(str(path))}" for path in settings.bank_sources())
        return (
            f"[b]Judge[/b]\n{judge}\n[dim]{how}[/]\n\n"
            f"[b]Data home[/b]\n  {escape(str(settings.home))}\n  database: {escape(str(settings.db_path))}\n  exports: {escape(str(settings.transcripts_dir))}\n"
            "[dim]Change it with MOCKMLE_HOME=/path or mockmle --home /path.[/]\n\n"
            f"[b]Question packs[/b] ({len(self.services.bank.questions)} questions)\n{packs}\n"
            "[dim]Add your own with MOCKMLE_BANK_DIR=/path or --bank-dir /path; check them with mockmle bank validate PATH.[/]\n\n"
            f"[b]Voice[/b]\n{escape(self._voice())}\n"
            "[dim]ctrl+o in an interview records an answer; `mockmle doctor` checks the microphone and the model. "
            "Set [voice] in config.toml, or MOCKMLE_TRANSCRIBER, MOCKMLE_WHISPER_MODEL and MOCKMLE_SPEAK.[/]\n\n"
            "[b]Theme[/b]\n[dim]ctrl+p, then Theme.[/]"
        )

    def _voice(self) -> str:
        voice = self.services.settings.voice
        if voice.transcriber == "api":
            heard = f"  transcribed by {voice.transcribe_model} at {self.services.settings.llm.endpoint}"
        else:
            heard = f"  transcribed on this machine by faster-whisper, model {voice.whisper_model}"
        spoken = {"off": "off", "espeak": "espeak-ng", "api": f"{voice.speech_model} ({voice.speech_voice})"}[voice.speak]
        return (f"{heard}\n  recordings: {self.services.settings.recordings_dir}\n"
                f"  questions read aloud: {spoken}")
