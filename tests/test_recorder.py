"""The recorder's real code, with sounddevice's input stream replaced by one that plays a committed clip
(`feed`, from tests/fake_microphone.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from array import array
from pathlib import Path

import pytest

from fake_microphone import CLIP, WAIT
from mockmle.audio import VoiceUnavailable
from mockmle.audio.recorder import Recorder
from mockmle.audio.wav import BadAudio, read_wav, wav_seconds

REPO = Path(__file__).resolve().parents[1]


class Clock:
    def __init__(self, now: float = 100.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_recording_has_the_clips_samples(tmp_path, feed, clip):
    clock = Clock()
    recorder = Recorder(clock=clock)
    path = tmp_path / "session" / "q1" / "take1.wav"  # parent folders are created
    recorder.start(path)
    assert recorder.recording
    stream = feed.stream
    assert stream.settings == dict(samplerate=16000, channels=1, dtype="int16", blocksize=800, device=None)
    assert stream.done.wait(WAIT)
    clock.now += 18.5
    assert recorder.elapsed == pytest.approx(18.5)
    recording = recorder.stop()

    assert not recorder.recording and stream.closed
    assert recording.path == path and recording.samplerate == 16000
    assert recording.seconds == pytest.approx(18.52, abs=0.01)
    frames, rate, channels, width = read_wav(path)
    assert (rate, channels, width) == (16000, 1, 2)
    assert frames == clip
    assert wav_seconds(path) == pytest.approx(recording.seconds)
    assert recorder.elapsed == pytest.approx(18.5)  # frozen once stopped


def test_level_meter_moves_with_speech_and_rests_in_silence(tmp_path, feed):
    recorder = Recorder()
    feed.probe = lambda: recorder.level
    recorder.start(tmp_path / "a.wav")
    stream = feed.stream
    assert stream.done.wait(WAIT)
    recorder.stop()

    def peak(block: bytes) -> int:
        samples = array("h", block)
        return max(max(samples), -min(samples))

    silent = [level for block, level in stream.probed if peak(block) <= 16]
    loud = [level for block, level in stream.probed if peak(block) >= 3000]
    assert len(silent) >= 50 and len(loud) >= 100  # the clip's lead-in and 2.5 s pause; its words
    assert set(silent) == {0.0}
    assert min(loud) > 0.5
    assert all(0.0 <= level <= 1.0 for _, level in stream.probed)
    assert [level for _, level in stream.probed[:10]] == [0.0] * 10  # the 0.5 s lead-in
    assert recorder.level == 0.0  # not recording


def test_input_overflow_is_counted_and_the_audio_kept(tmp_path, feed, clip):
    feed.overflow_every = 7
    recorder = Recorder()
    recorder.start(tmp_path / "a.wav")
    stream = feed.stream
    assert stream.done.wait(WAIT)
    recording = recorder.stop()
    assert recorder.overflows == stream.fed_blocks // 7 > 0
    assert read_wav(recording.path)[0] == clip


def test_stopping_midway_keeps_what_was_heard(tmp_path, feed, clip):
    feed.hold_after = 40  # 2 s
    recorder = Recorder()
    recorder.start(tmp_path / "a.wav")
    stream = feed.stream
    assert stream.done.wait(WAIT)
    recording = recorder.stop()
    assert recording.seconds == pytest.approx(2.0)
    assert read_wav(recording.path)[0] == clip[:40 * 1600]


def test_audio_is_on_disk_while_recording(tmp_path, feed, clip):
    """A crash mid-answer leaves a readable WAV with what was said so far (the header is fixed every second)."""
    feed.hold_after = 60  # 3 s
    recorder = Recorder()
    path = tmp_path / "a.wav"
    recorder.start(path)
    stream = feed.stream
    assert stream.done.wait(WAIT)
    deadline = time.monotonic() + WAIT
    while wav_seconds(path) < 2.0 and time.monotonic() < deadline:
        time.sleep(0.01)
    frames = read_wav(path)[0]
    assert len(frames) >= 2 * 16000 * 2 and clip.startswith(frames)
    recorder.cancel()


def test_cancel_removes_the_file(tmp_path, feed):
    feed.hold_after = 20
    recorder = Recorder()
    path = tmp_path / "a.wav"
    recorder.start(path)
    stream = feed.stream
    assert stream.done.wait(WAIT)
    recorder.cancel()
    assert not path.exists() and not recorder.recording and stream.closed
    recorder.cancel()  # nothing to cancel: no error


@pytest.mark.parametrize("fails_on", ["open", "start"])
def test_a_device_error_becomes_one_line(tmp_path, monkeypatch, sd, fails_on):
    error = sd.PortAudioError("Error opening RawInputStream: Invalid sample rate\n[PaErrorCode -9997]")
    closed = []

    class BrokenStream:
        def __init__(self, **kwargs):
            if fails_on == "open":
                raise error

        def start(self):
            raise error

        def close(self):
            closed.append(True)

    monkeypatch.setattr(sd, "RawInputStream", BrokenStream)
    recorder = Recorder()
    path = tmp_path / "a.wav"
    with pytest.raises(VoiceUnavailable) as caught:
        recorder.start(path)
    line = caught.value.line
    assert "\n" not in line and str(caught.value) == line
    assert line.startswith("Voice is off") and "Invalid sample rate [PaErrorCode -9997]" in line
    assert not path.exists() and not recorder.recording
    assert closed == ([True] if fails_on == "start" else [])


def test_check_names_the_default_input(monkeypatch, sd):
    mic = {"name": "Fake USB Mic", "max_input_channels": 1}
    monkeypatch.setattr(sd, "query_devices", lambda device=None, kind=None: mic if kind else [mic])
    assert Recorder.check() == "default input: Fake USB Mic"
    assert Recorder.check(device=2) == "input: Fake USB Mic"


def _raise(error):
    raise error


@pytest.mark.parametrize("case", ["listing fails", "no device has inputs", "no default input", "input has 0 channels",
                                  "unknown device"])
def test_check_says_why_voice_is_off(monkeypatch, sd, case):
    speaker = {"name": "Speakers", "max_input_channels": 0}
    mic = {"name": "Mic", "max_input_channels": 2}
    query = {
        "listing fails": lambda device=None, kind=None: _raise(sd.PortAudioError("Error querying host API -9999")),
        "no device has inputs": lambda device=None, kind=None: speaker if kind else [speaker],
        "no default input": lambda device=None, kind=None: (_raise(sd.PortAudioError("Error querying device -1"))
                                                            if kind else [speaker, mic]),
        "input has 0 channels": lambda device=None, kind=None: speaker if kind else [speaker, mic],
        "unknown device": lambda device=None, kind=None: (_raise(ValueError("No input device matching 'usb'"))
                                                          if kind else [mic]),
    }[case]
    monkeypatch.setattr(sd, "query_devices", query)
    with pytest.raises(VoiceUnavailable) as caught:
        Recorder.check("usb" if case == "unknown device" else None)
    line = caught.value.line
    assert line.startswith("Voice is off:") and "\n" not in line and "typing works" in line
    if case == "unknown device":
        assert "'usb'" in line


def test_without_the_sounddevice_package(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # makes `import sounddevice` raise ImportError
    with pytest.raises(VoiceUnavailable, match="pip install sounddevice"):
        Recorder.check()
    with pytest.raises(VoiceUnavailable, match="pip install sounddevice"):
        Recorder().start(tmp_path / "a.wav")
    assert not (tmp_path / "a.wav").exists()


def test_without_the_portaudio_library(tmp_path):
    """sounddevice raises OSError on import when libportaudio is missing: a stub module on PYTHONPATH does the same."""
    stub = tmp_path / "stub"
    stub.mkdir()
    (stub / "sounddevice.py").write_text('raise OSError("PortAudio library not found")\n')
    code = (
        "from mockmle.audio import VoiceUnavailable\n"
        "from mockmle.audio.recorder import Recorder\n"
        "for attempt in (Recorder.check, lambda: Recorder().start('x/a.wav')):\n"
        "    try:\n"
        "        attempt()\n"
        "    except VoiceUnavailable as exc:\n"
        "        print(exc.line)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(stub), str(REPO)])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=60)
    assert out.returncode == 0 and out.stderr == ""
    lines = out.stdout.splitlines()
    assert len(lines) == 2 and lines[0] == lines[1]
    assert "PortAudio library is missing" in lines[0] and "libportaudio2" in lines[0]
    assert not (tmp_path / "x").exists()


# -- the WAV helpers `mockmle transcribe` uses

def test_wav_helpers_read_the_clip():
    frames, rate, channels, width = read_wav(CLIP)
    assert (rate, channels, width) == (16000, 1, 2) and len(frames) == 296346 * 2
    assert wav_seconds(CLIP) == pytest.approx(18.52, abs=0.01)


@pytest.mark.parametrize("kind", ["missing", "folder", "text", "8-bit", "truncated"])
def test_wav_helpers_reject_what_is_not_16_bit_pcm(tmp_path, kind):
    import wave

    path = tmp_path / "answer.wav"
    if kind == "folder":
        path.mkdir()
    elif kind == "text":
        path.write_text("not audio at all, just text that is long enough to look like a header\n")
    elif kind == "8-bit":
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(1)
            w.setframerate(8000)
            w.writeframes(bytes(800))
    elif kind == "truncated":
        path.write_bytes(CLIP.read_bytes()[:20])
    for read in (read_wav, wav_seconds):
        with pytest.raises(BadAudio) as caught:
            read(path)
        message = str(caught.value)
        assert "\n" not in message and str(path) in message
    if kind == "8-bit":
        assert "8-bit" in message
