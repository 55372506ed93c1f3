"""The offline interviewer's lines, loaded from prompts/offline_interviewer.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class Phrasebook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    probe: list[str] = Field(min_length=1)
    another_example: list[str] = Field(min_length=1, description="When a STAR story falls flat: ask for another one.")
    steer_back: list[str] = Field(min_length=1, description="When an answer rambles: bring it back to {area}.")
    company: str = Field(description="Reverse stage, in place of the company's answer when no model gives one.")
    hint: str
    no_more_hints: str
    repeat: str
    closing: str
    ended_early: str

    @classmethod
    def load(cls, path: Path) -> Phrasebook:
        return cls.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))

    def probe_for(self, area: str, turn_index: int) -> str:
        template = self.probe[turn_index % len(self.probe)]
        return template.format(area=_as_phrase(area))

    def another_example_for(self, turn_index: int) -> str:
        return self.another_example[turn_index % len(self.another_example)]

    def steer_back_for(self, area: str, turn_index: int) -> str:
        template = self.steer_back[turn_index % len(self.steer_back)]
        return template.format(area=_as_phrase(area))


def _as_phrase(area: str) -> str:
    """'Monitoring methods to detect issues' -> 'monitoring methods to detect issues'."""
    if len(area) > 1 and area[0].isupper() and not area[1].isupper():
        area = area[0].lower() + area[1:]
    return area.rstrip(".")
