"""`mockmle sessions list|show|export|delete|regrade|resume`: past sessions."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from mockmle.cli.commands import print_json, services_for
from mockmle.cli.options import action, judge
from mockmle.errors import MockmleError

if TYPE_CHECKING:
    from mockmle.app.services import Services


def add_parser(commands) -> None:
    sessions = commands.add_parser("sessions", help="list, show, export, resume, regrade or delete past sessions")
    actions = sessions.add_subparsers(dest="sessions_command", metavar="ACTION", required=True)
    action(actions, "list", "past sessions, newest first", list_sessions, json=True)
    action(actions, "show", "transcript, grades and scorecard of one session", show, "id", json=True)
    export_parser = action(actions, "export", "write a session to the data home's transcripts/", export, "id")
    export_parser.add_argument("--format", choices=["md", "json"], default="md")
    delete_parser = action(actions, "delete", "delete a session, its grades and recordings (asks first)", delete, "id")
    delete_parser.add_argument("--yes", action="store_true", help="do not ask for confirmation (needed when not in a terminal)")
    regrade_parser = action(actions, "regrade", "a second opinion: the configured model re-grades the answers "
                            "the offline judge was unsure of", regrade, "id", json=True)
    regrade_parser.add_argument("--model", default=argparse.SUPPRESS,
                                help="the judge's model (default: $MOCKMLE_MODEL, config.toml, or the server's first model)")
    resume_parser = action(actions, "resume", "continue an unfinished session", resume, "id", json=True)
    resume_parser.add_argument("--answers-file", help="answers for the remaining questions (else asked in this terminal)")
    judge(resume_parser)


def _services(args: argparse.Namespace) -> Services:
    services = services_for(args)
    _ = services.store  # opened (and migrated) first: a database it cannot use is the one line said
    return services


def list_sessions(args: argparse.Namespace) -> int:
    from mockmle.app.session_list import status_text
    from mockmle.reporting.text import when

    rows = _services(args).store.list()
    if args.json:
        print_json(rows)
    elif not rows:
        print("No sessions yet. Start one with `mockmle` or `mockmle interview`.")
    else:
        print(f"{'id':<9} {'date':<21} {'stages':<24} {'judge':<8} {'answered':>8} {'overall':>7}  status")
        for row in rows:
            overall = f"{row['overall']:.1f}" if row["overall"] is not None else "-"
            answered = f"{row['answered']}/{row['question_count']}"
            stages = f"drill: {row['stages']}" if row["kind"] == "drill" else row["stages"]
            print(f"{row['id']:<9} {when(row['created_at']):<21} {stages:<24} {row['judge']:<8} {answered:>8} {overall:>7}  "
                  f"{status_text(row)}")
    return 0


def show(args: argparse.Namespace) -> int:
    from mockmle.reporting.session import session_data, session_markdown

    store = _services(args).store
    record = store.get(store.resolve(args.id))
    if args.json:
        print_json(session_data(record))
    else:
        print(session_markdown(record), end="")
    return 0


def export(args: argparse.Namespace) -> int:
    from mockmle.app.export import write_export

    services = _services(args)
    record = services.store.get(services.store.resolve(args.id))
    try:
        print(write_export(record, services.settings.transcripts_dir, args.format))
    except OSError as exc:
        raise MockmleError(f"cannot write the export: {exc}") from None
    return 0


def delete(args: argparse.Namespace) -> int:
    from mockmle.cli.delete_cmd import delete_session

    return delete_session(_services(args), args)


def regrade(args: argparse.Namespace) -> int:
    from mockmle.cli.regrade_cmd import regrade as second_opinion

    return second_opinion(_services(args), args)


def resume(args: argparse.Namespace) -> int:
    from mockmle.cli.play import play_resume

    return play_resume(_services(args), args)
