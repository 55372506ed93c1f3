"""Start an app headless, leave as soon as its first screen is drawn: `python first_screen.py minimal|mockmle [HOME]`.

Writes `drawn <time.time()>` to standard output when the screen's first frame is produced (what Textual would send
a terminal), and `ready <time.time()>` at its first frame once the app has its data, so
tests/benchmarks/test_startup_bench.py times the process from its start to its first screen (and not its exit,
which waits for background threads). `minimal` is the floor any Textual app pays (one Static and a Footer; ready
when drawn); `mockmle` goes through the real start-up (`mockmle.cli.main` with no command: settings, the app, then
the bank and the database just after Home's first paint) with only the terminal swapped for Textual's headless
driver, and leaves once Home lists the sessions.
"""

from __future__ import annotations

import os
import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

SIZE = (100, 30)


def leave_when_drawn(app: App, screen_name: str) -> None:
    """Have `app` write `drawn <time>` when the first frame of its screen named `screen_name` is produced (the
    moment Textual would send it to a terminal), then `ready <time>` at the first frame drawn once the app has its
    data (mockmle opens the bank and the database just after Home's first paint; an app with no `data_open` is
    ready when drawn), and leave."""
    display, seen = app._display, []

    def first_frames(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is None or type(screen).__name__ != screen_name:
            return
        if hasattr(renderable, "render_segments"):
            renderable.render_segments(app.console)  # the escape sequences a terminal would get, whatever the driver
        now = time.time()
        if not seen:
            seen.append(now)
            os.write(1, f"drawn {now!r}\n".encode())  # past Textual's capture of sys.stdout
        if getattr(app, "data_open", True) and len(seen) == 1:
            seen.append(now)
            os.write(1, f"ready {now!r}\n".encode())
            app.exit()

    app._display = first_frames  # type: ignore[method-assign]  # the benchmark watches the frames, headless


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello")
        yield Footer()


def run_headless(app: App, screen_name: str) -> None:
    leave_when_drawn(app, screen_name)
    App.run(app, headless=True, size=SIZE)


def main() -> int:
    if sys.argv[1] == "minimal":
        run_headless(Minimal(), "Screen")
        return 0
    from mockmle.cli import main as mockmle_main
    from mockmle.tui.app import MockmleApp

    MockmleApp.run = lambda app, **_: run_headless(app, "HomeScreen")  # type: ignore[method-assign]  # headless, timed
    sys.stdin.isatty = sys.stdout.isatty = lambda: True  # type: ignore[method-assign]  # the app needs a terminal
    return mockmle_main(["--home", sys.argv[2], "--judge", "offline"])


if __name__ == "__main__":
    sys.exit(main())
