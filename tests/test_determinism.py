"""The offline judge gives the same grade in every process, whatever Python's hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import json, random
from mockmle.core.coverage import TermWeights
from mockmle.core.bank import load_bank
from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader
from mockmle.resources import data_dir

rng = random.Random(0)
words = [f"w{i}" for i in range(40)]
weights = TermWeights(idf={w: rng.uniform(0.1, 9.9) for w in words}, canonical={}, default=1.0)
overlaps = [weights.overlap(set(rng.sample(words, 12)), set(rng.sample(words, 20))).hex() for _ in range(300)]
bank = load_bank(data_dir("rubrics"))
grader = OfflineGrader(bank)
bands = [grader.grade(GradeRequest(question_text=q.prompt, question=q, answer=" ".join(q.key_points[:2]))).band
         for q in bank.questions.values()]
print(json.dumps([overlaps, bands]))
"""


def run_with_seed(seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    return subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True).stdout


def test_overlaps_and_bands_do_not_depend_on_the_hash_seed():
    assert run_with_seed(1) == run_with_seed(2) == run_with_seed(3)
