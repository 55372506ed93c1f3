from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mockmle.core.bank import load_bank
from mockmle.resources import data_dir
from mockmle.services import Services
from mockmle.settings import Settings

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def bank():
    return load_bank(data_dir("rubrics"))


@pytest.fixture
def services(tmp_path):
    return Services(Settings(home=tmp_path / "home"))


@pytest.fixture
def cli(tmp_path):
    """Run the real `python -m mockmle` with a temporary data home."""
    home = tmp_path / "home"

    def run(*args: str, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKMLE_")}
        full_env.update({"MOCKMLE_HOME": str(home), **(env or {})})
        return subprocess.run([sys.executable, "-m", "mockmle", *args], capture_output=True, text=True,
                              input=input, env=full_env, cwd=tmp_path, timeout=120)

    run.home = home
    return run
