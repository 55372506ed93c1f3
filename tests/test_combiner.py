"""The fitted combiner: evidence to band, confidence, and its data file."""

import pytest
from pydantic import ValidationError

from mockmle.core.bank import load_bank
from mockmle.core.grading.combiner import Coefficients, CombinerData, Evidence, combine, meaning_credit
from mockmle.resources import data_dir

LINEAR = Coefficients(intercept=0.0, weights={"both": 4.0}, cuts=[0.5, 1.5, 2.5, 3.5])
DATA = CombinerData(version="test-1", similarity_floor=0.3, similarity_full=0.7, with_meaning=LINEAR,
                    words_only=Coefficients(intercept=0.0, weights={"words": 1.0}, cuts=[1e-9, 0.22, 0.42, 0.62]))


def test_the_band_is_how_many_cuts_the_score_reaches():
    assert combine(Evidence(words=0.1, meaning=0.9, both=0.9), DATA, 80).band == 4  # 3.6
    assert combine(Evidence(words=0.1, meaning=0.5, both=0.5), DATA, 80).band == 2  # 2.0
    assert combine(Evidence(words=0.0, meaning=0.0, both=0.0), DATA, 80).band == 0


def test_without_meaning_the_words_only_coefficients_apply():
    verdict = combine(Evidence(words=0.5, meaning=None, both=0.5), DATA, 80)
    assert verdict.band == 3 and verdict.unsure == ""


def test_nothing_covered_is_band_zero_whatever_the_intercept():
    lifted = DATA.model_copy(update={"with_meaning": LINEAR.model_copy(update={"intercept": 1.0})})
    assert combine(Evidence(words=0.0, meaning=0.0, both=0.0), lifted, 80).band == 0
    assert combine(Evidence(words=0.0, meaning=0.05, both=0.05), lifted, 80).band == 1


def test_unsure_near_a_cut_when_words_and_meaning_disagree_or_a_short_answer_scores_high():
    assert "between band 2 and band 3" in combine(Evidence(words=0.6, meaning=0.62, both=0.62), DATA, 80).unsure
    assert combine(Evidence(words=0.5, meaning=0.5, both=0.5), DATA, 80).unsure == ""
    disagree = combine(Evidence(words=0.05, meaning=0.5, both=0.5), DATA, 80)
    assert "words cover 5%" in disagree.unsure and disagree.band == 2
    short = combine(Evidence(words=0.9, meaning=0.9, both=0.9), DATA, 12)
    assert short.band == 4 and "short answer (12 words)" in short.unsure  # length lowers confidence, never the band


def test_meaning_credit_runs_from_floor_to_full():
    assert meaning_credit(0.3, DATA) == 0.0
    assert meaning_credit(0.5, DATA) == pytest.approx(0.5)
    assert meaning_credit(0.95, DATA) == 1.0


def test_unknown_features_are_refused():
    with pytest.raises(ValidationError, match="unknown feature"):
        Coefficients(intercept=0, weights={"length": 1.0}, cuts=[0.5, 1.5, 2.5, 3.5])


def test_the_shipped_rubrics_carry_fitted_coefficients():
    bank = load_bank(data_dir("rubrics"))
    assert bank.combiner is not None and bank.combiner.version
    assert "dev split" in bank.combiner.fitted_on
    assert 0 <= bank.combiner.similarity_floor < bank.combiner.similarity_full <= 1
