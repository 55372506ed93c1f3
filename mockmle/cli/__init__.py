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


def build_parser() -> argparse.ArgumentParser:
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
    for name in COMMANDS:
        import_module(f"mockmle.cli.{name}").add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:  # alone: answered before argparse is even built
        print(f"mockmle {__version__}")
        return 0
    args = build_parser().parse_args(argv)
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
    """Console-script entry point."""
    sys.exit(main())
