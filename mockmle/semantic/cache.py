"""Embeddings of fixed texts (the rubrics' areas and key points) kept on disk, so the app does not recompute them
on every start, and usually need not load the model for them at all.

A list of texts is stored as one .npy file named after the list and a hash of the texts and the model's identity:
when a rubric changes or the model is upgraded the name no longer matches and the vectors are recomputed. A file
that cannot be read, or holds the wrong shape or non-finite numbers, is recomputed and overwritten.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mockmle.files import private_dir

if TYPE_CHECKING:
    import numpy as np


class EmbeddingCache:
    def __init__(self, folder: Path, identity: str):
        self.folder = folder
        self.identity = identity

    def path_for(self, name: str, texts: Sequence[str]) -> Path:
        digest = hashlib.sha256(self.identity.encode())
        for text in texts:
            digest.update(b"\x00" + text.encode())  # the separator keeps ["ab", "c"] apart from ["a", "bc"]
        return self.folder / f"{_safe(name)}-{digest.hexdigest()[:20]}.npy"

    def embeddings(self, name: str, texts: Sequence[str], compute: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """The vectors of `texts` (one row each), from disk when this exact list was computed before."""
        path = self.path_for(name, texts)
        cached = _read(path, len(texts))
        if cached is not None:
            return cached
        vectors = compute(list(texts))
        self._write(_safe(name), path, vectors)
        return vectors

    def _write(self, name: str, path: Path, vectors: np.ndarray) -> None:
        import numpy as np

        try:
            private_dir(self.folder)
            # Written beside the target and renamed, so a reader never sees half a file.
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".partial-", suffix=".npy")
            with os.fdopen(handle, "wb") as out:
                np.save(out, vectors, allow_pickle=False)
            os.replace(temporary, path)
        except OSError:
            return  # a read-only or full disk only costs the recomputation next time
        for stale in self.folder.glob(f"{name}-*.npy"):  # names have no '-' of their own (see _safe)
            if stale != path:  # the same list for an older rubric or model
                stale.unlink(missing_ok=True)


def _read(path: Path, rows: int) -> np.ndarray | None:
    import numpy as np

    try:
        vectors = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if (not isinstance(vectors, np.ndarray) or vectors.ndim != 2 or vectors.shape[0] != rows
            or vectors.dtype != np.float32 or not np.isfinite(vectors).all()):
        return None
    return vectors


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.]+", "_", name)[:60] or "texts"
