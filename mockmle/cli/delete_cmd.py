"""`mockmle sessions delete ID`: asks first in a terminal; a script must say --yes."""

from __future__ import annotations

import argparse
import sys

from mockmle.app.services import Services
from mockmle.errors import UsageError


def delete_session(services: Services, args: argparse.Namespace) -> int:
    session_id = services.store.resolve(args.id)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(f"deleting session {session_id} needs a confirmation: run it in a terminal, or pass --yes")
        row = next(r for r in services.store.list() if r["id"] == session_id)
        print(f"Session {session_id} from {row['created_at'][:16].replace('T', ' ')} ({row['stages']}, "
              f"{row['answered']} of {row['question_count']} answered) and its grades and recordings will be deleted.")
        try:
            answer = input("Delete it? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing deleted.")
            return 1
    services.delete_session(session_id)
    print(f"deleted session {session_id}")
    return 0
