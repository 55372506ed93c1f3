"""The SQLite store: `open_db` is the one way in; it runs the migrations."""

from __future__ import annotations

import sys
from pathlib import Path

from mockmle.errors import MockmleError


def _import_sqlite_utils():
    """sqlite-utils imports numpy and pandas when they are installed, only to store their types, which we never do.

    That is 80 ms on every command that opens the database, so they are hidden while it loads.
    """
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # `import` of a None entry raises ImportError
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            del sys.modules[name]
    return sqlite_utils


sqlite_utils = _import_sqlite_utils()


from mockmle.store.migrations import migrate  # noqa: E402 - after sqlite-utils is loaded as above


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
