"""Grade every row of a dataset with a judge, time it, and compute the agreement figures.

Agreement (Spearman, Pearson, QWK, exact, within one) is measured on the graded rows; adversarial
rows (written to game the judge) only count in the pass rate: the share graded 1 or below.
The judge's band is compared with the human score on its own scale for Spearman and Pearson, and
with the human band (datasets.human_band) for QWK, exact and within one. Baselines give a score, not
a band, so only their Spearman and Pearson are reported: banding them would need thresholds fitted
on labels.

The paraphrase gap grades the dataset's paraphrases (the same answers reworded away from the rubric's
words) after the timed run and compares them with their originals: the judge's mean band on the
originals minus its mean band on the paraphrases, ideally 0; keyword recall gives no band, so its
fall is given as a share of its mean on the originals.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mockmle.core.bank import Bank
from mockmle.core.bank_models import Question
from mockmle.core.grading.meaning import Meaning
from mockmle.core.grading.metrics import agreement, pearson, quadratic_weighted_kappa, spearman
from mockmle.core.grading.models import Grader, GradeRequest
from mockmle.evaluation.baselines import baseline_scores, keyword_recall, meaning_scores
from mockmle.evaluation.datasets import Dataset, Row, human_band

ADVERSARIAL_PASS = 1  # an adversarial answer passes when graded at or below this band


@dataclass(frozen=True)
class Figures:
    spearman: float
    pearson: float
    qwk: float | None = None
    exact: float | None = None
    within_one: float | None = None


def figures(human: Sequence[float], scores: Sequence[float], human_bands: Sequence[int] | None = None,
            bands: Sequence[int] | None = None) -> Figures:
    if bands is None or human_bands is None:
        return Figures(spearman(human, scores), pearson(human, scores))
    return Figures(spearman(human, scores), pearson(human, scores), quadratic_weighted_kappa(human_bands, bands),
                   agreement(human_bands, bands), agreement(human_bands, bands, within=1))


@dataclass(frozen=True)
class ParaphraseGap:
    pairs: int
    original_band: float  # the judge's mean band on the originals
    paraphrase_band: float  # and on their paraphrases
    original_recall: float  # keyword recall's mean on the originals
    paraphrase_recall: float

    @property
    def bands(self) -> float:
        """How many bands the judge loses on average when the same answer is put in other words."""
        return self.original_band - self.paraphrase_band

    @property
    def recall_drop(self) -> float | None:
        """Keyword recall's fall on the paraphrases, as a share of its mean on the originals."""
        return 1 - self.paraphrase_recall / self.original_recall if self.original_recall else None


def paraphrase_gap(original_bands: Sequence[int], paraphrase_bands: Sequence[int],
                   original_recall: Sequence[float], paraphrase_recall: Sequence[float]) -> ParaphraseGap | None:
    """From pairs in the same order: each original's figures and its paraphrase's."""
    if not original_bands:
        return None
    n = len(original_bands)
    return ParaphraseGap(n, sum(original_bands) / n, sum(paraphrase_bands) / n, sum(original_recall) / n,
                         sum(paraphrase_recall) / n)


@dataclass(frozen=True)
class Evaluation:
    dataset: Dataset
    judge: str  # the grader's name ("offline", "llm:<model>")
    judge_version: str
    bands: list[int]  # the judge's band for each row, in the dataset's order
    seconds: float  # grading time, all rows
    fallbacks: int  # LLM judge: rows the offline judge graded because the model failed
    baselines: dict[str, list[float]]  # each baseline's score for each graded row
    paraphrase: ParaphraseGap | None = None  # None: no paraphrase of any of the rows
    fitted_on_it: str = ""  # how the judge's coefficients were fitted, when they saw this dataset's answers

    @property
    def graded(self) -> list[tuple[Row, int]]:
        return [(r, b) for r, b in zip(self.dataset.rows, self.bands, strict=True) if not r.adversarial]

    @property
    def adversarial(self) -> list[tuple[Row, int]]:
        return [(r, b) for r, b in zip(self.dataset.rows, self.bands, strict=True) if r.adversarial]

    def judge_figures(self) -> Figures:
        graded = self.graded
        return figures([r.human for r, _ in graded], [b for _, b in graded], [r.band for r, _ in graded],
                       [b for _, b in graded])

    def baseline_figures(self, name: str) -> Figures:
        return figures([r.human for r, _ in self.graded], self.baselines[name])

    def second_grader_figures(self) -> Figures | None:
        """Where two graders are published: the second against the first, as a ceiling for the judge."""
        pairs = [r.graders for r, _ in self.graded if len(r.graders) == 2]
        if not pairs or len(pairs) != len(self.graded):
            return None
        scale = self.graded[0][0].scale
        first, second = [p[0] for p in pairs], [p[1] for p in pairs]
        return figures(first, second, [human_band(s, scale) for s in first], [human_band(s, scale) for s in second])

    @property
    def adversarial_pass_rate(self) -> float | None:
        adversarial = self.adversarial
        return sum(1 for _, b in adversarial if b <= ADVERSARIAL_PASS) / len(adversarial) if adversarial else None

    @property
    def per_second(self) -> float:
        return len(self.bands) / self.seconds if self.seconds else float("inf")

    @property
    def seconds_per_answer(self) -> float:
        return self.seconds / len(self.bands) if self.bands else 0.0


