"""Plain-text pieces both formats share: dates, counts, percentages and fixed sentences."""

from __future__ import annotations

from datetime import UTC, datetime


def when(iso: str | None) -> str:
    """'2026-11-22T02:13:31+00:00' -> '2026-11-22 02:13 UTC'; anything unreadable as it is."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def day(iso: str | None) -> str:
    return (iso or "")[:10]


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


SPARKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def sparkline(levels, maximum: float = 4) -> str:
    """One block per value, from \u2581 (0) to \u2588 (maximum)."""
    top = len(SPARKS) - 1
    return "".join(SPARKS[round(min(maximum, max(0.0, level)) / maximum * top)] for level in levels)


def percent(value: float) -> str:
    return f"{value:.0%}"


def unfinished_note(session_id: str) -> str:
    return ("This session is not finished, so it has no scorecard yet. "
            f"Continue it with: mockmle sessions resume {session_id}")
