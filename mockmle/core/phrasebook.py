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
    hint: str = Field(description="A first pointer: one {area} the answer has not covered yet.")
    hint_specific: str = Field(description="Asked again: the key {point} that speaks to that area.")
    no_hint: str = Field(description="When nothing is left to point at that the question does not already say.")
    no_more_hints: str
    misconception: str = Field(description="Probes a wrong {statement} the judge found, quoting it.")
    imprecise: str = Field(description="Probes a loose definition of {subject}, quoting the {statement}.")
    next_stage: str = Field(description="Said before a stage's intro when the stage follows another: {stage}.")
    repeat: str
    closing: str
    ended_early: str
    model_answer_connectives: list[str] = Field(default_factory=lambda: ["On top of that,"], min_length=1,
                                                description="Open every second sentence of a model answer's paragraph.")
    model_answer_closing: str = Field("Finally,", description="Opens a model answer's last paragraph.")
    model_answer_story_parts: list[list[str]] = Field(default_factory=list, description=(
        "STAR parts of a behavioural model answer, in order: [part, opening line, words that put a key point in it..., "
        "what is said when no key point does]."))
    model_answer_statement_openers: list[str] = Field(default_factory=list, description=(
        "First words (lower case) of key points that state a fact though they end like a verb: said as they are."))

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

    def hint_for(self, target: str, specific: bool) -> str:
        if specific:
            return self.hint_specific.format(point=target.rstrip(". "))
        return self.hint.format(area=_as_phrase(target))

    def misconception_for(self, statement: str) -> str:
        return self.misconception.format(statement=quote(statement))

    def imprecise_for(self, statement: str, subject: str) -> str:
        return self.imprecise.format(statement=quote(statement), subject=_as_phrase(subject))

    def next_stage_for(self, title: str) -> str:
        return self.next_stage.format(stage=_as_phrase(title))


QUOTE_WORDS = 25  # a quoted statement longer than this is cut, the cut marked with "…"


def quote(statement: str) -> str:
    """The candidate's words as they are quoted back: whole, or their first QUOTE_WORDS words."""
    parts = statement.split()
    text = " ".join(parts[:QUOTE_WORDS]).rstrip(",;:")
    return text + " …" if len(parts) > QUOTE_WORDS else text.rstrip(".!?")


def _as_phrase(area: str) -> str:
    """'Monitoring methods to detect issues' -> 'monitoring methods to detect issues'."""
    if len(area) > 1 and area[0].isupper() and not area[1].isupper():
        area = area[0].lower() + area[1:]
    return area.rstrip(".")
