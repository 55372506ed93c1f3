"""Regenerate tests/data/migrations/vN.sql: a database left by the mockmle that stopped at schema version N.

For each version, the last commit before migration N+1 was added is unpacked from git and run as it was: its own
command line plays a finished interview (graded offline, one question skipped) and its own runner leaves a second
session active with one answer graded and, from version 5, a spoken take. The database is then dumped as SQL.
The upgrade tests load these dumps, so what they upgrade is what old code really wrote, not today's idea of it.

    python tools/migration_fixtures.py            # all versions
    python tools/migration_fixtures.py 4 5        # some
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "migrations"
# schema version -> the last commit that knew no later migration
COMMITS = {1: "9df2a27", 2: "8e9e0ab", 3: "30daf39", 4: "b4109b3", 5: "8405a96", 6: "6fd9e55", 7: "962e999"}
QUESTIONS = "technical.bias-variance,technical.gradient-descent,applied-ml.why-tests"
ANSWERS = """\
Bias is error from wrong assumptions, so the model underfits; variance is sensitivity to the training sample, so it
overfits. More capacity lowers bias and raises variance. I would compare training and validation error: both high
means bias, a large gap means variance, and I would regularise, add data or simplify the model accordingly.
---
/skip
---
We test ML code because silent failures are common: a shifted feature or a broken join still trains a model.
I write unit tests for feature code, data validation on inputs, and model quality checks against agreed thresholds
before a release, plus monitoring after it.
"""
# Run inside the old tree: leave a session active with one graded answer (and a spoken take from version 5).
ACTIVE = """
import sys
from mockmle.core.interview import Answer, build_plan
from mockmle.settings import Settings
try:  # the use cases moved to mockmle.app during version 6
    from mockmle.app.runner import InterviewRunner
    from mockmle.app.services import Services
except ImportError:
    from mockmle.runner import InterviewRunner
    from mockmle.services import Services

services = Services(Settings(home=__import__("pathlib").Path(sys.argv[1])))
plan = build_plan(services.bank, question_ids=["technical.gradient-descent", "technical.bias-variance"],
                  max_follow_ups=0)
runner = InterviewRunner.create(services, plan)
runner.start()
text = "Gradient descent steps against the gradient of the loss; the learning rate sets the step size."
if hasattr(runner, "record_take"):
    from mockmle.core.speech import SpokenText, Word
    words = [Word(text=w, start=i * 0.4, end=i * 0.4 + 0.3) for i, w in enumerate(text.split())]
    runner.record_take(*runner.open_exchange(), "recordings/q1-1.wav",
                       SpokenText(text="um " + text, words=words, duration=8.0, backend="faster-whisper", model="base"))
runner.handle_grading(runner.send(Answer(text=text)))
"""


def unpack(commit: str, into: Path) -> None:
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def generate(version: int) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        tree, home = Path(tmp) / "tree", Path(tmp) / "home"
        unpack(COMMITS[version], tree)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKMLE_", "OPENAI_"))}
        env.update(PYTHONPATH=str(tree), MOCKMLE_HOME=str(home))
        answers = Path(tmp) / "answers.txt"
        answers.write_text(ANSWERS)
        subprocess.run([sys.executable, "-m", "mockmle", "interview", "--question-ids", QUESTIONS, "--follow-ups", "0",
                        "--answers-file", str(answers), "--judge", "offline"],
                       cwd=tmp, env=env, check=True, capture_output=True)
        subprocess.run([sys.executable, "-c", ACTIVE, str(home)], cwd=tmp, env=env, check=True)
        db = sqlite3.connect(home / "mockmle.db")
        applied = [row[0] for row in db.execute("select id from _migrations order by id")]
        assert applied == list(range(1, version + 1)), applied
        OUT.mkdir(parents=True, exist_ok=True)
        target = OUT / f"v{version}.sql"
        target.write_text("\n".join(db.iterdump()) + "\n")
        db.close()
        return target


if __name__ == "__main__":
    for number in map(int, sys.argv[1:]) if sys.argv[1:] else COMMITS:
        print(generate(number).relative_to(ROOT))
