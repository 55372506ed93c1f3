"""The parsed bank is kept in the data home and used again only while the packs are unchanged."""

from __future__ import annotations

import os
import shutil
import stat

import pytest

from mockmle.core import bank_cache
from mockmle.core.bank import BankError, load_bank, pack_files
from mockmle.core.bank_cache import cache_key, load_bank_cached
from mockmle.core.grading import grader_words
from mockmle.resources import data_dir


@pytest.fixture
def packs(tmp_path):
    folder = tmp_path / "rubrics"
    shutil.copytree(data_dir("rubrics"), folder)
    return folder


def test_the_second_load_comes_from_the_cache_and_equals_a_fresh_parse(packs, tmp_path):
    cache = tmp_path / "cache"
    first = load_bank_cached([packs], cache)
    stored = cache / "bank.pickle"
    assert stored.exists() and stat.S_IMODE(stored.stat().st_mode) == 0o600
    written = stored.stat().st_mtime_ns
    second = load_bank_cached([packs], cache)
    assert stored.stat().st_mtime_ns == written  # read, not rewritten
    fresh = load_bank(packs)
    assert second.questions == fresh.questions == first.questions
    assert second.stages == fresh.stages and second.scorecards == fresh.scorecards
    assert second.weights.idf == fresh.weights.idf
    assert second.question("technical.bias-variance").prompt == fresh.question("technical.bias-variance").prompt


def test_a_changed_pack_is_parsed_again(packs, tmp_path):
    cache = tmp_path / "cache"
    load_bank_cached([packs], cache)
    pack = next(p for p in sorted(packs.glob("*.toml")) if 'id = "technical.bias-variance"' in p.read_text())
    text = pack.read_text().replace("Explain the bias-variance tradeoff", "Explain the bias–variance trade-off", 1)
    pack.write_text(text)
    os.utime(pack, ns=(pack.stat().st_atime_ns, pack.stat().st_mtime_ns + 10**9))
    assert load_bank_cached([packs], cache).question("technical.bias-variance").text.startswith("Explain the bias–variance")


def test_a_new_pack_is_picked_up(packs, tmp_path):
    cache = tmp_path / "cache"
    load_bank_cached([packs], cache)
    (packs / "zz-extra.toml").write_text(
        '[[questions]]\nid = "technical.extra-one"\nstage = "technical"\ntext = "What is a confusion matrix?"\n'
        'areas = ["Counts of predicted against actual classes"]\ncompetencies = []\n')
    try:
        bank = load_bank_cached([packs], cache)
    except BankError as exc:  # the pack's schema asks for more: the point is that it was read, not the cache
        assert "zz-extra.toml" in str(exc)
    else:
        assert "technical.extra-one" in bank.questions


@pytest.mark.parametrize("content", [b"", b"garbage", b"0" * 64 + b"\n\x80\x05garbage", None])
def test_a_damaged_cache_is_ignored_and_rewritten(packs, tmp_path, content):
    cache = tmp_path / "cache"
    load_bank_cached([packs], cache)
    stored = cache / "bank.pickle"
    if content is None:  # the right key, a truncated body
        data = stored.read_bytes()
        content = data[: data.index(b"\n") + 40]
    stored.write_bytes(content)
    bank = load_bank_cached([packs], cache)
    assert bank.questions == load_bank(packs).questions
    assert len(stored.read_bytes()) > 1000  # rewritten whole


def test_a_malformed_pack_fails_as_before_whatever_the_cache_holds(packs, tmp_path):
    cache = tmp_path / "cache"
    load_bank_cached([packs], cache)
    (packs / "broken.toml").write_text("[[questions]\n")
    with pytest.raises(BankError, match="broken.toml"):
        load_bank_cached([packs], cache)


def test_an_unwritable_cache_folder_only_costs_the_parse(packs, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    bank = load_bank_cached([packs], blocked / "cache")
    assert "technical.bias-variance" in bank.questions


def test_a_change_to_the_core_code_parses_again(packs, tmp_path, monkeypatch):
    core = tmp_path / "core"
    (core / "grading").mkdir(parents=True)
    module = core / "grading" / "judge.py"
    module.write_text("BAND = 1\n")
    monkeypatch.setattr(bank_cache, "_CORE", core)
    files = pack_files(packs)
    key = cache_key(files)
    assert cache_key(files) == key
    module.write_text("BAND = 22\n")
    assert cache_key(files) != key
    key = cache_key(files)
    (core / "grading" / "words.toml").write_text("[please]\nen = [\"please\"]\n")  # data the core reads, too
    assert cache_key(files) != key


def test_packs_are_known_by_their_real_paths(packs, tmp_path):
    link = tmp_path / "linked"
    link.symlink_to(packs)
    assert cache_key(pack_files(link)) == cache_key(pack_files(packs))
    other = tmp_path / "copy"
    shutil.copytree(packs, other)
    assert cache_key(pack_files(other)) != cache_key(pack_files(packs))


def test_the_cache_brings_the_grader_vocabulary_it_was_written_with(packs, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    load_bank_cached([packs], cache)
    monkeypatch.setattr(grader_words, "_entries", None)  # a new process: nothing read yet
    load_bank_cached([packs], cache)
    brought = grader_words._entries
    assert brought is not None and brought["gate"]
    monkeypatch.setattr(grader_words, "_entries", None)
    assert grader_words.entries() == brought  # as read from grader_words.toml
