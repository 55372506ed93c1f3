"""The core's `Meaning` protocol answered with sentence embeddings: cosine similarity of targets to clauses.

Fixed texts (rubric areas and key points) can be embedded ahead of time with `prepare`, which reads and writes the
on-disk cache; anything else is embedded when first asked for and remembered for the rest of the process.

An answer's clauses (`clauses_of` in the core: each sentence, then its parts) are read in one model pass per
sentence: a clause found inside another of the same answer's clauses takes the mean of that text's word pieces over
its characters (`Encoder.encode_spans`) instead of a run of its own, which halves the words the model reads. Which
text a clause is read from depends only on the clauses asked about together, never on what is already remembered,
and a span's vector is remembered under (text, start, end), never under the clause's own words, which name its
standalone vector: the same answer always gets the same numbers, whatever was graded before. (onnxruntime gives a
text bit-identical hidden states whatever else shares its batch; tests/test_semantic_spans.py holds it to that, so
`prefetch`'s shared batches change no number either.) On the calibration set the 'meaning' baseline ranks answers
no worse this way: Spearman 0.823 against 0.813 with every clause read alone (`tools/bench_semantic.py --quality`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from mockmle.core.grading.semantic_cover import clauses_of
from mockmle.core.text import content_words
from mockmle.semantic.cache import EmbeddingCache
from mockmle.semantic.encoder import DIMENSION, Encoder

if TYPE_CHECKING:
    import numpy as np

# Vectors remembered in memory (rubric texts and recent answer clauses), about 1.5 KB each.
_MEMORY_LIMIT = 20_000
# `prefetch` takes groups until it would add this many vectors, so they are still remembered when asked for.
_PREFETCH_LIMIT = _MEMORY_LIMIT // 2

# A text read on its own, or a clause read inside another text: (that text, start, end) in characters.
Key = str | tuple[str, int, int]


def outermost(clauses: Sequence[str]) -> list[str]:
    """The distinct clauses contained in no other (the sentences, for `clauses_of`), blank ones left out."""
    distinct = list(dict.fromkeys(clauses))
    return [text for text in distinct if text.strip() and not any(text != other and text in other for other in distinct)]


def reading_plan(clauses: Sequence[str]) -> dict[str, Key]:
    """How each distinct clause is read: on its own, or as a span of the first clause that contains it and is
    itself contained in no other (a sentence, for `clauses_of`'s parts). Blank clauses are read on their own."""
    distinct = list(dict.fromkeys(clauses))
    outer = outermost(distinct)
    plan: dict[str, Key] = {}
    for text in distinct:
        parent = next((o for o in outer if text != o and text in o), None) if text.strip() else None
        if parent is None:
            plan[text] = text
        else:
            start = parent.index(text)
            plan[text] = (parent, start, start + len(text))
    return plan


class SemanticMeaning:
    def __init__(self, encoder: Encoder | None = None, cache_dir: Path | None = None, spans: bool = True):
        """`spans=False` reads every clause on its own (a model run per clause, as before span pooling)."""
        self.encoder = encoder or Encoder()
        self.label = self.encoder.label
        self.spans = spans
        self._cache_dir = cache_dir
        self._memory: OrderedDict[Key, np.ndarray] = OrderedDict()  # least recently used first
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Load the model and run it once (e.g. on a background thread at start-up); SemanticUnavailable if not."""
        self.encoder.encode(["warm up"])

    def prepare(self, name: str, texts: Sequence[str], stop: threading.Event | None = None) -> bool:
        """Embed a fixed list (e.g. every area and key point of the bank), from the cache when it is current.

        With `stop`, the texts are embedded a batch at a time and the work ends early (returning False, nothing
        cached) once it is set: a thread doing this must not be inside the model when the process exits."""
        texts = list(dict.fromkeys(texts))

        def encode(chosen: list[str]) -> np.ndarray:
            if stop is None:
                return self.encoder.encode(chosen)
            import numpy as np

            parts = []
            for start in range(0, len(chosen), self.encoder.batch_size):
                if stop.is_set():
                    raise _Stopped
                parts.append(self.encoder.encode(chosen[start:start + self.encoder.batch_size]))
            return np.concatenate(parts) if parts else self.encoder.encode([])

        try:
            if self._cache_dir is None:
                vectors = encode(texts)
            else:
                cache = EmbeddingCache(self._cache_dir, self.encoder.identity())
                vectors = cache.embeddings(name, texts, encode)
        except _Stopped:
            return False
        remembered: dict[Key, np.ndarray] = {}
        remembered.update(zip(texts, vectors, strict=True))
        self._remember(remembered)
        return True

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text, each read on its own (rows in the given order), embedding only the texts not
        seen before. Targets go through here, so a prepared rubric vector is always the one used."""
        return self._rows(list(texts))

    def clause_vectors(self, clauses: Sequence[str]) -> np.ndarray:
        """One unit vector per clause of one answer (rows in the given order), read as `reading_plan` says."""
        plan = self._plan(clauses)
        return self._rows([plan[clause] for clause in clauses])

    def similarities(self, targets: Sequence[str], clauses: Sequence[str]) -> list[list[float]]:
        if not targets or not clauses:
            return [[] for _ in targets]
        matrix = self.vectors(targets) @ self.clause_vectors(clauses).T
        return [[float(value) for value in row] for row in matrix.clip(-1.0, 1.0)]

    def word_recall(self, targets: Sequence[str], text: str, leave_out: Collection[str] = ()) -> list[float]:
        """See the core's `Meaning.word_recall`. A target's words are read in the target, the text's in its sentence,
        in one model call that also reads the text's clauses: `similarities(targets, clauses_of(text))` after this
        runs the model no more."""
        import numpy as np

        clauses = clauses_of(text)
        answer = _word_keys(outermost(clauses), leave_out)
        if not answer:
            return [0.0 for _ in targets]
        per_target = [_word_keys([target], leave_out) for target in targets]
        words = [key for keys in per_target for key in keys]
        rows = self._rows([*words, *answer, *self._plan(clauses).values()])
        answer_vectors = rows[len(words):len(words) + len(answer)]
        recalls, start = [], 0
        for keys in per_target:
            matrix = rows[start:start + len(keys)] @ answer_vectors.T
            recalls.append(float(np.clip(matrix, -1.0, 1.0).max(axis=1).mean()) if keys else 0.0)
            start += len(keys)
        return recalls

    def prefetch(self, groups: Sequence[Sequence[str]], words: bool = False) -> int:
        """Embed the clauses of many answers (one group per answer, as `clauses_of` gives them) in shared batches,
        so that `similarities(targets, group)` then embeds nothing. Returns how many groups, from the first, are
        ready: all of them unless they need more than `_PREFETCH_LIMIT` new vectors (always at least one), in which
        case the caller grades those and prefetches the rest. Each group's vectors are exactly those
        `similarities` would compute for it alone. With `words`, each group's words are read too, for `word_recall`."""
        wanted: dict[Key, None] = {}
        ready = 0
        with self._lock:
            known = set(self._memory)
        for group in groups:
            keys = [*self._plan(group).values(), *(_word_keys(outermost(group), ()) if words else ())]
            new = [key for key in keys if key not in known and key not in wanted]
            if ready and len(wanted) + len(new) > _PREFETCH_LIMIT:
                break
            wanted.update(dict.fromkeys(new))
            ready += 1
        if wanted:
            self._remember(self._compute(list(wanted)))
        return ready

    def _plan(self, clauses: Sequence[str]) -> dict[str, Key]:
        return reading_plan(clauses) if self.spans else {clause: clause for clause in clauses}

    def _rows(self, keys: Sequence[Key]) -> np.ndarray:
        import numpy as np

        if not keys:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        found = self._recall(keys)
        missing = [key for key in dict.fromkeys(keys) if key not in found]
        if missing:
            fresh = self._compute(missing)
            self._remember(fresh)
            found.update(fresh)
        return np.stack([found[key] for key in keys])

    def _compute(self, keys: Sequence[Key]) -> dict[Key, np.ndarray]:
        """Each key's vector from one encoder call: a span's text is run once for all its spans (and gives its own
        vector too, which is the same as reading it alone)."""
        texts = list(dict.fromkeys(key if isinstance(key, str) else key[0] for key in keys))
        index = {text: i for i, text in enumerate(texts)}
        spans = [key for key in keys if not isinstance(key, str)]
        whole, pooled = self.encoder.encode_spans(texts, [(index[text], start, end) for text, start, end in spans])
        vectors: dict[Key, np.ndarray] = {}
        vectors.update(zip(texts, whole, strict=True))
        vectors.update(zip(spans, pooled, strict=True))
        return vectors

    def _recall(self, keys: Sequence[Key]) -> dict[Key, np.ndarray]:
        found: dict[Key, np.ndarray] = {}
        with self._lock:
            for key in dict.fromkeys(keys):
                vector = self._memory.get(key)
                if vector is not None:
                    self._memory.move_to_end(key)
                    found[key] = vector
        return found

    def _remember(self, vectors: dict[Key, np.ndarray]) -> None:
        with self._lock:
            self._memory.update(vectors)
            for key in vectors:
                self._memory.move_to_end(key)
            while len(self._memory) > _MEMORY_LIMIT:  # the least recently used go first
                self._memory.popitem(last=False)


def _word_keys(texts: Sequence[str], leave_out: Collection[str]) -> list[Key]:
    """Each content word of the texts as a span of its text, those whose stem is in `leave_out` left out unless
    that would leave none."""
    found = [(text, stem, start, end) for text in texts for stem, start, end in content_words(text)]
    kept = [word for word in found if word[1] not in leave_out] or found
    return [(text, start, end) for text, _, start, end in kept]


def meaning_for(settings) -> SemanticMeaning:
    """The app's meaning model, caching rubric vectors under the data home (`<home>/cache/semantic`). Nothing is
    loaded until first use; every one shares the process's encoder, so the model is loaded once per process."""
    return SemanticMeaning(encoder=shared_encoder(), cache_dir=settings.cache_dir / "semantic")


class _Stopped(Exception):
    """Raised inside `prepare` when its stop event is set."""


@lru_cache(maxsize=1)
def shared_encoder() -> Encoder:
    """One encoder per process: the loaded model is read-only and thread-safe, and costs 250 MiB and half a second
    to load."""
    return Encoder()
