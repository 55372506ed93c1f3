"""The command line. Every capability is reachable here without a terminal UI.

Imports stay inside the command functions so `mockmle --version` and `--help` start fast.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys

from mockmle import __version__

STAGES_HELP = "screening, work-sample, technical, applied-ml, team-culture, science, reverse"


def _common(parser: argparse.ArgumentParser, top: bool = False) -> None:
    # Sub-commands accept the same flags; SUPPRESS keeps them from resetting a value given before the command.
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--home", default=default,
                        help="data home (default: $MOCKMLE_HOME, else sessions/ in a checkout or ~/.local/share/mockmle)")
    parser.add_argument("--bank-dir", default=default, help="extra question packs folder (default: $MOCKMLE_BANK_DIR)")


def _judge(parser: argparse.ArgumentParser, top: bool = False) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--judge", choices=["offline", "llm"], default=default,
                        help="who grades (default: llm when OPENAI_API_KEY or OPENAI_BASE_URL is set, else offline)")
    parser.add_argument("--model", default=default,
                        help="model for the interviewer and the judge (default: $MOCKMLE_MODEL, config.toml, "
                             "or the server's first model)")


def _action(group, name: str, help: str, positional: str | None = None, json: bool = False) -> argparse.ArgumentParser:
    parser = group.add_parser(name, help=help)
    if positional:
        parser.add_argument(positional)
    if json:
        parser.add_argument("--json", action="store_true", help="print JSON")
    _common(parser)
    return parser


def _playing(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--questions", type=int, default=5, help="number of questions (default 5)")
    parser.add_argument("--seed", type=int, help="random seed for the question sample")
    parser.add_argument("--answers-file", help="answers in order, separated by lines containing only ---")
    parser.add_argument("--time-per-question", type=int, help="soft limit in seconds (warns, never cuts off)")
    parser.add_argument("--follow-ups", type=int, default=1, choices=range(0, 4), help="follow-ups per question (default 1)")
    parser.add_argument("--json", action="store_true", help="print the session as JSON")
    _judge(parser)
    _common(parser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mockmle",
        description="Practise machine-learning-engineer interviews. With no command, opens the full-screen app.",
    )
    parser.add_argument("--version", action="version", version=f"mockmle {__version__}")
    _common(parser, top=True)
    _judge(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    bank = commands.add_parser("bank", help="browse and validate the question bank")
    bank_commands = bank.add_subparsers(dest="bank_command", metavar="ACTION", required=True)
    listing = _action(bank_commands, "list", "list questions", json=True)
    listing.add_argument("--stage", help=f"only this stage ({STAGES_HELP})")
    _action(bank_commands, "show", "show one question with its areas, follow-ups and key points", "id", json=True)
    _action(bank_commands, "validate", "check a pack file or folder; exit code 2 when malformed", "path")
    _action(bank_commands, "stages", "list the interview stages", json=True)

    interview = commands.add_parser("interview", help="play an interview (scripted with --answers-file, else in this terminal)")
    interview.add_argument("--stage", action="append", help=f"stage to draw from; repeat or comma-separate ({STAGES_HELP})")
    interview.add_argument("--question-ids", help="play exactly these questions, comma-separated")
    _playing(interview)

    drill = commands.add_parser("drill", help="practise what is due and what is weak (spaced repetition), mixed with new questions")
    _playing(drill)

    progress = _action(commands, "progress", "competency levels and trends, the weakest areas, and what is due", json=True)
    progress.epilog = "Levels weigh recent answers more; confidence grows with the number of answers."

    report = _action(commands, "report", "write your history, or one session, as Markdown or a standalone HTML page")
    report.add_argument("--format", choices=["md", "html"], default="html")
    report.add_argument("--session", metavar="ID", help="one session instead of the whole history")
    report.add_argument("--output", metavar="PATH", help="where to write it ('-' for standard output; default: reports/ in the data home)")

    data = commands.add_parser("data", help="manage the data home")
    data_commands = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    wipe = _action(data_commands, "wipe", "delete every session, grade, export and report (asks first; config.toml is kept)")
    wipe.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    grade = commands.add_parser("grade", help="grade one answer, or a JSONL batch")
    which = grade.add_mutually_exclusive_group()
    which.add_argument("--question", help="the question text (matched to the bank ignoring case, spacing, punctuation)")
    which.add_argument("--question-id", help="a bank question id")
    which.add_argument("--batch", metavar="IN.jsonl",
                       help="grade many: one JSON object per line (question or question_id, answer, optional reference); "
                            "prints one grade per line")
    grade.add_argument("--answer-file", help="file holding the answer ('-' for standard input)")
    grade.add_argument("--reference", help="what a strong answer says, for questions not in the bank")
    grade.add_argument("--json", action="store_true")
    _judge(grade)
    _common(grade)

    sessions = commands.add_parser("sessions", help="list, show, export, resume, regrade or delete past sessions")
    session_commands = sessions.add_subparsers(dest="sessions_command", metavar="ACTION", required=True)
    _action(session_commands, "list", "past sessions, newest first", json=True)
    _action(session_commands, "show", "transcript, grades and scorecard of one session", "id", json=True)
    export = _action(session_commands, "export", "write a session to the data home's transcripts/", "id")
    export.add_argument("--format", choices=["md", "json"], default="md")
    delete = _action(session_commands, "delete", "delete a session, its grades and recordings (asks first)", "id")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation (needed when not in a terminal)")
    regrade = _action(session_commands, "regrade", "a second opinion: the configured model re-grades the answers "
                      "the offline judge was unsure of", "id", json=True)
    regrade.add_argument("--model", default=argparse.SUPPRESS,
                         help="the judge's model (default: $MOCKMLE_MODEL, config.toml, or the server's first model)")
    resume = _action(session_commands, "resume", "continue an unfinished session", "id", json=True)
    resume.add_argument("--answers-file", help="answers for the remaining questions (else asked in this terminal)")
    _judge(resume)

    spoken = commands.add_parser("transcribe", help="transcribe a WAV recording and comment on its delivery "
                                 "(pace, filler words, pauses)")
    spoken.add_argument("file", metavar="FILE.wav", help="the recording (PCM WAV)")
    spoken.add_argument("--time-limit", type=float, metavar="SECONDS", help="also check the talk time against this limit")
    spoken.add_argument("--json", action="store_true", help="print the text, each word's timing and the delivery as JSON")
    spoken.epilog = ("Transcribes with faster-whisper on this machine (pip install 'mockmle[voice]'; model: "
                     "$MOCKMLE_WHISPER_MODEL, a folder or a name in its cache) or, when OPENAI_API_KEY or "
                     "OPENAI_BASE_URL is set, with that endpoint's /audio/transcriptions. "
                     "MOCKMLE_TRANSCRIBER=local or api chooses.")
    _common(spoken)

    calibrate = commands.add_parser("calibrate", help="measure a judge against human grades, beside plain baselines")
    calibrate.add_argument("--dataset", choices=["calibration", "mohler", "saf", "all"], default="all",
                           help="which labelled answers (default all; a dataset not on this machine is skipped)")
    calibrate.add_argument("--split", choices=["test", "dev", "all"],
                           help="calibration set only: its test part, its dev part (tuned on), or both pooled "
                                "(default: test, then dev, each labelled)")
    calibrate.add_argument("--limit", type=int, metavar="N", help="at most N answers per dataset, spread over it")
    calibrate.add_argument("--data", metavar="DIR", help="outside datasets folder (default: $MOCKMLE_EVAL_DATA, "
                           "else ~/.cache/mockmle/eval; tools/eval_data.py fills it)")
    output = calibrate.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the README)")
    calibrate.add_argument("--judge", choices=["offline", "llm"], default=argparse.SUPPRESS,
                           help="who grades (default offline; llm: the configured model, timed per answer)")
    calibrate.add_argument("--model", default=argparse.SUPPRESS, help="the judge's model, with --judge llm "
                           "(default: $MOCKMLE_MODEL, config.toml, or the server's first model)")
    _common(calibrate)

    doctor = _action(commands, "doctor", "check the model endpoint, streaming, structured output, tokens and audio",
                     json=True)
    _judge(doctor)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from mockmle.cli.safe_output import PrintableStream
    from mockmle.core.safe_text import one_line
    from mockmle.errors import MockmleError

    stdout = sys.stdout
    if args.command is not None:  # answers and model text reach the terminal with no escape sequence alive
        sys.stdout = PrintableStream(stdout)  # type: ignore[assignment]
    try:
        from mockmle.cli.commands import dispatch

        return dispatch(args)
    except MockmleError as exc:
        print(f"mockmle: error: {one_line(str(exc))}", file=sys.stderr)  # one line, whatever the message holds
        return exc.exit_code
    except sqlite3.Error as exc:  # one the store did not expect (a read while another process checkpoints)
        from mockmle.store.faults import storage_line

        print(f"mockmle: error: {storage_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nmockmle: interrupted; everything answered so far is saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        sys.stdout = stdout


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
