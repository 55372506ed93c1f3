"""Grading quality must not fall: floors just under what the offline judge measured.

Measured with `make bench` (see the README): Spearman 0.896, QWK 0.892, exact 63.1%,
within one 98.8%, every adversarial answer at or below band 1.
"""

from pathlib import Path

import pytest

from mockmle.calibration import calibrate, load_items
from mockmle.core.grading.offline import OfflineGrader

DATA = Path(__file__).parent / "data" / "calibration.jsonl"


@pytest.fixture(scope="module")
def result(bank):
    return calibrate(bank, OfflineGrader(bank), load_items(DATA))


def test_calibration_set_is_complete(bank):
    items = load_items(DATA)
    graded = [i for i in items if i.kind == "graded"]
    stages = {bank.question(i.question_id).stage for i in graded}
    assert stages == set(bank.stages)
    questions = {i.question_id for i in graded}
    assert len(questions) >= 12
    for question_id in questions:
        assert {i.band for i in graded if i.question_id == question_id} >= {0, 1, 2, 3, 4}, question_id
    assert sum(1 for i in items if i.kind == "adversarial") >= 15


def test_rank_agreement_floor(result):
    assert result.spearman >= 0.88
    assert result.qwk >= 0.87


def test_band_agreement_floor(result):
    assert result.exact >= 0.58
    assert result.within_one >= 0.95


def test_every_adversarial_answer_scores_at_most_one(result):
    over = [(item.id, item.note, band) for item, band in result.adversarial if band > 1]
    assert over == []
