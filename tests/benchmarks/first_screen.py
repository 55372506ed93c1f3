"""Start an app headless, leave as soon as its first screen is drawn: `python first_screen.py minimal|mockmle [HOME]`.

Writes `drawn <time.time()>` to standard output at that moment, so tests/benchmarks/test_startup_bench.py times the
process from its start to its first screen (and not its exit, which waits for background threads).
`minimal` is the floor any Textual app pays (one Static and a Footer); `mockmle` goes through the real start-up
(`mockmle.cli.main` with no command: settings, bank, database, the app) with only the terminal swapped for Textual's
headless driver, and leaves once Home is shown.
"""

from __future__ import annotations

import os
import sys
import time

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer, Static

SIZE = (100, 30)


async def leave_when_drawn(pilot: Pilot) -> None:
    """Called once the app is ready; waits for the screen being shown to be composed, laid out and painted."""
    app = pilot.app
    await pilot.pause()
    while type(app.screen).__name__ not in ("Screen", "HomeScreen"):  # mockmle pushes Home from its on_mount
        await pilot.pause()
    app.screen._compositor.render_update(full=True)  # the strips the terminal would get, whatever the driver
    os.write(1, f"drawn {time.time()!r}\n".encode())  # past Textual's capture of sys.stdout
    app.exit()


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello")
        yield Footer()


def run_headless(app: App, **_: object) -> None:
    App.run(app, headless=True, size=SIZE, auto_pilot=leave_when_drawn)


def main() -> int:
    if sys.argv[1] == "minimal":
        run_headless(Minimal())
        return 0
    from mockmle.cli import main as mockmle_main
    from mockmle.tui.app import MockmleApp

    MockmleApp.run = run_headless  # type: ignore[method-assign]  # the benchmark times to the first screen, headless
    sys.stdin.isatty = sys.stdout.isatty = lambda: True  # type: ignore[method-assign]  # the app needs a terminal
    return mockmle_main(["--home", sys.argv[2], "--judge", "offline"])


if __name__ == "__main__":
    sys.exit(main())
