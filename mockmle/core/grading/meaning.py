"""How the judge asks "does this clause mean the same as that key point?" without knowing how it is answered.

The answer comes from a sentence-embedding model in `mockmle.semantic`; the core only sees this protocol, so it
never imports numpy or onnxruntime and runs unchanged (lexically) when no model is available.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from mockmle.errors import MockmleError


class MeaningUnavailable(MockmleError):
    """The meaning model cannot be used here; `line` says why in one line. The judge falls back to words."""


class Meaning(Protocol):
    """An implementation may also offer `prefetch(groups: Sequence[Sequence[str]], words: bool) -> int`: embed many
    answers' clause lists (and with `words`, their words for `word_recall`) in shared batches ahead of `similarities`,
    returning how many groups (from the first) are ready.
    The offline judge uses it when grading in bulk (`OfflineGrader.grade_many`)."""

    #: Short name for a grade's provenance, e.g. "all-MiniLM-L6-v2 int8".
    label: str

    def similarities(self, targets: Sequence[str], clauses: Sequence[str]) -> list[list[float]]:
        """Cosine similarity of every target (rows) to every clause (columns), as plain floats in [-1, 1].

        Raises MeaningUnavailable when the model cannot be loaded.
        """
        ...

    def word_recall(self, targets: Sequence[str], text: str, leave_out: Collection[str] = ()) -> list[float]:
        """For each target, how much of it `text` says word by word: the mean, over the target's content words, of
        the best cosine any content word of `text` reaches, each word read in its own sentence's context (a soft
        keyword recall: "resampled" meets "bootstrap"). Words whose stem is in `leave_out` (the question's) count on
        neither side, unless that leaves a side with none. 0.0 for a target or text without content words.

        Raises MeaningUnavailable when the model cannot be loaded.
        """
        ...
