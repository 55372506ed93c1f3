"""Spoken answers: recording from the microphone (`recorder`) and small WAV helpers (`wav`).

Imported lazily by the shells: nothing here loads sounddevice until a recording is checked or started,
so a machine without PortAudio still runs everything else and the user only loses voice.
"""

from __future__ import annotations

from mockmle.errors import MockmleError


class VoiceUnavailable(MockmleError):
    """Voice input cannot be used here; `line` says why and how to fix it, in one line."""

    def __init__(self, line: str):
        super().__init__(line)
        self.line = line
