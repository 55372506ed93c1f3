"""What a failed database write means to the candidate, in one line.

SQLite reports a full disk, a lock held too long or a read-only file as `sqlite3.OperationalError`
(or a bare `OSError` for the files beside it); the store turns those into `StorageError`, so every
shell shows the same calm line and nothing already saved is touched.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from mockmle.errors import StorageError, storage_line

__all__ = ["StorageError", "guarded", "storage_line"]

P = ParamSpec("P")
R = TypeVar("R")


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Turn a database failure inside `method` into a StorageError with its one line."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except (sqlite3.OperationalError, sqlite3.DatabaseError, OSError) as exc:
            raise StorageError(storage_line(exc)) from exc

    return wrapper
