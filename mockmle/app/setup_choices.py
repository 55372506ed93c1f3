"""The Setup screen's last choices (stage, length, time, follow-ups, judge), kept in the data home.

A small JSON file: a missing, unreadable or hand-broken file gives the defaults, a field of the wrong
type gives that field's default, and a failed write is not an error (the next Setup shows defaults).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from mockmle.files import private_dir, write_private

FILE_NAME = "setup.json"


@dataclass(frozen=True)
class SetupChoices:
    stage: str | None = None  # None: the bank's first stage
    count: int = 5
    seconds: int = 180  # 0: no time limit
    follow_ups: int = 1
    judge: str | None = None  # None: the settings' judge


def choices_path(home: Path) -> Path:
    return home / FILE_NAME


def load_choices(home: Path) -> SetupChoices:
    try:
        raw = json.loads(choices_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return SetupChoices()
    if not isinstance(raw, dict):
        return SetupChoices()
    defaults = SetupChoices()
    kept: dict[str, Any] = {}  # each value checked against its field's type below
    for f in fields(SetupChoices):
        value, default = raw.get(f.name), getattr(defaults, f.name)
        wanted = type(default) if default is not None else str
        # bool is an int to isinstance; true is not a question count
        kept[f.name] = value if isinstance(value, wanted) and not isinstance(value, bool) else default
    return SetupChoices(**kept)


def save_choices(home: Path, choices: SetupChoices) -> bool:
    """Write the choices (whole or not at all); False when the data home cannot be written."""
    path = choices_path(home)
    try:
        write_private(private_dir(path.parent) / path.name, json.dumps(asdict(choices), indent=2) + "\n")
    except OSError:
        return False
    return True
