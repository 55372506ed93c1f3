"""One cap type for every judge: a finding that limits the band, and the ledger that applies them.

A cap says what found something (`source`: a rule check, the evidence check, topicality...),
what it found (`detail`), and the highest band the answer keeps (`ceiling`, from
rubrics/grading.toml). Which caps also bind a model's band is `model_band.py`'s decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cap:
    ceiling: int
    source: str  # what caps: 'rule check "mentions-tests"', "said the wrong way round", "topicality", ...
    detail: str  # what it found, in plain words
    advice: str = ""  # the improvement line when this cap decides the band; default: the reason

    @property
    def reason(self) -> str:
        return f"{self.source}: {self.detail}" if self.source else self.detail


@dataclass
class CapLedger:
    """Applies caps to a band in order, writing each into the explanation."""

    band: int
    explanation: list[str]
    applied: list[Cap] = field(default_factory=list)

    def apply(self, cap: Cap) -> None:
        self.applied.append(cap)
        if self.band > cap.ceiling:
            self.band = cap.ceiling
            self.explanation.append(f"capped at {cap.ceiling}: {cap.reason}")
        else:
            self.explanation.append(f"{cap.reason} (already at or below {cap.ceiling})")

    @property
    def first_reason(self) -> str | None:
        return (self.applied[0].advice or self.applied[0].reason) if self.applied else None
