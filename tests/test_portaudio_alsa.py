"""The real PortAudio path, on a machine with no sound card: ALSA's `file` plugin as the default capture device.

`ALSA_CONFIG_PATH` replaces the system's alsa.conf with ours, in which `pcm.default` is a `type file` PCM
whose `infile` is a named pipe fed with the committed clip's samples. The slave is a `null` PCM, which
never makes the reader wait, so the pipe is what paces the recording: the feeder writes the clip in real
time. The recorder runs in a subprocess because PortAudio reads the ALSA configuration when it starts.

Skipped without sounddevice or libportaudio2, unless MOCKMLE_REQUIRE_AUDIO=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mockmle.audio.wav import read_wav

REPO = Path(__file__).resolve().parents[1]
CLIP = REPO / "tests" / "data" / "voice" / "answer.wav"
BYTES_PER_SECOND = 16000 * 2
RECORD_SECONDS = 1.5
LEAD = 0.25  # seconds of audio the feeder keeps ahead of real time
TIMEOUT = 120  # seconds for the subprocess; it takes about two

RECORD = """
import json, sys, time
from mockmle.audio.recorder import Recorder

device = Recorder.check()
recorder = Recorder()
recorder.start(sys.argv[1])
deadline = time.monotonic() + float(sys.argv[2])
peak_level = 0.0
while time.monotonic() < deadline:
    peak_level = max(peak_level, recorder.level)
    time.sleep(0.02)
recording = recorder.stop()
print(json.dumps({"device": device, "seconds": recording.seconds, "samplerate": recording.samplerate,
                  "peak_level": peak_level, "overflows": recorder.overflows}))
"""


def missing() -> str | None:
    if importlib.util.find_spec("sounddevice") is None:
        return "the sounddevice package is not installed"
    if ctypes.util.find_library("portaudio") is None:
        return "the PortAudio library is not installed (apt-get install libportaudio2)"
    if not hasattr(os, "mkfifo"):
        return "named pipes are not available on this platform"
    return None


@pytest.fixture
def portaudio():
    reason = missing()
    if reason:
        if os.environ.get("MOCKMLE_REQUIRE_AUDIO") == "1":
            pytest.fail(f"MOCKMLE_REQUIRE_AUDIO=1 but {reason}", pytrace=False)
        pytest.skip(reason)


def alsa_config(infile: Path) -> str:
    # Our file is the whole configuration: no system alsa.conf, so `null` must be defined here too.
    # `file` (where the plugin copies what is captured) is required even for capture.
    return f"""
pcm.null {{
    type null
}}
pcm.!default {{
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "{infile}"
    format "raw"
}}
"""


class Feeder:
    """Writes the clip into the pipe at real-time speed, then silence, until stopped.

    The pipe is opened read-write so that ALSA's blocking open() never waits for us, and so that what is
    written before PortAudio starts reading waits in the pipe instead of failing.
    """

    CHUNK = 1600  # 50 ms; below PIPE_BUF, so each write lands whole and the reader never sees half a sample

    def __init__(self, fifo: Path, audio: bytes):
        self.audio = audio
        self.fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
        self.sent = 0
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Feeder:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._halt.set()
        self._thread.join(10)
        os.close(self.fd)

    def _run(self) -> None:
        began = time.monotonic()
        while not self._halt.is_set():
            due = int((time.monotonic() - began + LEAD) * BYTES_PER_SECOND)
            while self.sent < due:
                chunk = self.audio[self.sent:self.sent + self.CHUNK] or bytes(self.CHUNK)
                try:
                    os.write(self.fd, chunk)
                except BlockingIOError:  # the pipe is full: nobody is reading yet
                    break
                self.sent += len(chunk)
            self._halt.wait(0.01)


def test_recording_through_portaudio_and_alsa(tmp_path, portaudio):
    clip, rate, channels, _ = read_wav(CLIP)
    assert (rate, channels) == (16000, 1)
    fifo = tmp_path / "microphone.pipe"
    os.mkfifo(fifo)
    config = tmp_path / "asound.conf"
    config.write_text(alsa_config(fifo))
    out = tmp_path / "recordings" / "take.wav"
    env = {**os.environ, "ALSA_CONFIG_PATH": str(config), "PYTHONPATH": str(REPO)}

    with Feeder(fifo, clip):
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-c", RECORD, str(out), str(RECORD_SECONDS)], capture_output=True,
                                text=True, env=env, cwd=tmp_path, timeout=TIMEOUT)
        took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert report["device"] == "default input: default"
    frames, rate, channels, width = read_wav(out)
    assert (rate, channels, width) == (16000, 1, 2) and report["samplerate"] == 16000
    assert report["seconds"] == pytest.approx(len(frames) / BYTES_PER_SECOND)
    # Paced by the pipe: about as much audio as wall time (plus the lead), not the unpaced gigabytes.
    assert RECORD_SECONDS * 0.8 <= report["seconds"] <= took + LEAD + 1
    # The file plugin hands the pipe's bytes through untouched: the recording is the clip's beginning.
    assert frames == clip[:len(frames)]
    assert any(frames[BYTES_PER_SECOND:])  # speech starts 0.5 s into the clip
    assert report["peak_level"] > 0.5
