"""Run one `mockmle grade` the way the console script does (`mockmle.cli.run`, a process of its own), with a probe:
Python run before the command (`setup`) that can register what to print to standard error at exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ANSWER = "High bias underfits and high variance overfits; learning curves tell them apart."


def grade_with_probe(tmp_path: Path, setup: str) -> subprocess.CompletedProcess[str]:
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER)
    probe = f"{setup}; import sys; sys.argv[0] = 'mockmle'; from mockmle.cli import run; run()"
    return subprocess.run([sys.executable, "-c", probe, "--home", str(tmp_path / "home"), "grade", "--judge", "offline",
                           "--question-id", "technical.bias-variance", "--answer-file", str(answer), "--json"],
                          capture_output=True, text=True, env={"MOCKMLE_MEANING": "off", "PATH": ""}, timeout=120)


def grade_building(tmp_path: Path, model: str) -> subprocess.CompletedProcess[str]:
    """One grade, printing at exit ("complete True" or "complete False") whether it built the schema of `model`, a
    class of mockmle.core.grading.models."""
    return grade_with_probe(tmp_path, f"import atexit, sys; from mockmle.core.grading.models import {model}; "
                                      f"atexit.register(lambda: print('complete', {model}.__pydantic_complete__, "
                                      "file=sys.stderr))")