def reference_text(question: Question) -> str:
    """What a bank question's answer is compared with by the baselines: its areas and key points."""
    return "\n".join([*question.areas, *question.key_points])


def request_for(row: Row, bank: Bank) -> GradeRequest:
    if row.reference is None:
        question = bank.question(row.question_id)
        return GradeRequest(question_text=question.prompt, question=question, answer=row.answer, stage=question.stage)
    return GradeRequest(question_text=row.question_text, reference=row.reference, answer=row.answer)


def sample(rows: list[Row], limit: int | None) -> list[Row]:
    """`limit` rows spread over the whole dataset (a fixed pseudo-random choice), in their own order."""
    if limit is None or limit >= len(rows):
        return rows
    chosen = set(sorted(range(len(rows)), key=lambda i: hashlib.sha256(rows[i].id.encode()).digest())[:limit])
    return [row for i, row in enumerate(rows) if i in chosen]


def evaluate(dataset: Dataset, grader: Grader, bank: Bank, warm_up: bool = True,
             progress: Callable[[int, int], None] | None = None, meaning: Meaning | None = None) -> Evaluation:
    """Grade every row (timed; after one untimed warm-up answer when `warm_up`) and score the baselines."""
    requests = [request_for(row, bank) for row in dataset.rows]
    if warm_up and requests:
        grader.grade(requests[0])
    bands: list[int] = []
    fallbacks, version, fallback_version = 0, "", ""
    start = time.perf_counter()
    grade_many = getattr(grader, "grade_many", None)  # the offline judge grades in batches: a run like `mockmle grade`'s
    grades = grade_many(requests) if grade_many is not None else (grader.grade(r) for r in requests)
    for done, grade in enumerate(grades, start=1):
        bands.append(grade.band)
        if grade.provenance.fallback:
            fallbacks += 1
            fallback_version = fallback_version or grade.provenance.judge_version
        else:
            version = version or grade.provenance.judge_version
        if progress:
            progress(done, len(requests))
    seconds = time.perf_counter() - start
    graded = [(row, request) for row, request in zip(dataset.rows, requests, strict=True) if not row.adversarial]
    references = [_reference(row, request) for row, request in graded]
    corpus = [reference_text(q) for q in bank.questions.values()] if any(r.reference is None for r, _ in graded) else None
    scores = baseline_scores([row.answer for row, _ in graded], references, corpus)
    meant = meaning_scores([row.answer for row, _ in graded], references, meaning)
    if meant is not None:
        scores["meaning"] = meant
    return Evaluation(dataset, grader.name, version or fallback_version, bands, seconds, fallbacks, scores,
                      _paraphrase_gap(dataset, bands, grader, bank), _fitted_on(dataset, grader, bank))


def _fitted_on(dataset: Dataset, grader: Grader, bank: Bank) -> str:
    """The offline judge's reference-answer coefficients are fitted on the outside datasets (tools/fit_reference.py):
    graded with them, those sets are in-sample, and the note says so with the cross-validated figures."""
    combiner = bank.combiner
    if grader.name != "offline" or combiner is None or combiner.reference is None:
        return ""
    return combiner.reference_fitted_on if dataset.name in combiner.reference_datasets else ""


def _paraphrase_gap(dataset: Dataset, bands: list[int], grader: Grader, bank: Bank) -> ParaphraseGap | None:
    """Grade the paraphrases whose original is among the rows (untimed) and compare each with its original."""
    graded = {row.id: (row, band) for row, band in zip(dataset.rows, bands, strict=True)}
    pairs = [(graded[p.of], p) for p in dataset.paraphrases if p.of in graded]
    original_bands, paraphrase_bands, original_recall, paraphrase_recall = [], [], [], []
    for (original, band), paraphrase in pairs:
        request = request_for(paraphrase, bank)
        reference = _reference(paraphrase, request)
        original_bands.append(band)
        paraphrase_bands.append(grader.grade(request).band)
        original_recall.append(keyword_recall(original.answer, reference))
        paraphrase_recall.append(keyword_recall(paraphrase.answer, reference))
    return paraphrase_gap(original_bands, paraphrase_bands, original_recall, paraphrase_recall)


def _reference(row: Row, request: GradeRequest) -> str:
    """The row's own reference answer, or its bank question's key points (a row has one or the other)."""
    if row.reference is not None:
        return row.reference
    assert request.question is not None, "a row without a reference answer names a bank question"
    return reference_text(request.question)
