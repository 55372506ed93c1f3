"""The parsed bank, kept in the data home so a command starts without parsing and validating every pack again.

The cache holds the validated bank (with its term weights and its texts' terms, which every grade needs) and the
grader vocabulary's entries (core/grading/grader_words.py) as a pickle, under a key made of each pack file's path,
modification time and size, mockmle's and pydantic's versions, and the code and data files of the core modules whose
objects it holds: change any of them and the bank is parsed again. A cache that cannot be read, or
holds anything else, is ignored and rewritten; one that cannot be written is simply not kept. Pickle is safe here
only because the file lives in the candidate's own private data home, beside the database it already trusts.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sys
from pathlib import Path

from mockmle.core.bank import Bank, load_bank, pack_files
from mockmle.core.grading import grader_words

FORMAT = 2  # 2: the grader vocabulary's entries beside the bank
_CORE = Path(__file__).resolve().parent


def cache_key(files: list[Path]) -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{_versions()}\n".encode())
    # the packs by their real paths; the core's modules (some sixty) under the core's real folder, not resolved one
    # by one, which was most of the key's time
    core = sorted(p for p in _CORE.rglob("*") if p.suffix in (".py", ".toml"))  # .toml: the grader vocabulary
    for path, named in [*((p, p.resolve()) for p in files), *((p, p) for p in core)]:
        info = path.stat()
        digest.update(f"{named}\0{info.st_mtime_ns}\0{info.st_size}\n".encode())
    return digest.hexdigest()


def _versions() -> str:
    import pydantic

    from mockmle import __version__

    return f"mockmle {__version__}, pydantic {pydantic.VERSION}, python {sys.version}"


def load_bank_cached(sources: tuple[Path, ...] | list[Path], cache_dir: Path) -> Bank:
    """`load_bank(*sources)`, from `cache_dir` when the packs have not changed since it was parsed there."""
    files = [path for source in sources for path in pack_files(Path(source))]
    target = cache_dir / "bank.pickle"
    try:
        key = cache_key(files)
    except OSError:  # a pack vanished between listing and stat: let the loader say so
        return load_bank(*sources)
    bank = _read(target, key)
    if bank is not None:
        return bank
    bank = load_bank(*sources)
    # Computed now so the pickle holds them: the weights, and (in the weights' own cache) the terms of the rubric
    # texts every grade reads.
    for question in bank.questions.values():
        for text in (question.prompt, *question.areas, *question.key_points, *question.follow_ups, *question.red_flags):
            bank.weights.terms(text)
    _write(target, key, (bank, grader_words.entries()))
    return bank


def _read(target: Path, key: str) -> Bank | None:
    try:
        data = target.read_bytes()
    except OSError:
        return None
    header, _, body = data.partition(b"\n")
    if header != key.encode():
        return None
    try:
        held = pickle.loads(body)  # our own file, in the private data home: see the module's note
    except Exception:  # noqa: BLE001  (truncated, from another version, damaged: any failure means parse again)
        return None
    if not (isinstance(held, tuple) and len(held) == 2 and isinstance(held[0], Bank) and isinstance(held[1], dict)):
        return None
    bank, entries = held
    grader_words.use_entries(entries)
    return bank


def _write(target: Path, key: str, held: tuple[Bank, grader_words.Entries]) -> None:
    from mockmle.files import private_dir, write_private

    with contextlib.suppress(OSError, pickle.PicklingError):
        private_dir(target.parent)
        write_private(target, key.encode() + b"\n" + pickle.dumps(held, protocol=pickle.HIGHEST_PROTOCOL))
