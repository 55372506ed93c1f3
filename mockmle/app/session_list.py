"""How a listed session's state reads to the candidate, the same in Review and `mockmle sessions list`."""

from __future__ import annotations


def status_text(row: dict) -> str:
    """'unfinished', 'ended early' (ended before its last question) or 'finished', from a `SessionStore.list` row."""
    if row["status"] != "finished":
        return "unfinished"
    return "ended early" if row["ended_early"] else "finished"
