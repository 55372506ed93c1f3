"""Setup: choose the stage, length, time per question and judge, then start an interview or a drill.

One line per stage, with the highlighted stage's description below the list, so every stage is in
view at 80x24. The last choices are remembered in the data home (`mockmle.app.setup_choices`).
`start_drill` is the one way the app starts a drill; the Progress screen uses it too.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Header, Label, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.widgets.select import NoSelection

from mockmle.app.progress_view import build_progress
from mockmle.app.setup_choices import SetupChoices, load_choices, save_choices
from mockmle.core.interview import build_plan
from mockmle.core.progress_models import Progress
from mockmle.errors import MockmleError
from mockmle.reporting.text import plural
from mockmle.tui.screens.base import BaseScreen

QUESTION_COUNTS = [1, 3, 5, 8, 10]
TIME_LIMITS = [(0, "no limit"), (120, "2 min"), (180, "3 min"), (300, "5 min"), (600, "10 min")]
FOLLOW_UPS = [0, 1, 2, 3]
UNTIMED_MINUTES = 3  # what the estimate counts for a question with no time limit

NO_MODEL = ("Only offline: no model is configured. Set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server, "
            "or [llm] in config.toml (see README, With a model).")


def drill_summary(progress: Progress) -> str:
    """Why a drill is worth it, in a few words: "4 due · 2 weak areas"."""
    if not progress.answers:
        return "after your first interview"
    weak = sum(1 for area in progress.areas if area.weak)
    if not progress.due and not weak:
        return "nothing due, no weak areas"
    return f"{len(progress.due)} due · {plural(weak, 'weak area')}"


def estimate(count: int, seconds: int | None) -> str:
    """How long the interview is likely to take: "about 15 min: 5 questions × 3 min"."""
    minutes = seconds / 60 if seconds else UNTIMED_MINUTES
    total = round(count * minutes)
    length = f"{total // 60} h {total % 60} min" if total >= 60 else f"{total} min"
    if not seconds:
        return f"about {length}: {plural(count, 'question')}, ~{minutes:g} min each"
    return f"about {length}: {plural(count, 'question')} × {minutes:g} min"


def start_drill(screen: BaseScreen, count: int = 5, seconds: int | None = 180, follow_ups: int = 1,
                judge: str | None = None) -> None:
    """Build a drill of what is due and weak and switch to it; say why not when there is nothing to drill."""
    from mockmle.app.drills import NothingToDrill, drill_plan
    from mockmle.tui.screens.interview import InterviewScreen

    try:
        plan = drill_plan(screen.services, count=count, time_per_question=seconds or None, max_follow_ups=follow_ups)
        interview = InterviewScreen.new(screen.services, plan, judge=judge)
    except NothingToDrill as exc:
        screen.notify(str(exc), timeout=8, markup=False)
        return
    except MockmleError as exc:
        screen.notify(str(exc), severity="error", markup=False)
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
        self.last = last = self._last_choices()
        judges = self._judge_options()
        yield Header()
        with Vertical(id="setup"):
            stages = OptionList(*self._stage_options(), id="setup-stage")
            stages.border_title = "Stage (↑/↓ to choose)"
            yield stages
            yield Static(id="setup-stage-about")
            with Horizontal(classes="setup-row"):
                yield Label("Questions", classes="setup-label")
                yield Select([(str(n), n) for n in QUESTION_COUNTS], value=last.count, allow_blank=False, compact=True,
                             id="setup-count")
                yield Label("Time each", classes="setup-label")
                yield Select([(label, seconds) for seconds, label in TIME_LIMITS], value=last.seconds, allow_blank=False,
                             compact=True, id="setup-time",
                             tooltip="A soft limit: the timer warns near it and never cuts you off.")
                yield Label("Follow-ups", classes="setup-label")
                yield Select([(str(n), n) for n in FOLLOW_UPS], value=last.follow_ups, allow_blank=False, compact=True,
                             id="setup-follow-ups", tooltip="At most this many follow-ups per question, on what "
                                                            "your answer left out.")
            with Horizontal(classes="setup-row"):
                yield Label("Judge", classes="setup-label")
                yield Select(judges, value=last.judge, allow_blank=False, compact=True, id="setup-judge",
                             tooltip="offline: the published scorecards and rule checks, no network. "
                                     "model: the configured LLM, with the rule checks beside it.")
                yield Static(id="setup-drill")
            if len(judges) == 1:
                yield Static(Text(NO_MODEL), id="setup-judge-note")
            with Horizontal(id="setup-bottom"):
                yield Static(id="setup-note")
                yield Button("Drill (ctrl+d)", id="setup-drill-start",
                             tooltip="Questions on what is due and your weak areas, mixed with new ones. "
                                     "Uses the settings above except the stage.")
                yield Button("Start (ctrl+s)", variant="primary", id="setup-start")
        yield Footer()

    def _judge_options(self) -> list[tuple[str | Text, str]]:
        options: list[tuple[str | Text, str]] = [("offline", "offline")]
        llm = self.services.settings.llm
        if llm.configured:
            options.append((Text(f"model ({llm.judge_model or 'server default'})"), "llm"))
        return options

    def _stage_options(self) -> list[Option]:
        bank = self.services.bank
        options = []
        for stage in bank.stages.values():
            prompt = Text(no_wrap=True, overflow="ellipsis")
            prompt.append(stage.title, style="bold")
            prompt.append(f"  {plural(len(bank.questions_for(stage.id)), 'question')}", style="dim")
            options.append(Option(prompt, id=stage.id))
        return options

    def _last_choices(self) -> SetupChoices:
        """The choices of the last start, each one kept only if it can still be chosen."""
        last = load_choices(self.services.settings.home)
        judges = [value for _, value in self._judge_options()]
        default = SetupChoices()
        return SetupChoices(
            stage=last.stage if last.stage in self.services.bank.stages else None,
            count=last.count if last.count in QUESTION_COUNTS else default.count,
            seconds=last.seconds if last.seconds in dict(TIME_LIMITS) else default.seconds,
            follow_ups=last.follow_ups if last.follow_ups in FOLLOW_UPS else default.follow_ups,
            judge=last.judge if last.judge in judges else (
                self.services.settings.judge if self.services.settings.judge in judges else "offline"),
        )

    def on_mount(self) -> None:
        stages = self.query_one("#setup-stage", OptionList)
        last = self.last.stage
        ids = [option.id for option in stages.options]
        stages.highlighted = ids.index(last) if last in ids else 0
        stages.focus()
        summary = drill_summary(build_progress(self.services.store.progress, self.services.bank))
        self.query_one("#setup-drill", Static).update(f"[dim]Drill: {summary}[/]")
        self._show_estimate()

    @on(OptionList.OptionHighlighted, "#setup-stage")
    def _show_stage(self, event: OptionList.OptionHighlighted) -> None:
        stage = self.services.bank.stage(event.option.id or "")
        self.query_one("#setup-stage-about", Static).update(Text(stage.description))

    @on(Select.Changed)
    def _show_estimate(self) -> None:
        chosen = self.chosen()
        self.query_one("#setup-note", Static).update(
            f"[b]{estimate(chosen['count'], chosen['seconds'])}[/b]\n"
            "[dim]The time limit only warns, never cuts you off.[/]")

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
        return {"count": self._number("#setup-count"), "seconds": self._number("#setup-time") or None,
                "follow_ups": self._number("#setup-follow-ups"), "judge": str(self.query_one("#setup-judge", Select).value)}

    def _number(self, selector: str) -> int:
        value = self.query_one(selector, Select).value
        assert not isinstance(value, NoSelection), f"{selector} allows no blank"
        return int(value)

    def _remember(self) -> None:
        chosen = self.chosen()
        save_choices(self.services.settings.home,
                     SetupChoices(stage=self.chosen_stage(), count=chosen["count"], seconds=chosen["seconds"] or 0,
                                  follow_ups=chosen["follow_ups"], judge=chosen["judge"]))

    def action_drill(self) -> None:
        self._remember()
        start_drill(self, **self.chosen())

    def action_start(self) -> None:
        from mockmle.tui.screens.interview import InterviewScreen

        chosen = self.chosen()
        try:
            plan = build_plan(self.services.bank, stages=[self.chosen_stage()], count=chosen["count"],
                              time_per_question=chosen["seconds"], max_follow_ups=chosen["follow_ups"])
            screen = InterviewScreen.new(self.services, plan, judge=chosen["judge"])
        except MockmleError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._remember()
        self.app.switch_screen(screen)
