"""A real wheel, installed (not editable), finds its data from any directory."""

import os
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
                   check=True, capture_output=True)
    (built,) = out.glob("mockmle-*.whl")
    return built


def test_wheel_ships_rubrics_and_prompts(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "mockmle/_data/rubrics/technical.toml" in names
    assert "mockmle/_data/rubrics/common.toml" in names
    assert "mockmle/_data/prompts/offline_interviewer.toml" in names
    assert "mockmle/_data/prompts/judge.toml" in names
    assert "mockmle/_data/tokenizers/o200k_base.tiktoken.gz" in names
    assert "mockmle/_data/tokenizers/all-MiniLM-L6-v2/tokenizer.json" in names  # the meaning model's tokenizer
    assert "mockmle/_data/rubrics/grading.toml" in names
    assert "mockmle/_data/rubrics/combiner.toml" in names  # the offline judge's fitted coefficients
    assert "mockmle/core/grading/grader_words.toml" in names  # the words of instructions to the grader


def test_installed_wheel_lists_the_bank_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKMLE_")}
    env.update(PYTHONPATH=str(target), HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "xdg"))
    result = subprocess.run([sys.executable, "-m", "mockmle", "bank", "list", "--stage", "technical"],
                            capture_output=True, text=True, cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stderr
    assert "technical.bagging-vs-boosting" in result.stdout
    # Token counting works from the installed copy with no network: the tokenizer files are inside the wheel.
    doctor = subprocess.run([sys.executable, "-m", "mockmle", "doctor", "--json"], capture_output=True, text=True,
                            cwd=elsewhere, env=env)
    assert doctor.returncode == 0, doctor.stderr
    assert '"status": "ok"' in doctor.stdout and "o200k_base, works offline" in doctor.stdout
    where = subprocess.run([sys.executable, "-c", "import mockmle; print(mockmle.__file__)"],
                           capture_output=True, text=True, cwd=elsewhere, env=env)
    assert where.stdout.startswith(str(target))  # really the installed copy, not the checkout
    # an installed copy keeps its data in the user's data folder, not the working directory
    answers = elsewhere / "a.txt"
    answers.write_text("/end\n")
    played = subprocess.run([sys.executable, "-m", "mockmle", "interview", "--question-ids", "technical.bias-variance",
                             "--answers-file", str(answers), "--json"], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert played.returncode == 0, played.stderr
    assert (tmp_path / "xdg" / "mockmle" / "mockmle.db").exists()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["a.txt"]
