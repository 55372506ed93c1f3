"""The grading rules' numbers, as named data: rubrics/grading.toml, read into `GradingRules`.

Every ceiling a cap can impose and every threshold the judges compare against lives here, so a
change of policy is a change of data with a name, not a constant hidden in a judge. The defaults
are the values the shipped rubrics set; a user's own rubric folder without a [grading] table
grades exactly like the shipped one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Rules(BaseModel):
    # defer_build: built when first validated (parsing a pack); a cached bank is only unpickled
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Ceilings(_Rules):
    """The highest band an answer can keep once each kind of finding is made."""

    echo: int = Field(0, ge=0, le=4, description="The answer mostly repeats the question.")
    nothing_said: int = Field(0, ge=0, le=4, description="Covers nothing and says it does not know, or only instructs the grader.")
    grader_instructions: int = Field(1, ge=0, le=4, description="Text addressed to the grader, for any judge.")
    off_topic: int = Field(1, ge=0, le=4, description="It answers another question of the bank far better than this one.")
    keyword_salad: int = Field(1, ge=0, le=4)
    buzzwords: int = Field(1, ge=0, le=4)
    hedging: int = Field(1, ge=0, le=4)
    rambling: int = Field(1, ge=0, le=4)
    no_example: int = Field(1, ge=0, le=4, description="A behavioural question answered without a concrete example.")
    we_not_i: int = Field(2, ge=0, le=4)
    star_proportion: int = Field(2, ge=0, le=4)
    quotes_not_found: int = Field(2, ge=0, le=4, description="More than half the model's quotes are not in the answer.")
    no_quote_found: int = Field(1, ge=0, le=4, description="None of the model's quotes is in the answer.")
    unquoted_top_band: int = Field(2, ge=0, le=4, description="The model gives 3 or 4 and quotes nothing.")
    one_quote_for_most: int = Field(2, ge=0, le=4, description="One passage is the model's evidence for most items.")
    unrelated_quotes: int = Field(2, ge=0, le=4, description="Most of the model's quotes share nothing with the question.")


class GradingRules(_Rules):
    nothing_covered: float = Field(0.05, ge=0, le=1, description="Coverage below this is 'covers nothing asked'.")
    bands: list[tuple[float, int]] = Field(
        default_factory=lambda: [(0.62, 4), (0.42, 3), (0.22, 2)],
        description="Offline judge: (coverage at least, band), highest first; anything above 0 is band 1.")
    min_quote_words: int = Field(3, ge=1, description="A model quote shorter than this counts as partly at most.")
    quote_reuse: int = Field(2, ge=1, description="Items one passage may show before it counts as partly for the rest.")
    disagreement: int = Field(2, ge=1, le=4, description="Bands apart before the offline judge's view is shown beside the model's.")
    ceilings: Ceilings = Field(default_factory=Ceilings)
