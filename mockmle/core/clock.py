"""The one clock: timestamps are UTC ISO-8601 strings to the second, as stored and compared in the database."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
