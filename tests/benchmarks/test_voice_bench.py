"""Voice benchmarks (`make bench`): how fast faster-whisper-base transcribes against the length of the audio
(the real-time factor), what loading it costs in time and memory, and the delivery analysis on top."""

from __future__ import annotations

import resource
import statistics
import time
from pathlib import Path

import pytest

from mockmle.core.delivery import analyse

pytestmark = pytest.mark.bench
CLIP = Path(__file__).resolve().parents[1] / "data" / "voice" / "answer.wav"
RUNS = 5


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_transcription_real_time_factor(whisper_model_dir):
    from mockmle.audio.transcribe import LocalWhisper

    whisper = LocalWhisper(str(whisper_model_dir))
    before = _rss_mb()
    start = time.perf_counter()
    whisper._load()
    load = time.perf_counter() - start
    times, spoken = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        spoken = whisper.transcribe(CLIP)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    start = time.perf_counter()
    for _ in range(100):
        analyse(spoken, time_limit=180, coverage=lambda text: float("leakage" in text))
    delivery_ms = (time.perf_counter() - start) * 10
    print(f"\n[bench] faster-whisper base, CPU int8: load {load:.2f} s, peak RSS +{_rss_mb() - before:.0f} MB; "
          f"{spoken.duration:.1f} s clip transcribed in {median:.2f} s (median of {RUNS}), real-time factor "
          f"{median / spoken.duration:.3f}; delivery analysis {delivery_ms:.2f} ms")
    assert median < spoken.duration * 5  # sanity only: far slower than real time would make voice unusable
