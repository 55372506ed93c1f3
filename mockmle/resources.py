"""Where the shipped data folders (rubrics/, prompts/) are, found through importlib.resources.

In a wheel they are packaged as ``mockmle/_data/<name>``; in a source checkout (or an editable
install) they sit beside the package at the top of the repository.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path


def data_dir(name: str) -> Path:
    package = files("mockmle")
    packaged = package / "_data" / name
    if packaged.is_dir():
        with as_file(packaged) as path:
            return Path(path)
    with as_file(package) as path:
        beside = Path(path).parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"mockmle data folder {name!r} is missing from this installation")


def checkout_root() -> Path | None:
    """The repository root when running from a source checkout, else None."""
    with as_file(files("mockmle")) as path:
        root = Path(path).parent
    return root if (root / "pyproject.toml").is_file() and (root / "rubrics").is_dir() else None
