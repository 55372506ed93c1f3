"""Transcribe a recording on its own (mockmle transcribe), with how it was delivered."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mockmle.app.services import Services
from mockmle.core.delivery import Delivery, analyse
from mockmle.core.speech import SpokenText


@dataclass(frozen=True)
class Transcript:
    spoken: SpokenText
    delivery: Delivery
    fallback: str | None  # why the configured API was not used and faster-whisper was, if it was not


def transcribe_recording(services: Services, path: Path, time_limit: float | None = None) -> Transcript:
    """A bad file is UnreadableAudio (exit 2), a failed transcription TranscriptionError (exit 1)."""
    from mockmle.audio.transcribe import FallbackTranscriber

    transcriber = services.transcriber
    spoken = transcriber.transcribe(path)
    fallback = transcriber.last_error if isinstance(transcriber, FallbackTranscriber) else None
    return Transcript(spoken, analyse(spoken, time_limit=time_limit), fallback)
