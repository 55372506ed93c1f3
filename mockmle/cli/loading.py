"""Loading a command's modules when the process runs that one command and exits (the console script, `python -m
mockmle`; see `run`).

Python's cyclic garbage collector traverses every live object in its full collections, and the interpreter runs
several of them at exit. After `mockmle grade` has loaded pydantic, the bank's and the grade's models and the judge,
that is some 45,000 objects (pydantic's schemas and typing's caches among them), and the collections while they load
and at exit were about a fifth of the command's time. The modules live until the process exits, so here the
collector pauses while they load and then freezes what exists (`gc.freeze`): it no longer traverses those objects,
neither during the command nor at exit, and the little garbage made while importing is left to the exit. What the
command makes afterwards (the services, a database connection, the grades) is collected and finalised as before.
Called in-process (the tests call `main`), loading leaves the collector alone.
"""

from __future__ import annotations

import gc
from importlib import import_module

_one_command = False


def one_command_process() -> None:
    """This process runs one command and exits (`mockmle.cli.run` says so through `main`)."""
    global _one_command
    _one_command = True


def load_modules(*names: str) -> None:
    """Import the modules a command needs; in a one-command process, freeze what is then alive (see above)."""
    if not _one_command:
        for name in names:
            import_module(name)
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        for name in names:
            import_module(name)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
