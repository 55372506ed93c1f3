"""Short human labels shared by the screens: dates, stages, bands, session summaries."""

from __future__ import annotations

from datetime import datetime

BAND_WORDS = {0: "no usable answer", 1: "weak", 2: "partial", 3: "good", 4: "excellent"}


def local_time(iso: str) -> str:
    """'2026-11-22 14:05' in the user's timezone, from a stored UTC timestamp."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return iso or ""


def stage_names(stages: str, kind: str | None = None) -> str:
    names = ", ".join(s.replace("-", " ") for s in stages.split(",") if s)
    return f"drill: {names}" if kind == "drill" else names


def overall_text(overall: float | None) -> str:
    return f"{overall:.1f}/4" if overall is not None else "-"


def session_line(row: dict) -> str:
    """One line for a stored session row (from SessionStore.list)."""
    return (f"{stage_names(row['stages'], row.get('kind'))} · {row['answered']}/{row['question_count']} answered · "
            f"started {local_time(row['created_at'])}")


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"
