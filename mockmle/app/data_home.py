"""The candidate's data as a whole: what a wipe would delete, and the wipe itself (mockmle data wipe)."""

from __future__ import annotations

from mockmle.app.services import Services


def describe_data(services: Services) -> str:
    """"3 sessions (12 answers) and 2 exported files": what a wipe deletes."""
    from mockmle.store.wipe import describe

    return describe(services.store.db, services.settings)


def wipe_data(services: Services) -> None:
    """Every session, grade, progress row, model-call log, export and report; config.toml and caches are kept."""
    from mockmle.store.wipe import wipe

    wipe(services.store.db, services.settings)
