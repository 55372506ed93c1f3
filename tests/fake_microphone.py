"""A fake microphone for the recording tests: the real sounddevice module with its input stream replaced by
`ClipStream`, which on start() hands the callback consecutive blocks of tests/data/voice/answer.wav from its own
thread, as PortAudio's thread would with a microphone. Imported by conftest.py, so the fixtures are everyone's."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from mockmle.audio.wav import read_wav

CLIP = Path(__file__).resolve().parent / "data" / "voice" / "answer.wav"
WAIT = 30.0  # seconds; generous for a loaded CI box, the fake itself feeds the whole clip in milliseconds


@pytest.fixture
def sd():
    """The real sounddevice module (it needs the PortAudio library); skipped without it unless MOCKMLE_REQUIRE_AUDIO=1."""
    try:
        import sounddevice
    except (ImportError, OSError) as exc:
        reason = f"sounddevice cannot be imported ({exc}); install libportaudio2"
        if os.environ.get("MOCKMLE_REQUIRE_AUDIO") == "1":
            pytest.fail(f"MOCKMLE_REQUIRE_AUDIO=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return sounddevice


@pytest.fixture(scope="module")
def clip() -> bytes:
    frames, rate, channels, width = read_wav(CLIP)
    assert (rate, channels, width) == (16000, 1, 2)
    return frames


class Feed:
    """What the fake stream feeds; tests set the options before `Recorder.start()`."""

    def __init__(self):
        self.streams: list = []
        self.hold_after: int | None = None  # pause after this many blocks, until stop()
        self.overflow_every: int | None = None  # flag every n-th block as an input overflow
        self.probe = None  # called after each block; (block, result) pairs are kept in stream.probed

    @property
    def stream(self):
        (stream,) = self.streams
        return stream


@pytest.fixture
def feed(monkeypatch, sd, clip) -> Feed:
    """Installs ClipStream as sounddevice.RawInputStream."""
    options = Feed()

    class ClipStream:
        def __init__(self, *, samplerate, channels, dtype, blocksize, device, callback):
            self.settings = dict(samplerate=samplerate, channels=channels, dtype=dtype, blocksize=blocksize,
                                 device=device)
            self.callback = callback
            self.fed_blocks = 0
            self.probed: list[tuple[bytes, object]] = []
            self.done = threading.Event()  # every block fed, or holding
            self.closed = False
            self._halt = threading.Event()
            self._thread: threading.Thread | None = None
            options.streams.append(self)

        def start(self):
            self._thread = threading.Thread(target=self._feed, daemon=True)
            self._thread.start()

        def _feed(self):
            step = self.settings["blocksize"] * 2
            for offset in range(0, len(clip), step):
                if self.fed_blocks == options.hold_after or self._halt.is_set():
                    break
                block = clip[offset:offset + step]
                status = sd.CallbackFlags()
                if options.overflow_every and (self.fed_blocks + 1) % options.overflow_every == 0:
                    status.input_overflow = True
                self.callback(block, len(block) // 2, None, status)
                self.fed_blocks += 1
                if options.probe is not None:
                    self.probed.append((block, options.probe()))
            self.done.set()

        def stop(self):
            self._halt.set()
            if self._thread is not None:
                self._thread.join(WAIT)

        def close(self):
            self.stop()
            self.closed = True

    monkeypatch.setattr(sd, "RawInputStream", ClipStream)
    return options


@pytest.fixture
def microphone(monkeypatch, sd, feed) -> Feed:
    """`feed`, with sounddevice also reporting one default input device, as a laptop would."""
    mic = {"name": "Test microphone", "max_input_channels": 1, "default_samplerate": 16000.0}
    monkeypatch.setattr(sd, "query_devices", lambda device=None, kind=None: mic if kind else [mic])
    return feed
