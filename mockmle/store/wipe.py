"""`mockmle data wipe`: every session, grade, progress row, model-call log, export, report and card deck.

The settings file (config.toml) and the token cache are not the candidate's data and are kept.
"""

from __future__ import annotations

import shutil

import sqlite_utils

from mockmle.settings import Settings

TABLES = ("drafts", "llm_calls", "attempts", "spoken_answers", "progress_events", "progress_days",
          "progress_item_questions", "progress_items", "progress_parameters", "grades", "exchanges", "turns", "sessions")


def _files(settings: Settings) -> list:
    folders = (settings.transcripts_dir, settings.reports_dir, settings.cards_dir, settings.recordings_dir)
    return [f for folder in folders if folder.is_dir() for f in folder.rglob("*") if f.is_file()]


def describe(db: sqlite_utils.Database, settings: Settings) -> str:
    sessions = db.execute("select count(*) from sessions").fetchone()[0]
    answers = db.execute("select count(*) from exchanges where answer is not null").fetchone()[0]
    files = len(_files(settings))
    return (f"{sessions} session{'s' if sessions != 1 else ''} ({answers} answer{'s' if answers != 1 else ''}) "
            f"and {files} exported file{'s' if files != 1 else ''}")


def wipe(db: sqlite_utils.Database, settings: Settings) -> None:
    with db.atomic():
        for table in TABLES:
            db.execute(f"delete from {table}")
    # Deleted rows stay readable in free pages and the write-ahead log until both are rewritten.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for folder in (settings.transcripts_dir, settings.reports_dir, settings.cards_dir, settings.recordings_dir):
        shutil.rmtree(folder, ignore_errors=True)
