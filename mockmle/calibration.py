"""Measure a judge against a labelled calibration set (tests/data/calibration.jsonl)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from mockmle.core.bank import Bank
from mockmle.core.grading.metrics import agreement, quadratic_weighted_kappa, spearman
from mockmle.core.grading.models import Grader, GradeRequest


@dataclass(frozen=True)
class Item:
    id: str
    question_id: str
    answer: str
    band: int
    kind: str
    note: str


@dataclass(frozen=True)
class CalibrationResult:
    graded: list[tuple[Item, int]]
    adversarial: list[tuple[Item, int]]
    seconds: float

    @property
    def spearman(self) -> float:
        return spearman([i.band for i, _ in self.graded], [g for _, g in self.graded])

    @property
    def qwk(self) -> float:
        return quadratic_weighted_kappa([i.band for i, _ in self.graded], [g for _, g in self.graded])

    @property
    def exact(self) -> float:
        return agreement([i.band for i, _ in self.graded], [g for _, g in self.graded])

    @property
    def within_one(self) -> float:
        return agreement([i.band for i, _ in self.graded], [g for _, g in self.graded], within=1)

    @property
    def adversarial_pass_rate(self) -> float:
        return sum(1 for i, g in self.adversarial if g <= max(1, i.band)) / len(self.adversarial)

    @property
    def per_second(self) -> float:
        return (len(self.graded) + len(self.adversarial)) / self.seconds

    def summary(self) -> str:
        return (f"graded answers: {len(self.graded)}, adversarial: {len(self.adversarial)}\n"
                f"Spearman {self.spearman:.3f} | QWK {self.qwk:.3f} | exact {self.exact:.1%} | within one {self.within_one:.1%}\n"
                f"adversarial pass rate (band <= 1): {self.adversarial_pass_rate:.1%}\n"
                f"throughput: {self.per_second:.0f} answers/s")


def load_items(path: Path) -> list[Item]:
    return [Item(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def calibrate(bank: Bank, grader: Grader, items: list[Item]) -> CalibrationResult:
    requests = []
    for item in items:
        question = bank.question(item.question_id)
        requests.append(GradeRequest(question_text=question.prompt, question=question, answer=item.answer, stage=question.stage))
    start = time.perf_counter()
    bands = [grader.grade(request).band for request in requests]
    seconds = time.perf_counter() - start
    pairs = list(zip(items, bands, strict=True))
    return CalibrationResult(graded=[p for p in pairs if p[0].kind == "graded"],
                             adversarial=[p for p in pairs if p[0].kind == "adversarial"], seconds=seconds)
