"""Notices the app gives once in its life, however many grades bring the same news."""

from __future__ import annotations

from textual.app import App

from mockmle.core.grading.models import Grade

_MEANING_TOLD = "_mockmle_meaning_fallback_told"  # a flag on the app itself: its life is the notice's


def meaning_fallback_once(app: App, grade: Grade) -> None:
    """The offline judge could not use its meaning model and matched words only: say so the first time."""
    reason = grade.provenance.meaning_unavailable
    if not reason or getattr(app, _MEANING_TOLD, False):
        return
    setattr(app, _MEANING_TOLD, True)
    app.notify(f"Meaning model unavailable ({reason}): grading by words only. `mockmle doctor` says more.",
               severity="warning", timeout=10, markup=False)
