"""The meaning model's background warm-up: stopped on quit, and honest about a thread it could not stop."""

from __future__ import annotations

import threading

from mockmle.app.services import BackgroundWarmUp, Services
from mockmle.settings import Settings


def test_stop_says_when_the_warm_up_is_still_busy_and_when_it_ended(tmp_path):
    services = Services(Settings(home=tmp_path))
    release, seen_stop = threading.Event(), []

    def busy(stop: threading.Event) -> None:  # like loading the model: deaf to `stop` until it returns
        release.wait(10)
        seen_stop.append(stop.is_set())

    services.warm_meaning = busy  # type: ignore[method-assign]
    warm_up = BackgroundWarmUp(services)
    warm_up.start()
    assert warm_up.stop(timeout=0.2) is False  # the caller then leaves without the interpreter's clean-up
    release.set()
    assert warm_up.stop(timeout=10) is True
    assert seen_stop == [True]


def test_a_warm_up_never_started_stops_at_once(tmp_path):
    assert BackgroundWarmUp(Services(Settings(home=tmp_path))).stop(timeout=0) is True
