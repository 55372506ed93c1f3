"""From evidence to a band: one linear combination of coverage features, with coefficients fitted on labelled
answers (tools/fit_combiner.py writes rubrics/combiner.toml), not thresholds tuned by eye.

The features are shares in [0, 1] of what the answer covers, weighted as the judge weights areas and key points:
- `words`: targets covered in the rubric's own words (lexical evidence, core/coverage.py);
- `meaning`: targets said in any words (each target's best clause by sentence-embedding similarity, scaled
  between `similarity_floor`, which earns nothing, and `similarity_full`, which earns it all);
- `both`: per target, the better of the two;
- `aligned` (reference-answer mode only): the reference said word by word in any words, a soft keyword recall
  (`Meaning.word_recall`: each of the reference's content words meets its closest word of the answer, each read in
  context), the question's own words left out on both sides (repeating the question earns nothing). Not a share:
  a raw mean cosine, which is why the `reference` coefficients carry an intercept.
Behavioural answers mix each share with the strength of the story told (see offline.py). The score is
`intercept + sum(coefficient x feature)`; the band is how many of the `cuts` the score reaches. Caps (rule checks,
misconceptions, topicality) apply afterwards and are never overruled by a high score.

Confidence is low when the score lies within `low_margin` of a cut (as a share of the distance between cuts), or
when the words and the meaning disagree by more than `disagreement`. The answer's length never moves the band; a very
short answer given a high band is only marked unsure.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator

FEATURES = ("words", "meaning", "both", "aligned")
SHORT_FOR_A_HIGH_BAND = 25  # words: a band 3-4 answer shorter than this is marked unsure, never lowered


class _Data(BaseModel):
    # defer_build: built when first validated (parsing a pack); a cached bank is only unpickled
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Coefficients(_Data):
    intercept: float
    weights: dict[str, float]
    cuts: list[float] = Field(min_length=4, max_length=4, description="Scores at which bands 1, 2, 3 and 4 begin.")

    @field_validator("weights")
    @classmethod
    def _known(cls, weights: dict[str, float]) -> dict[str, float]:
        unknown = set(weights) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown feature(s) {', '.join(sorted(unknown))} (known: {', '.join(FEATURES)})")
        return weights


class CombinerData(_Data):
    version: str
    fitted_on: str = ""
    similarity_floor: float = Field(ge=-1, le=1)
    similarity_full: float = Field(ge=-1, le=1)
    quote_floor: float = Field(0.0, ge=-1, le=1, description="The similarity a clause needs to be shown as a quote for a "
                               "target only the meaning shows: one unrelated answers rarely reach (their 95th percentile).")
    low_margin: float = Field(0.15, ge=0)
    disagreement: float = Field(0.35, ge=0, le=1)
    with_meaning: Coefficients = Field(description="When the meaning model is available.")
    words_only: Coefficients = Field(description="When it is not: lexical evidence alone.")
    reference: Coefficients | None = Field(None, description="Reference-answer mode (a question outside the bank "
                                           "graded against a reference answer) when the meaning model is available.")
    reference_fitted_on: str = ""
    reference_datasets: list[str] = Field(default_factory=list, description="The labelled datasets the reference "
                                          "coefficients were fitted on: graded with them, those are in sample.")
    aligned_floor: float = Field(0.0, ge=-1, le=1, description="Reference-answer mode: an answer that covers no "
                                 "sentence of the reference earns band 0 only if its word-by-word match is below this.")


@dataclass(frozen=True)
class Evidence:
    words: float
    meaning: float | None  # None: no meaning model
    both: float
    aligned: float | None = None  # None: not reference-answer mode, or no meaning model

    def values(self) -> dict[str, float]:
        return {"words": self.words, "meaning": self.meaning or 0.0, "both": self.both, "aligned": self.aligned or 0.0}


@dataclass(frozen=True)
class Verdict:
    band: int
    score: float
    unsure: str  # why the band is uncertain, in plain words; "" when it is not


def meaning_credit(similarity: float, data: CombinerData) -> float:
    """A target's credit from its best clause's similarity: 0 at the floor or below, 1 at `similarity_full`."""
    span = data.similarity_full - data.similarity_floor
    return min(1.0, max(0.0, (similarity - data.similarity_floor) / span)) if span > 0 else float(similarity >= data.similarity_full)


def coefficients_for(evidence: Evidence, data: CombinerData) -> Coefficients:
    if evidence.aligned is not None and data.reference is not None:
        return data.reference
    return data.with_meaning if evidence.meaning is not None else data.words_only


def covers_nothing(evidence: Evidence, data: CombinerData) -> bool:
    """No target reached by words or meaning; in reference-answer mode, also too little of the reference said word
    by word (graders give partial credit to an answer that says part of a long reference sentence in other words)."""
    return evidence.both <= 0 and (evidence.aligned is None or evidence.aligned < data.aligned_floor)


NO_SENTENCE_CEILING = 1  # reference-answer mode: close words but no sentence of the reference said


def band_and_score(evidence: Evidence, data: CombinerData) -> tuple[int, float]:
    """The band the coefficients give, before any cap from the rule checks. Nothing covered earns 0, whatever the
    intercept; in reference-answer mode an answer whose words come close to the reference's but that says none of
    its sentences earns at most 1 (an answer about something else shares some vocabulary with most references)."""
    coefficients = coefficients_for(evidence, data)
    values = evidence.values()
    score = coefficients.intercept + sum(weight * values[name] for name, weight in coefficients.weights.items())
    band = sum(score >= cut for cut in coefficients.cuts)
    if covers_nothing(evidence, data):
        band = 0
    elif evidence.both <= 0:
        band = min(band, NO_SENTENCE_CEILING)
    return band, score


def combine(evidence: Evidence, data: CombinerData, answer_words: int) -> Verdict:
    band, score = band_and_score(evidence, data)
    cuts = coefficients_for(evidence, data).cuts
    reasons = []
    nearest = min(cuts, key=lambda cut: abs(score - cut))
    if abs(score - nearest) < data.low_margin * (cuts[-1] - cuts[0]) / 3 and band > 0:
        below = cuts.index(nearest)
        reasons.append(f"close to the line between band {below} and band {below + 1}")
    if evidence.meaning is not None and abs(evidence.words - evidence.meaning) > data.disagreement:
        reasons.append(f"the words cover {evidence.words:.0%} of what was asked but the meaning {evidence.meaning:.0%}")
    if band >= 3 and answer_words < SHORT_FOR_A_HIGH_BAND:
        reasons.append(f"a high band for a short answer ({answer_words} words)")
    return Verdict(band=band, score=score, unsure="; ".join(reasons))
