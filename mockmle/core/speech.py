"""A transcribed spoken answer: its text and each word's timing. Backends fill it; delivery reads it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Word(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The word as transcribed, with any punctuation the backend attached")
    start: float = Field(ge=0, description="Seconds from the start of the recording")
    end: float = Field(ge=0)
    probability: float | None = None


class SpokenText(BaseModel):
    """What a transcription backend returns for one recording."""

    model_config = ConfigDict(extra="forbid")

    text: str
    words: list[Word] = Field(default_factory=list)
    duration: float = Field(ge=0, description="Length of the recording in seconds")
    language: str | None = None
    backend: str = Field(description="'faster-whisper' or 'api'")
    model: str = Field(description="The model folder's name or the endpoint's model")
