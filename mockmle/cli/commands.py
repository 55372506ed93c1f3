"""What the commands share: reading their files, printing JSON, the services their flags ask for; and `mockmle`
with no command, the full-screen app.

Each command's options and handler live together in its own module (bank_cmd, interview_cmd, progress_cmds,
grade_cmd, sessions_cmd, transcribe_cmd, calibrate_cmd, doctor_cmd): `add_parser` adds the command and sets the
handler it runs. Those modules, and this one, import nothing heavy at the top: `mockmle --version` and `--help`
build the whole parser and must start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockmle.errors import UsageError

if TYPE_CHECKING:
    from mockmle.app.services import Services


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def services_for(args: argparse.Namespace) -> Services:
    from mockmle.app.services import Services
    from mockmle.settings import resolve_settings

    return Services(resolve_settings(home=args.home, bank_dir=args.bank_dir, judge=getattr(args, "judge", None),
                                     model=getattr(args, "model", None)))


def read_text_file(path: str, what: str) -> str:
    if path == "-":
        try:  # strictly: the text stream would turn bad bytes into lone surrogates that fail much later
            return sys.stdin.buffer.read().decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{what} on standard input: not UTF-8 text") from None
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{what} {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{what} {path}: cannot read ({exc})") from None


def open_app(args: argparse.Namespace) -> int:
    return app(services_for(args))


def app(services: Services) -> int:
    """`mockmle` with no command: the full-screen app."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the app needs a terminal; for scripted use try `mockmle interview --answers-file FILE` (see --help)")
    from mockmle.app.services import BackgroundWarmUp
    from mockmle.tui.app import build_app

    # The bank and the database open just after Home's first paint (tui.app's open_data); the meaning model then
    # loads and embeds the rubric in the background, so the first answer is graded at full speed. A model that
    # cannot load is said once, with the first grade.
    warm_up = BackgroundWarmUp(services)
    tui = build_app(services, after_start=warm_up.start)
    try:
        tui.run()
    finally:
        stopped = warm_up.stop()
    if tui.start_error is not None:  # a bad pack or database, found just after Home's first paint: one line
        raise tui.start_error
    if tui.return_code:  # Textual has printed the error above; say what it means for the candidate's work
        print("mockmle: the app stopped on an unexpected error (above). Everything answered so far is saved; "
              "run mockmle again and choose Resume.", file=sys.stderr)
    if not stopped:
        # Quit while the meaning model was still loading: every answer is committed, so leave now rather than
        # wait for it, and skip the interpreter's clean-up, which aborts with a thread inside onnxruntime.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(tui.return_code or 0)
    return tui.return_code or 0
