"""Recording a spoken answer from the microphone into a WAV file (sounddevice, loaded on first use).

PortAudio calls `Recorder._on_block` on its own thread for every ~50 ms of audio: it only measures the
block for the level meter and queues it. A writer thread appends queued blocks to the WAV file, so the
audio is on disk while the candidate is still speaking, and slow disk I/O never stalls the audio thread.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockmle.audio import VoiceUnavailable, load_sounddevice, one_line
from mockmle.audio.wav import WavWriter
from mockmle.files import private_dir

BLOCK_SECONDS = 0.05
METER_FLOOR_DB = -60.0  # this quiet or quieter shows as an empty meter

NO_PACKAGE = ("Voice is off: the sounddevice package is not installed (`pip install sounddevice`); "
              "typing works as usual.")
NO_PORTAUDIO = ("Voice is off: the PortAudio library is missing (install libportaudio2, e.g. "
                "`sudo apt-get install libportaudio2`); typing works as usual.")
NO_INPUT = ("Voice is off: no microphone found (plug one in, or choose a default input in your sound "
            "settings); typing works as usual.")


@dataclass(frozen=True)
class Recording:
    path: Path
    seconds: float
    samplerate: int


def meter_level(block: bytes) -> float:
    """The peak of a block of 16-bit samples on a 0..1 meter: -60 dBFS or quieter is 0, full scale is 1."""
    samples = array("h")
    samples.frombytes(block[: len(block) - len(block) % 2])
    if not samples:
        return 0.0
    peak = max(max(samples), -min(samples))
    if peak == 0:
        return 0.0
    dbfs = 20 * math.log10(peak / 32768)
    return min(1.0, max(0.0, 1 - dbfs / METER_FLOOR_DB))


class Recorder:
    """Records mono 16-bit audio to a WAV file: `start(path)`, then `stop()` or `cancel()`."""

    def __init__(self, samplerate: int = 16000, device: int | str | None = None, clock=time.monotonic):
        self.samplerate = samplerate
        self.device = device
        self.overflows = 0  # blocks PortAudio flagged (input overflow: audio was dropped before we got it)
        self._clock = clock
        # sounddevice ships no types: its module and input stream are Any here.
        self._sd: Any = None
        self._stream: Any = None
        self._writer: WavWriter | None = None
        self._blocks: queue.SimpleQueue = queue.SimpleQueue()
        self._write_thread: threading.Thread | None = None
        self._write_error: OSError | None = None
        self._started = 0.0
        self._elapsed = 0.0
        self._level = 0.0

    @staticmethod
    def check(device: int | str | None = None) -> str:
        """A short description of the input device, or VoiceUnavailable saying why voice cannot work."""
        sd = load_sounddevice(NO_PACKAGE, NO_PORTAUDIO)
        try:
            devices = sd.query_devices()
        except sd.PortAudioError as exc:
            raise VoiceUnavailable(f"Voice is off: PortAudio could not list the audio devices ({one_line(exc)}); "
                                   "check your sound system; typing works as usual.") from None
        if not any(d.get("max_input_channels", 0) > 0 for d in devices):
            raise VoiceUnavailable(NO_INPUT)
        try:
            info = sd.query_devices(device, kind="input")
        except (sd.PortAudioError, ValueError) as exc:
            if device is None:
                raise VoiceUnavailable("Voice is off: there is no default input device (choose one in your sound "
                                       "settings); typing works as usual.") from None
            raise VoiceUnavailable(f"Voice is off: input device {device!r} is not available ({one_line(exc)}); "
                                   "typing works as usual.") from None
        if info.get("max_input_channels", 0) <= 0:
            raise VoiceUnavailable(NO_INPUT)
        return f"{'default input' if device is None else 'input'}: {info['name']}"

    @property
    def recording(self) -> bool:
        return self._stream is not None

    @property
    def elapsed(self) -> float:
        return self._clock() - self._started if self.recording else self._elapsed

    @property
    def level(self) -> float:
        return self._level

    def start(self, path: str | Path) -> None:
        if self.recording:
            raise RuntimeError("already recording")
        sd = load_sounddevice(NO_PACKAGE, NO_PORTAUDIO)
        path = Path(path)
        try:
            private_dir(path.parent)
            writer = WavWriter(path, self.samplerate)
        except OSError as exc:
            raise VoiceUnavailable(f"Cannot save the recording in {path.parent}: {exc.strerror or exc}") from None
        self._sd, self._writer, self._write_error = sd, writer, None
        self._blocks = queue.SimpleQueue()
        self._level, self.overflows = 0.0, 0
        self._write_thread = threading.Thread(target=self._write_blocks, args=(writer, self._blocks),
                                              name="mockmle-recorder", daemon=True)
        self._write_thread.start()
        stream = None
        try:
            stream = sd.RawInputStream(samplerate=self.samplerate, channels=1, dtype="int16",
                                       blocksize=int(self.samplerate * BLOCK_SECONDS), device=self.device,
                                       callback=self._on_block)
            self._started, self._stream = self._clock(), stream  # blocks may arrive before start() returns
            stream.start()
        except (sd.PortAudioError, OSError, ValueError) as exc:
            self._stream = None
            if stream is not None:
                self._quietly(stream.close)
            self._close_writer()
            path.unlink(missing_ok=True)
            raise VoiceUnavailable(f"Voice is off: the microphone could not be opened ({one_line(exc)}); "
                                   "typing works as usual.") from None

    def stop(self) -> Recording:
        if not self.recording:
            raise RuntimeError("not recording")
        writer, _ = self._take()
        self._finish()
        if self._write_error is not None:
            raise VoiceUnavailable(f"Cannot save the recording to {writer.path}: "
                                   f"{self._write_error.strerror or self._write_error}")
        return Recording(path=writer.path, seconds=writer.frames / self.samplerate, samplerate=self.samplerate)

    def cancel(self) -> None:
        if not self.recording:
            return
        path = self._take()[0].path
        self._finish()
        path.unlink(missing_ok=True)

    # -- PortAudio's thread

    def _on_block(self, indata, frames, time_info, status) -> None:
        if status:
            self.overflows += 1
        block = bytes(indata)
        self._blocks.put(block)
        self._level = meter_level(block)

    # -- the writer thread

    def _write_blocks(self, writer: WavWriter, blocks: queue.SimpleQueue) -> None:
        while (block := blocks.get()) is not None:
            if self._write_error is None:
                try:
                    writer.write(block)
                except OSError as exc:  # e.g. the disk is full: keep draining, report it on stop()
                    self._write_error = exc

    # -- shared

    def _finish(self) -> None:
        stream, self._stream = self._stream, None
        self._elapsed = self._clock() - self._started
        # After stop() returns PortAudio calls back no more, so every block is queued before the sentinel.
        self._quietly(stream.stop)
        self._quietly(stream.close)
        self._level = 0.0
        self._close_writer()

    def _take(self) -> tuple[WavWriter, threading.Thread]:
        """The file writer and its thread, which start() sets before a recording can be stopped or cancelled."""
        if self._writer is None or self._write_thread is None:
            raise RuntimeError("not recording")
        return self._writer, self._write_thread

    def _close_writer(self) -> None:
        writer, thread = self._take()
        self._blocks.put(None)
        thread.join()
        try:
            writer.close()
        except OSError as exc:
            self._write_error = self._write_error or exc

    def _quietly(self, action) -> None:
        # A device that vanished mid-recording makes stop/close fail; the audio already queued is still good.
        try:
            action()
        except (self._sd.PortAudioError, OSError):
            pass
