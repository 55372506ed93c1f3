"""The command line. Every capability is reachable here without a terminal UI.

Imports stay inside the command functions so `mockmle --version` and `--help` start fast.
"""

from __future__ import annotations

import sys

from mockmle import __version__

TYPE_CHECKING = False  # as typing's, without importing typing: `mockmle --version` loads no module it can avoid
if TYPE_CHECKING:  # argparse and sqlite3 load when used
    import argparse

COMMANDS = ("bank_cmd", "interview_cmd", "progress_cmds", "cards_cmd", "grade_cmd", "retry_cmd", "sessions_cmd",
            "transcribe_cmd", "calibrate_cmd", "doctor_cmd")  # each adds its commands, in this order, to the help
# Which module adds each command (tests/test_cli.py holds this to what the modules add), so a command line naming
# one builds only that command's parser: building all of them costs a `mockmle grade` about a quarter of its time.
COMMAND_MODULES = {"bank": "bank_cmd", "interview": "interview_cmd", "drill": "interview_cmd",
                   "progress": "progress_cmds", "report": "progress_cmds", "data": "progress_cmds", "cards": "cards_cmd",
                   "grade": "grade_cmd", "retry": "retry_cmd", "sessions": "sessions_cmd",
                   "transcribe": "transcribe_cmd", "calibrate": "calibrate_cmd", "doctor": "doctor_cmd"}
_TOP_OPTIONS_WITH_VALUES = ("--home", "--bank-dir", "--judge", "--model")


def named_command(argv: list[str]) -> str | None:
    """The command `argv` names, if it names one of ours before any other word; None for the full parser."""
    tokens = iter(argv)
    for token in tokens:
        if token in _TOP_OPTIONS_WITH_VALUES:
            next(tokens, None)
        elif not token.startswith("-"):
            return token if token in COMMAND_MODULES else None
    return None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `argv` naming a command, the top level and that command only (the same
    parse and the same help and errors for that command line)."""
    import argparse
    from importlib import import_module

    from mockmle.cli.commands import open_app
    from mockmle.cli.options import common, judge

    parser = argparse.ArgumentParser(
        prog="mockmle",
        description="Practise machine-learning-engineer interviews. With no command, opens the full-screen app.",
    )
    parser.add_argument("--version", action="version", version=f"mockmle {__version__}")
    parser.set_defaults(func=open_app)
    common(parser, top=True)
    judge(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    command = named_command(argv) if argv is not None else None
    for name in COMMANDS if command is None else (COMMAND_MODULES[command],):
        import_module(f"mockmle.cli.{name}").add_parser(commands)
    return parser


def main(argv: list[str] | None = None, one_command: bool = False) -> int:
    """Run the command line `argv` (default: this process's); `one_command` when the process exits after it."""
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:  # alone: answered before argparse is even built
        print(f"mockmle {__version__}")
        return 0
    if one_command:
        from mockmle.cli.loading import one_command_process

        one_command_process()
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    from mockmle.cli.safe_output import PrintableStream
    from mockmle.core.safe_text import one_line
    from mockmle.errors import MockmleError, StorageError

    stdout = sys.stdout
    if args.command is not None:  # answers and model text reach the terminal with no escape sequence alive
        sys.stdout = PrintableStream(stdout)
    try:
        return args.func(args)
    except MockmleError as exc:
        print(f"mockmle: error: {one_line(str(exc))}", file=sys.stderr)  # one line, whatever the message holds
        return exc.exit_code
    except KeyboardInterrupt:
        print("\nmockmle: interrupted; everything answered so far is saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        sqlite3 = sys.modules.get("sqlite3")  # not loaded: the error cannot be one of its
        if sqlite3 is None or not isinstance(exc, sqlite3.Error):
            raise
        # one the store did not expect (a read while another process checkpoints)
        print(f"mockmle: error: {StorageError.describing(exc).line}", file=sys.stderr)
        return 1
    finally:
        sys.stdout = stdout


def run() -> None:
    """Console-script entry point, and `python -m mockmle`'s: this process runs one command, then exits."""
    sys.exit(main(one_command=True))
