"""Meaning on the CPU: a small sentence-embedding model (all-MiniLM-L6-v2, int8 ONNX) for the offline judge.

`encoder.Encoder` turns texts into unit vectors with onnxruntime and tokenizers, `cache.EmbeddingCache` keeps the
vectors of fixed texts (rubric areas and key points) in the data home, and `meaning.SemanticMeaning` answers the
core's `Meaning` protocol with both. Nothing here is imported by `mockmle.core`; numpy and onnxruntime load only
when this package is used, and the model itself only on first use.
"""

from __future__ import annotations

from mockmle.core.grading.meaning import MeaningUnavailable


class SemanticUnavailable(MeaningUnavailable):
    """The embedding model cannot be loaded or run here; `line` says why, in one line."""
