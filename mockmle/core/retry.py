"""Try again: a new take of an answered question, set beside the first. Pure: what changed between two grades.

Each area and key point of the question is newly covered (its status rose: missed or partly to covered, missed to
partly), still missing (not covered, no better than before) or lost (covered less than before). What was covered
both times is only counted.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from mockmle.core.grading.models import AreaResult, Grade

LEVEL = {"missed": 0, "partly": 1, "covered": 2}
Change = Literal["newly covered", "still missing", "lost", "kept"]


class PointChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["area", "key point"]
    name: str
    before: str  # covered, partly or missed
    now: str
    change: Change

    @property
    def text(self) -> str:
        statuses = self.before if self.before == self.now else f"{self.before} \u2192 {self.now}"
        return f"{self.kind}: {self.name} ({statuses})"


class Comparison(BaseModel):
    model_config = ConfigDict(extra="forbid")

    band_before: int
    band_now: int
    points: list[PointChange]

    def of(self, change: Change) -> list[PointChange]:
        return [point for point in self.points if point.change == change]

    @property
    def headline(self) -> str:
        delta = self.band_now - self.band_before
        moved = "the same band" if delta == 0 else f"{delta:+d}"
        return f"Band then {self.band_before}/4 \u2192 now {self.band_now}/4 ({moved})"

    def lines(self) -> list[tuple[str, list[str]]]:
        """(heading, items) in the order every view shows them; kept points are only counted."""
        kept = len(self.of("kept"))
        return [("Newly covered", [p.text for p in self.of("newly covered")]),
                ("Still missing", [p.text for p in self.of("still missing")]),
                ("Lost", [p.text for p in self.of("lost")]),
                ("Covered both times", [f"{kept} area{'' if kept == 1 else 's'} or key point{'' if kept == 1 else 's'}"]
                 if kept else [])]


def _change(before: str, now: str) -> Change:
    if LEVEL[now] > LEVEL[before]:
        return "newly covered"
    if LEVEL[now] < LEVEL[before]:
        return "lost"
    return "kept" if now == "covered" else "still missing"


def _pairs(kind: Literal["area", "key point"], first: list[AreaResult], now: list[AreaResult]) -> list[PointChange]:
    before = {result.area: result.status for result in first}
    return [PointChange(kind=kind, name=result.area, before=before.get(result.area, "missed"), now=result.status,
                        change=_change(before.get(result.area, "missed"), result.status)) for result in now]


def compare(first: Grade, now: Grade) -> Comparison:
    """The new take's areas and key points, each against the first take's status (missed when it was not graded)."""
    return Comparison(band_before=first.band, band_now=now.band,
                      points=_pairs("area", first.areas, now.areas) + _pairs("key point", first.key_points, now.key_points))
