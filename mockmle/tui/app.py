"""The Textual app: a thin shell over the runner, the store and the bank."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import partial

from rich.markup import escape
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from mockmle.app.services import Services
from mockmle.errors import MockmleError
from mockmle.tui.screens.home import HomeScreen
from mockmle.tui.workers import EXPORT_GROUP


class MockmleApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "mockmle"
    SUB_TITLE = "MLE interview practice"

    class CallMade(Message):
        """A model call finished (in any thread); recorded on the main thread, where SQLite lives."""

        def __init__(self, record: object):
            super().__init__()
            self.record = record

    class UsageChanged(Message):
        """Sent to the active screen after a model call is stored, for its token meter."""

    # After the bank and the database are open, before background work may start (the meaning model's warm-up).
    AFTER_START_DELAY = 0.5
    # Why the app could not start (a bad pack, a database that cannot be opened): the CLI says it in one line.
    start_error: MockmleError | None = None
    data_open = False

    def __init__(self, services: Services, clock: Callable[[], float] = time.monotonic,
                 after_start: Callable[[], None] | None = None):
        super().__init__()
        self.services = services
        self.clock = clock  # the question timer reads this; tests freeze it
        self._after_start = after_start
        services.on_call = self._call_made

    def _call_made(self, record: object) -> None:
        self.post_message(self.CallMade(record))

    def on_mockmle_app_call_made(self, message: CallMade) -> None:
        try:
            self.services.calls.record(message.record)
        except Exception as exc:  # noqa: BLE001 - the log is bookkeeping: never let it break an interview
            self.log.warning(f"could not log a model call: {exc}")
        self.screen.post_message(self.UsageChanged())

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())

    def open_data(self) -> bool:
        """Load the bank and open (and migrate) the database: called by Home right after its first paint, so the
        app is on screen before pydantic and sqlite-utils load. A bad pack or database ends the app, keeping the
        error for the CLI to say in one line; False then."""
        if self.data_open:
            return True
        try:
            _ = self.services.bank, self.services.store
        except MockmleError as exc:  # open_db turns whatever SQLite or the file system raise into a StorageError
            self.start_error = exc
            self.exit(return_code=exc.exit_code)
            return False
        self.data_open = True
        if self._after_start is not None:
            self.set_timer(self.AFTER_START_DELAY, self._after_start)
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != EXPORT_GROUP:
            return
        if event.state == WorkerState.SUCCESS:
            self.notify(f"Saved to {escape(str(worker.result))}", title="Exported", timeout=12)
        elif event.state == WorkerState.ERROR:
            self.notify(f"Could not export: {escape(str(worker.error))}", severity="error", timeout=12)

    async def action_quit(self) -> None:
        """ctrl+q: a screen holding unsaved-looking work (an interview) may ask first."""
        ask = getattr(self.screen, "confirm_quit", None)
        if ask is not None and ask():
            return
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every binding the screen shows in its footer is also a command in the palette."""
        built_in = list(super().get_system_commands(screen))
        yield from built_in
        seen: set[str] = {command.title for command in built_in}  # Textual's own Quit, Keys, Theme...
        for binding in _bindings(screen):
            if (binding.description and binding.description not in seen and binding.action not in seen
                    and screen.check_action(binding.action, ()) is not False):
                seen |= {binding.action, binding.description}
                help_text = binding.tooltip or f"{binding.description} ({binding.key_display or binding.key})"
                yield SystemCommand(binding.description, help_text, partial(screen.run_action, binding.action))


def _bindings(screen: Screen) -> list[Binding]:
    return [item for item in getattr(screen, "BINDINGS", []) if isinstance(item, Binding)]


def build_app(services: Services, clock: Callable[[], float] = time.monotonic,
              after_start: Callable[[], None] | None = None) -> MockmleApp:
    """The one way to make the app, used by the CLI and the tests alike. `after_start` runs once Home is on screen."""
    return MockmleApp(services, clock=clock, after_start=after_start)
