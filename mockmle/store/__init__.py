"""The SQLite store: `open_db` is the one way in; it runs the migrations."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from mockmle.errors import MockmleError, StorageError
from mockmle.files import create_private, private_dir, tighten
from mockmle.store.faults import storage_line

if TYPE_CHECKING:
    from sqlite_utils import Database as SqliteDatabase


def _import_sqlite_utils():
    """sqlite-utils imports numpy and pandas when they are installed, only to store their types, which we never do.

    That is 80 ms on every command that opens the database, so they are hidden while it loads.
    """
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import` of a None entry raises ImportError
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            del sys.modules[name]
    return sqlite_utils


if TYPE_CHECKING:
    import sqlite_utils
else:
    sqlite_utils = _import_sqlite_utils()


from mockmle.store.migrations import check_known, migrate  # noqa: E402 - after sqlite-utils is loaded as above

BUSY_TIMEOUT_MS = 15_000  # how long a write waits for another mockmle (a second window, a CLI) to finish its own


class Database(sqlite_utils.Database):
    """sqlite-utils' Database whose transactions take the write lock when they begin.

    sqlite-utils begins a deferred transaction, which reads first and asks for the lock at its first write;
    if another process wrote in between, SQLite fails at once with "database is locked" instead of waiting
    out the busy timeout. `BEGIN IMMEDIATE` waits for the lock up front, so writers queue instead of dying.
    """

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.conn.in_transaction:  # nested: sqlite-utils' savepoints
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.conn.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.rollback()
                raise


def _derive_progress(db: SqliteDatabase) -> None:
    """Progress estimates, trends and schedules are today's arithmetic over the events a migration backfilled."""
    from mockmle.store.progress import ProgressStore

    ProgressStore(db, clock=lambda: "", refresh=False).rebuild()


def open_db(path: Path | str) -> Database:
    """Open (creating if needed) the database at `path`, or an in-memory one for ":memory:".

    A database written by a newer mockmle is refused before anything is written to it.
    """
    if str(path) == ":memory:":
        db = Database(memory=True)
    else:
        path = Path(path)
        try:
            private_dir(path.parent)
            create_private(path)
            tighten(path)
            db = Database(path)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            try:
                check_known(db, path)
            except MockmleError:
                db.close()
                raise
            db.enable_wal()
        except MockmleError:
            raise
        except Exception as exc:  # noqa: BLE001 - sqlite3.DatabaseError, OSError or other: "cannot use this file"
            raise StorageError(f"cannot open the database {path}: {exc}") from None
    db.execute("PRAGMA foreign_keys = ON")
    try:
        migrate(db, derive_progress=_derive_progress)
    except MockmleError:
        raise
    except Exception as exc:  # noqa: BLE001 - a migration that fails in any way is one line, never a traceback
        raise StorageError(f"cannot prepare the database {path}: {storage_line(exc)}") from None
    return db
