"""A command run as its own process loads its modules with the collector paused, then freezes them (cli/loading.py);
called in-process, loading leaves the collector alone."""

import gc

import pytest

from grade_probe import grade_with_probe
from mockmle.cli import loading


@pytest.fixture
def collector():
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    yield frozen
    gc.unfreeze()  # what a test froze goes back to the collector
    if enabled:
        gc.enable()


def test_in_process_loading_leaves_the_collector_alone(collector, monkeypatch):
    monkeypatch.setattr(loading, "_one_command", False)
    loading.load_modules("json")
    assert gc.get_freeze_count() == collector
    assert gc.isenabled()


def test_a_one_command_process_freezes_what_loading_leaves_and_collects_again(collector, monkeypatch):
    monkeypatch.setattr(loading, "_one_command", True)
    loading.load_modules("json")
    assert gc.get_freeze_count() > collector
    assert gc.isenabled()


def test_a_paused_collector_stays_paused(collector, monkeypatch):
    monkeypatch.setattr(loading, "_one_command", True)
    gc.disable()
    loading.load_modules("json")
    assert not gc.isenabled()


def test_a_failed_import_still_restarts_the_collector(collector, monkeypatch):
    monkeypatch.setattr(loading, "_one_command", True)
    with pytest.raises(ModuleNotFoundError):
        loading.load_modules("mockmle.no_such_module")
    assert gc.isenabled()


def test_mockmle_grade_runs_as_one_command(tmp_path):
    """`python -m mockmle grade` goes through `run`: by its exit its modules are frozen, and it grades as in-process."""
    done = grade_with_probe(tmp_path, "import atexit, gc, sys; atexit.register(lambda: print('frozen', "
                                      "gc.get_freeze_count() > 10000, file=sys.stderr))")
    assert done.returncode == 0, done.stderr
    assert "frozen True" in done.stderr
    assert '"question_id": "technical.bias-variance"' in done.stdout
