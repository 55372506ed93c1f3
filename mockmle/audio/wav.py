"""16-bit PCM WAV files: read one whole (`read_wav`), measure one (`wav_seconds`), write one as it is recorded."""

from __future__ import annotations

import os
import struct
import wave
from pathlib import Path

from mockmle.errors import UsageError
from mockmle.files import PRIVATE_FILE

_HEADER = struct.Struct("<4sI4s4sIHHIIHH4sI")  # RIFF header, a 16-byte PCM "fmt " chunk, the "data" chunk header


class BadAudio(UsageError):
    """A file that is not a readable 16-bit PCM WAV; the message is one line naming the file."""


def _open(path: Path) -> wave.Wave_read:
    try:
        reader = wave.open(str(path), "rb")
    except FileNotFoundError:
        raise BadAudio(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadAudio(f"{path} is a folder, not a WAV file") from None
    except (wave.Error, EOFError, struct.error) as exc:
        raise BadAudio(f"{path} is not a 16-bit PCM WAV file ({exc or 'truncated'})") from None
    except OSError as exc:
        raise BadAudio(f"cannot read {path}: {exc.strerror or exc}") from None
    if reader.getsampwidth() != 2:
        bits = 8 * reader.getsampwidth()
        reader.close()
        raise BadAudio(f"{path} is {bits}-bit audio; only 16-bit PCM WAV files are supported")
    return reader


def read_wav(path: str | Path) -> tuple[bytes, int, int, int]:
    """(frames, samplerate, channels, sampwidth) of a 16-bit PCM WAV file; raises BadAudio otherwise."""
    path = Path(path)
    with _open(path) as reader:
        try:
            frames = reader.readframes(reader.getnframes())
        except OSError as exc:
            raise BadAudio(f"cannot read {path}: {exc.strerror or exc}") from None
        return frames, reader.getframerate(), reader.getnchannels(), reader.getsampwidth()


def wav_seconds(path: str | Path) -> float:
    """Length of a 16-bit PCM WAV file in seconds; raises BadAudio for anything else."""
    path = Path(path)
    with _open(path) as reader:
        return reader.getnframes() / reader.getframerate()


class WavWriter:
    """Appends 16-bit PCM frames to a WAV file as they arrive.

    The header's sizes are rewritten every `fix_every` seconds of audio and on `close()`, so a crash
    mid-recording leaves a playable file that lacks at most the last few seconds.
    """

    def __init__(self, path: str | Path, samplerate: int, channels: int = 1, fix_every: float = 1.0):
        self.path = Path(path)
        self.samplerate = samplerate
        self.channels = channels
        self.frame_bytes = 2 * channels
        self.data_bytes = 0
        self._fix_bytes = max(1, int(fix_every * samplerate)) * self.frame_bytes
        self._unfixed = 0
        self._file = os.fdopen(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE), "wb")
        try:
            self._fix_header()
        except OSError:
            self._file.close()
            raise

    @property
    def frames(self) -> int:
        return self.data_bytes // self.frame_bytes

    def write(self, frames: bytes) -> None:
        self._file.write(frames)
        self.data_bytes += len(frames)
        self._unfixed += len(frames)
        if self._unfixed >= self._fix_bytes:
            self._fix_header()

    def close(self) -> None:
        if self._file.closed:
            return
        try:
            self._fix_header()
        finally:
            self._file.close()

    def _header(self) -> bytes:
        rate, block = self.samplerate, self.frame_bytes
        return _HEADER.pack(b"RIFF", 36 + self.data_bytes, b"WAVE", b"fmt ", 16, 1, self.channels, rate,
                            rate * block, block, 16, b"data", self.data_bytes)

    def _fix_header(self) -> None:
        self._file.seek(0)
        self._file.write(self._header())
        self._file.seek(0, 2)
        self._file.flush()
        self._unfixed = 0
