"""The SQLite store: `open_db` is the one way in; it runs the migrations."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from mockmle.errors import MockmleError
from mockmle.store.migrations import migrate


def open_db(path: Path | str) -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path`, or an in-memory one for ":memory:"."""
    if str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True)
    else:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite_utils.Database(path)
            db.execute("PRAGMA busy_timeout = 5000")
            db.enable_wal()
        except Exception as exc:  # sqlite3.DatabaseError, OSError: both mean "cannot use this file"
            raise MockmleError(f"cannot open the database {path}: {exc}") from None
    db.execute("PRAGMA foreign_keys = ON")
    try:
        migrate(db)
    except Exception as exc:
        raise MockmleError(f"cannot prepare the database {path}: {exc}") from None
    return db
