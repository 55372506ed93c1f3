"""Setup: choose the stage, length, time per question and judge, then start."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Header, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from mockmle.core.interview import build_plan
from mockmle.errors import MockmleError
from mockmle.tui.screens.base import BaseScreen

QUESTION_COUNTS = [1, 3, 5, 8, 10]
TIME_LIMITS = [(0, "no limit"), (120, "2 min"), (180, "3 min"), (300, "5 min"), (600, "10 min")]
FOLLOW_UPS = [0, 1, 2, 3]


class SetupScreen(BaseScreen):
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="setup"):
            yield Label("Stage  [dim](↑/↓ to choose)[/]", classes="field-label")
            yield OptionList(*self._stage_options(), id="setup-stage")
            with Horizontal(classes="setup-row"):
                yield Label("Questions", classes="setup-label")
                yield Select([(str(n), n) for n in QUESTION_COUNTS], value=5, allow_blank=False, compact=True, id="setup-count")
                yield Label("Time each", classes="setup-label")
                yield Select([(label, seconds) for seconds, label in TIME_LIMITS], value=180, allow_blank=False, compact=True,
                             id="setup-time", tooltip="A soft limit: the timer warns near it and never cuts you off.")
                yield Label("Follow-ups", classes="setup-label")
                yield Select([(str(n), n) for n in FOLLOW_UPS], value=1, allow_blank=False, compact=True, id="setup-follow-ups")
            with Horizontal(classes="setup-row"):
                yield Label("Judge", classes="setup-label")
                yield Select(self._judge_options(), value=self.services.settings.judge, allow_blank=False, compact=True,
                             id="setup-judge", tooltip="offline: the published scorecards and rule checks, no network. "
                                                       "model: the configured LLM, with the rule checks beside it.")
                yield Static("[dim]Drills and voice: coming later[/]", id="setup-later")
            with Horizontal(id="setup-bottom"):
                yield Static("[dim]The time limit only warns; it never cuts you off. "
                             "Follow-ups probe what your answer left out.[/]", id="setup-note")
                yield Button("Start (ctrl+s)", variant="primary", id="setup-start")
        yield Footer()

    def _judge_options(self) -> list[tuple[str, str]]:
        options = [("offline", "offline")]
        llm = self.services.settings.llm
        if llm.configured:
            options.append((f"model ({llm.judge_model or 'server default'})", "llm"))
        return options

    def _stage_options(self) -> list[Option]:
        bank = self.services.bank
        return [Option(f"[b]{stage.title}[/b]  [dim]{len(bank.questions_for(stage.id))} questions[/]\n{stage.description}", id=stage.id)
                for stage in bank.stages.values()]

    def on_mount(self) -> None:
        stages = self.query_one("#setup-stage", OptionList)
        stages.highlighted = 0
        stages.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#setup-count").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "setup-start":
            self.action_start()

    def chosen_stage(self) -> str:
        stages = self.query_one("#setup-stage", OptionList)
        option = stages.get_option_at_index(stages.highlighted or 0)
        return option.id or ""

    def action_start(self) -> None:
        from mockmle.tui.screens.interview import InterviewScreen

        count = self.query_one("#setup-count", Select).value
        seconds = self.query_one("#setup-time", Select).value
        follow_ups = self.query_one("#setup-follow-ups", Select).value
        try:
            plan = build_plan(self.services.bank, stages=[self.chosen_stage()], count=int(count),
                              time_per_question=int(seconds) or None, max_follow_ups=int(follow_ups))
            screen = InterviewScreen.new(self.services, plan, judge=str(self.query_one("#setup-judge", Select).value))
        except MockmleError as exc:
            self.notify(str(exc), severity="error")
            return
        self.app.switch_screen(screen)
