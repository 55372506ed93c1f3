"""Home: start, resume, review, progress, settings, and which judge is grading."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from mockmle.tui.labels import session_line
from mockmle.tui.screens.base import BaseScreen

RESUME_SHOWN = 3


def _item(key: str, label: str) -> str:
    return f"[b]{key:<2}[/b] {label}"


class HomeScreen(BaseScreen):
    has_unfinished = False

    BINDINGS = [
        Binding("n", "new", "New interview"),
        Binding("r", "resume_latest", "Resume"),
        Binding("v", "review", "Review"),
        Binding("p", "progress", "Progress"),
        Binding("s", "settings", "Settings"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static("Practise machine-learning-engineer interviews.", id="home-title")
            yield Static(id="home-judge")
            yield OptionList(id="home-menu")
            yield Static(id="home-hint")
        yield Footer()

    def on_mount(self) -> None:
        judge, how = self.services.judge_summary()
        self.query_one("#home-judge", Static).update(f"{escape(judge)}\n[dim]{escape(how)}[/]")
        if self.mockmle.data_open:
            self.refresh_menu()
        else:  # the app's start: Home is drawn at once, its sessions added once the database is open, just after
            self._fill_menu([], 0)
            self.call_after_refresh(self._open_data)
        self.query_one("#home-menu").focus()

    def _open_data(self) -> None:
        if self.mockmle.open_data():
            self.refresh_menu()
            self.refresh_bindings()

    def on_screen_resume(self) -> None:
        if not self.mockmle.data_open:  # the first resume comes before the first paint: _open_data refreshes
            return
        self.refresh_menu()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume_latest":
            return self.has_unfinished
        return True

    def unfinished(self) -> list[dict]:
        return self.services.store.list(status="active")

    def refresh_menu(self) -> None:
        unfinished = self.unfinished()
        self._fill_menu(unfinished, self.services.store.count() - len(unfinished))

    def _fill_menu(self, unfinished: list[dict], done: int) -> None:
        menu = self.query_one("#home-menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_option(Option(_item("n", "Start a new interview"), id="new"))
        self.has_unfinished = bool(unfinished)
        for index, row in enumerate(unfinished[:RESUME_SHOWN]):
            menu.add_option(Option(_item("r" if index == 0 else "", f"Resume: {escape(session_line(row))}"), id=f"resume:{row['id']}"))
        if len(unfinished) > RESUME_SHOWN:
            menu.add_option(Option(_item("", f"{len(unfinished) - RESUME_SHOWN} more unfinished: see Review"), id="review-more"))
        menu.add_option(Option(_item("v", "Review past sessions"), id="review"))
        menu.add_option(Option(_item("p", "Progress"), id="progress"))
        menu.add_option(Option(_item("s", "Settings"), id="settings"))
        menu.add_option(Option(_item("^q", "Quit"), id="quit"))
        menu.highlighted = min(highlighted or 0, menu.option_count - 1)
        hint = "Use the arrow keys and Enter, or the letter keys. ctrl+p lists every command."
        if done:
            hint = f"{done} finished session{'s' if done != 1 else ''} to review. " + hint
        self.query_one("#home-hint", Static).update(f"[dim]{hint}[/]")

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if choice.startswith("resume:"):
            self.resume(choice.split(":", 1)[1])
        elif choice == "review-more":
            self.action_review()
        elif choice == "quit":
            self.app.exit()
        else:
            await self.run_action(choice)

    def action_new(self) -> None:
        from mockmle.tui.screens.setup import SetupScreen

        self.app.push_screen(SetupScreen())

    def action_resume_latest(self) -> None:
        unfinished = self.unfinished()
        if not unfinished:
            self.notify("No unfinished interview to resume. Press n to start one.")
            return
        self.resume(unfinished[0]["id"])

    def resume(self, session_id: str) -> None:
        from mockmle.tui.screens.interview import InterviewScreen

        self.app.push_screen(InterviewScreen.resume(self.services, session_id))

    def action_review(self) -> None:
        from mockmle.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_progress(self) -> None:
        from mockmle.tui.screens.progress import ProgressScreen

        self.app.push_screen(ProgressScreen())

    def action_settings(self) -> None:
        from mockmle.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())
