"""`mockmle retry SESSION QUESTION`: answer an answered question again, graded the same way as the first take and
compared with it (mockmle.app.retry). The take is kept beside the first; the session's scorecard stays as it was."""

from __future__ import annotations

import argparse

from mockmle.cli.commands import print_json, read_text_file, services_for
from mockmle.cli.options import action


def add_parser(commands) -> None:
    parser = action(commands, "retry", "try a question of a session again and compare the new take with the first",
                    retry_command, positional="session", json=True)
    parser.add_argument("question", type=int, help="the question's number in the session (1 for the first)")
    parser.add_argument("--answer-file", default="-", help="file holding the new answer (default: standard input)")
    parser.epilog = ("The new take is graded by the session's judge and shown beside the first: the band then and now, "
                     "and each area and key point newly covered, still missing or lost. It counts in progress; the "
                     "session's scorecard keeps the first take.")


def retry_command(args: argparse.Namespace) -> int:
    import sys

    from mockmle.app.retry import Retry, checked_answer

    attempt = Retry(services_for(args), args.session, args.question)  # an unknown session is said before any typing
    if args.answer_file == "-" and sys.stdin.isatty():
        print(f"{attempt.question}\nType the new answer, then Ctrl-D on a line of its own:", file=sys.stderr)
    answer = checked_answer(read_text_file(args.answer_file, "answer file"))
    result = attempt.save(answer, attempt.grade(answer))
    if args.json:
        print_json(result.to_json())
        return 0
    print(f"Question {result.number} of session {result.session_id}, take {result.attempt}: {result.question}")
    print(result.comparison.headline)
    for heading, items in result.comparison.lines():
        if items:
            print(f"{heading}:")
            print("\n".join(f"  - {item}" for item in items))
    if result.now.improvement:
        print(f"To improve: {result.now.improvement}")
    return 0
