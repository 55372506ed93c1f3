"""Setup: choose the stage, length, time per question and judge, then start an interview or a drill.

`start_drill` is the one way the app starts a drill; the Progress screen uses it too.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Header, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from mockmle.core.interview import build_plan
from mockmle.errors import MockmleError
from mockmle.progress_report import Progress, build_progress
from mockmle.reporting.text import plural
from mockmle.tui.screens.base import BaseScreen

QUESTION_COUNTS = [1, 3, 5, 8, 10]
TIME_LIMITS = [(0, "no limit"), (120, "2 min"), (180, "3 min"), (300, "5 min"), (600, "10 min")]
FOLLOW_UPS = [0, 1, 2, 3]


def drill_summary(progress: Progress) -> str:
    """Why a drill is worth it, in a few words: "4 due · 2 weak areas"."""
    if not progress.answers:
        return "after your first interview"
    weak = sum(1 for area in progress.areas if area.weak)
    if not progress.due and not weak:
        return "nothing due, no weak areas"
    return f"{len(progress.due)} due · {plural(weak, 'weak area')}"


def start_drill(screen: BaseScreen, count: int = 5, seconds: int | None = 180, follow_ups: int = 1,
                judge: str | None = None) -> None:
    """Build a drill of what is due and weak and switch to it; say why not when there is nothing to drill."""
    from mockmle.drills import NothingToDrill, drill_plan
    from mockmle.tui.screens.interview import InterviewScreen

    try:
        plan = drill_plan(screen.services, count=count, time_per_question=seconds or None, max_follow_ups=follow_ups)
        interview = InterviewScreen.new(screen.services, plan, judge=judge)
    except NothingToDrill as exc:
        screen.notify(str(exc), timeout=8)
        return
    except MockmleError as exc:
        screen.notify(str(exc), severity="error")
        return
    screen.app.switch_screen(interview)


class SetupScreen(BaseScreen):
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", priority=True),
        Binding("ctrl+d", "drill", "Drill what's due", priority=True,
                tooltip="Questions on what is due and your weak areas, mixed with new ones"),
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
                yield Static(id="setup-drill")
            with Horizontal(id="setup-bottom"):
                yield Static("[dim]The time limit only warns, never cuts you off. "
                             "Follow-ups probe what you left out.[/]", id="setup-note")
                yield Button("Drill (ctrl+d)", id="setup-drill-start",
                             tooltip="Questions on what is due and your weak areas, mixed with new ones. "
                                     "Uses the settings above except the stage.")
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
        summary = drill_summary(build_progress(self.services.store.db, self.services.bank))
        self.query_one("#setup-drill", Static).update(f"[dim]Drill: {summary}[/]")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#setup-count").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "setup-start":
            self.action_start()
        elif event.button.id == "setup-drill-start":
            self.action_drill()

    def chosen_stage(self) -> str:
        stages = self.query_one("#setup-stage", OptionList)
        option = stages.get_option_at_index(stages.highlighted or 0)
        return option.id or ""

    def chosen(self) -> dict:
        """The count, time, follow-ups and judge as chosen: what both an interview and a drill use."""
        return {"count": int(self.query_one("#setup-count", Select).value),
                "seconds": int(self.query_one("#setup-time", Select).value) or None,
                "follow_ups": int(self.query_one("#setup-follow-ups", Select).value),
                "judge": str(self.query_one("#setup-judge", Select).value)}

    def action_drill(self) -> None:
        start_drill(self, **self.chosen())

    def action_start(self) -> None:
        from mockmle.tui.screens.interview import InterviewScreen

        chosen = self.chosen()
        try:
            plan = build_plan(self.services.bank, stages=[self.chosen_stage()], count=chosen["count"],
                              time_per_question=chosen["seconds"], max_follow_ups=chosen["follow_ups"])
            screen = InterviewScreen.new(self.services, plan, judge=chosen["judge"])
        except MockmleError as exc:
            self.notify(str(exc), severity="error")
            return
        self.app.switch_screen(screen)
