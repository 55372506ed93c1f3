"""The core's `Meaning` protocol answered with sentence embeddings: cosine similarity of targets to clauses.

Fixed texts (rubric areas and key points) can be embedded ahead of time with `prepare`, which reads and writes the
on-disk cache; anything else is embedded when first asked for and remembered for the rest of the process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mockmle.semantic.cache import EmbeddingCache
from mockmle.semantic.encoder import DIMENSION, Encoder

if TYPE_CHECKING:
    import numpy as np

# Vectors remembered in memory (rubric texts and recent answer clauses), about 1.5 KB each.
_MEMORY_LIMIT = 20_000


class SemanticMeaning:
    def __init__(self, encoder: Encoder | None = None, cache_dir: Path | None = None):
        self.encoder = encoder or Encoder()
        self.label = self.encoder.label
        self._cache_dir = cache_dir
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Load the model and run it once (e.g. on a background thread at start-up); SemanticUnavailable if not."""
        self.encoder.encode(["warm up"])

    def prepare(self, name: str, texts: Sequence[str]) -> None:
        """Embed a fixed list (e.g. every area and key point of the bank), from the cache when it is current."""
        texts = list(dict.fromkeys(texts))
        if self._cache_dir is None:
            vectors = self.encoder.encode(texts)
        else:
            cache = EmbeddingCache(self._cache_dir, self.encoder.identity())
            vectors = cache.embeddings(name, texts, self.encoder.encode)
        self._remember(texts, vectors)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (rows in the given order), embedding only the texts not seen before."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        found = {t: v for t in dict.fromkeys(texts) if (v := self._vectors.get(t)) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            fresh = self.encoder.encode(missing)
            self._remember(missing, fresh)
            found.update(zip(missing, fresh))
        return np.stack([found[t] for t in texts])

    def similarities(self, targets: Sequence[str], clauses: Sequence[str]) -> list[list[float]]:
        if not targets or not clauses:
            return [[] for _ in targets]
        matrix = self.vectors(targets) @ self.vectors(clauses).T
        return [[float(value) for value in row] for row in matrix.clip(-1.0, 1.0)]

    def _remember(self, texts: list[str], vectors: np.ndarray) -> None:
        with self._lock:
            if len(self._vectors) + len(texts) > _MEMORY_LIMIT:
                self._vectors.clear()  # rare; everything is recomputed or re-read from the cache on demand
            self._vectors.update(zip(texts, vectors))


def meaning_for(settings) -> SemanticMeaning:
    """The app's meaning model, caching rubric vectors under the data home (`<home>/cache/semantic`). Nothing is
    loaded until first use."""
    return SemanticMeaning(cache_dir=settings.cache_dir / "semantic")
