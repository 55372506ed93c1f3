"""Token counting and context budgets.

Counts are exact with tiktoken for OpenAI's encodings and work with no network: tiktoken's
BPE files ship with mockmle (tokenizers/*.tiktoken.gz, checked against the sha256 tiktoken
expects) and are unpacked into a private cache the first time they are needed. Models that
are not OpenAI's (a local Gemma or Llama) have their own tokenizers; for those the count uses
o200k_base and is labelled approximate. tiktoken is imported only when something is counted.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

EXPECTED_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}
_SOURCE_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
DEFAULT_ENCODING = "o200k_base"
# Chat formats wrap every message in a few tokens of their own, and prime the reply with a few more.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_REPLY = 3

# US$ per million tokens (input, output), from OpenAI's public price list; a config file can add more.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "o4-mini": (1.10, 4.40),
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
}


@dataclass(frozen=True)
class Encoding:
    name: str
    exact: bool  # False when the model is not OpenAI's and o200k_base stands in for its tokenizer


class TokenCounter:
    """Counts tokens for any model name. Thread-safe; encodings are loaded once and kept."""

    def __init__(self, cache_dir: Path, data_dir: Path):
        self.cache_dir = cache_dir
        self.data_dir = data_dir
        self._encodings: dict[str, object] = {}
        self._lock = threading.Lock()

    @staticmethod
    def encoding_for(model: str) -> Encoding:
        from tiktoken.model import encoding_name_for_model

        try:
            name = encoding_name_for_model(model)
        except KeyError:
            return Encoding(DEFAULT_ENCODING, exact=False)
        if name not in EXPECTED_SHA256:
            return Encoding(DEFAULT_ENCODING, exact=False)
        return Encoding(name, exact=True)

    def count(self, text: str, model: str) -> int:
        return len(self._encoding(self.encoding_for(model).name).encode(text, disallowed_special=()))

    def count_messages(self, messages: Sequence[dict], model: str) -> int:
        total = TOKENS_PER_REPLY
        for message in messages:
            total += TOKENS_PER_MESSAGE + self.count(str(message.get("content") or ""), model)
        return total

    def _encoding(self, name: str):
        with self._lock:
            if name not in self._encodings:
                self._encodings[name] = self._load(name)
            return self._encodings[name]

    def _load(self, name: str):
        import tiktoken
        from tiktoken_ext.openai_public import ENCODING_CONSTRUCTORS

        url = _SOURCE_URL.format(name=name)
        cached = self.cache_dir / hashlib.sha1(url.encode()).hexdigest()
        if not cached.is_file() or hashlib.sha256(cached.read_bytes()).hexdigest() != EXPECTED_SHA256[name]:
            data = gzip.decompress((self.data_dir / f"{name}.tiktoken.gz").read_bytes())
            if hashlib.sha256(data).hexdigest() != EXPECTED_SHA256[name]:
                raise RuntimeError(f"the shipped tokenizer file {name} is damaged; reinstall mockmle")
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(".partial")
            partial.write_bytes(data)
            partial.replace(cached)
        # tiktoken finds its files through TIKTOKEN_CACHE_DIR; point it at ours only while loading.
        previous = os.environ.get("TIKTOKEN_CACHE_DIR")
        os.environ["TIKTOKEN_CACHE_DIR"] = str(self.cache_dir)
        try:
            return tiktoken.Encoding(**ENCODING_CONSTRUCTORS[name]())
        finally:
            if previous is None:
                os.environ.pop("TIKTOKEN_CACHE_DIR", None)
            else:
                os.environ["TIKTOKEN_CACHE_DIR"] = previous


def cost(model: str, prompt_tokens: int, completion_tokens: int,
         prices: dict[str, tuple[float, float]] | None = None) -> float | None:
    """Estimated US$ for a model with a known price, else None (a local server costs nothing we can tell)."""
    table = {**PRICES, **(prices or {})}
    key = model if model in table else next((k for k in sorted(table, key=len, reverse=True) if model.startswith(k + "-")), None)
    if key is None:
        return None
    price_in, price_out = table[key]
    return (prompt_tokens * price_in + completion_tokens * price_out) / 1_000_000


def total_cost(by_model, price) -> float | None:
    """Summed estimate over (model, prompt tokens, completion tokens) rows; None when no model has a price."""
    known = [c for c in (price(model, p, c) for model, p, c in by_model) if c is not None]
    return sum(known) if known else None


def fit_recent(items: Sequence[str], budget: int, count) -> tuple[list[str], int]:
    """The most recent items that fit in `budget` tokens, oldest first, and how many older ones were left out.

    Used for the interviewer's memory of earlier questions: each call carries a bounded history, so
    prompt tokens over an interview grow linearly with the number of questions, not quadratically.
    """
    kept: list[str] = []
    used = 0
    for item in reversed(items):
        size = count(item)
        if used + size > budget:
            break
        kept.append(item)
        used += size
    kept.reverse()
    return kept, len(items) - len(kept)
