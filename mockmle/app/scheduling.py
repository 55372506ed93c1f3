"""Fitting the candidate's own FSRS parameters (`mockmle progress --fit`).

FSRS's default parameters were fitted to the open-spaced-repetition benchmark's collections and already work for a
new user; once enough of the candidate's own answers are stored, the package's optimizer fits parameters to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockmle.core.clock import utc_now
from mockmle.core.progress import FIT_MIN_REVIEWS, fit_parameters, fit_reviews
from mockmle.errors import UsageError

if TYPE_CHECKING:
    from mockmle.store.progress import ProgressStore


def fit_schedule(store: ProgressStore) -> int:
    """Fit, keep and reschedule with the candidate's own parameters; return how many reviews the fit learnt from.

    Raises UsageError, changing nothing, when there are too few reviews or the optimizer (`fsrs[optimizer]`, which
    brings PyTorch) is not installed.
    """
    histories = store.histories()
    reviews = fit_reviews(histories)
    if reviews < FIT_MIN_REVIEWS:
        raise UsageError(f"fitting needs {FIT_MIN_REVIEWS} answers given a day or more after the same question's or "
                         f"area's previous one; you have {reviews}, so FSRS's default parameters stay")
    parameters = fit_parameters(histories)
    with store.db.atomic():
        store.save_parameters(parameters, reviews, utc_now())
    return reviews
