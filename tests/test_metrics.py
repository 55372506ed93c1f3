"""The calibration metrics against hand-worked values."""

import pytest

from mockmle.core.grading.metrics import agreement, quadratic_weighted_kappa, spearman


def test_spearman_perfect_inverse_and_ties():
    assert spearman([0, 1, 2, 3], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([0, 1, 2, 3], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # ties share their average rank: ranks x = 1.5,1.5,3,4 ; y = 1,2,3,4
    assert spearman([1, 1, 2, 3], [1, 2, 3, 4]) == pytest.approx(0.9486833, rel=1e-6)


def test_qwk_identical_opposite_and_known_value():
    assert quadratic_weighted_kappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 4]) == pytest.approx(1.0)
    assert quadratic_weighted_kappa([0, 4], [4, 0]) < 0
    # by hand: one (0,1) disagreement weighs 1/16; chance expects 1.5 (0,1) + 0.5 (1,0), i.e. 2/16 -> 1 - 1/2
    assert quadratic_weighted_kappa([0, 0, 1, 1], [0, 1, 1, 1]) == pytest.approx(0.5, abs=1e-9)


def test_agreement_exact_and_within_one():
    assert agreement([0, 1, 2, 3], [0, 2, 2, 1]) == 0.5
    assert agreement([0, 1, 2, 3], [0, 2, 2, 1], within=1) == 0.75
