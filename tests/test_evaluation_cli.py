"""`mockmle calibrate`: the table on the calibration set and the outside datasets (tiny fixtures here),
a missing dataset skipped with a note, bad input as one line, and the LLM judge on a real local server."""

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "data" / "eval_fixtures"


def test_prints_the_table_for_every_dataset(cli):
    result = cli("calibrate", "--data", str(FIXTURES))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Judge offline (offline-")
    header = out.splitlines()[2]
    for column in ("Dataset", "Questions", "Answers", "Scorer", "Spearman", "Pearson", "QWK", "Exact", "Within 1",
                   "Adversarial ≤ 1", "Speed"):
        assert column in header
    lines = out.splitlines()
    test_row = next(line for line in lines if line.startswith("calibration (test)"))
    assert "judge: offline" in test_row and "adv." in test_row and "answers/s" in test_row
    assert any(line.startswith("calibration (dev, tuned on)") for line in lines)
    mohler = next(line for line in lines if line.startswith("mohler"))
    assert mohler.split()[1:3] == ["3", "7"]  # questions, answers: the excluded question is left out
    assert next(line for line in lines if line.startswith("saf")).split()[1:3] == ["2", "6"]
    assert out.count("baseline: length (words)") == 4
    assert out.count("baseline: TF-IDF cosine") == 4 and out.count("baseline: keyword recall") == 4
    assert out.count("human: grader 2 vs 1") == 1  # Mohler publishes both graders
    assert "mohler: mean of two graders" in out
    for part in ("calibration (test)", "calibration (dev, tuned on)"):
        (gap,) = [line for line in lines if line.startswith(f"{part}: paraphrase gap ")]
        assert " bands (0 is ideal): the judge's mean band is " in gap and "keyword recall falls by " in gap
    assert not any(line.startswith(("mohler: paraphrase", "saf: paraphrase")) for line in lines)
    assert result.stderr == ""


def test_a_missing_dataset_is_skipped_with_a_note(cli, tmp_path):
    result = cli("calibrate", "--data", str(tmp_path / "nothing"))
    assert result.returncode == 0, result.stderr
    notes = result.stderr.splitlines()
    assert len(notes) == 2
    assert notes[0].startswith("note: mohler: not found in ") and notes[0].endswith("skipped")
    assert notes[1].startswith("note: saf: not found in ")
    assert "calibration (test)" in result.stdout and "mohler" not in result.stdout.split("Agreement on")[0]
    assert "note: saf: not found" in result.stdout  # the table says what it left out


def test_only_missing_datasets_is_a_one_line_error(cli, tmp_path):
    result = cli("calibrate", "--dataset", "saf", "--data", str(tmp_path))
    assert result.returncode != 0
    assert result.stderr.splitlines()[-1] == "mockmle: error: no dataset to evaluate (see the notes above)"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--limit", "0"], "mockmle: error: --limit must be 1 or more"),
    (["--judge", "llm"], "mockmle: error: --judge llm needs a model"),
])
def test_bad_input_is_one_line(cli, args, message):
    result = cli("calibrate", "--dataset", "calibration", *args)
    assert result.returncode != 0
    assert result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1


def test_split_limit_json_and_markdown(cli):
    result = cli("calibrate", "--dataset", "calibration", "--split", "test", "--limit", "20", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    (only,) = data["datasets"]
    assert only["dataset"] == "calibration (test)"
    assert only["answers"] + only["adversarial"] == 20
    assert only["judge"]["name"] == "offline" and -1 <= only["judge"]["spearman"] <= 1
    assert set(only["baselines"]) == {"length", "tfidf", "recall", "meaning"}  # meaning: the model ships with mockmle
    assert data["skipped"] == [] and data["date"]

    markdown = cli("calibrate", "--dataset", "mohler", "--data", str(FIXTURES), "--markdown")
    assert markdown.returncode == 0, markdown.stderr
    table = [line for line in markdown.stdout.splitlines() if line.startswith("|")]
    assert table[0].startswith("| Dataset | Questions | Answers | Scorer | Spearman |")
    assert table[1].startswith("|---|---:|---:|---|")
    assert table[2].startswith("| mohler | 3 | 7 | judge: offline |")
    assert len(table) == 2 + 6  # header and rule, judge, second grader, four baselines (meaning among them)


def test_the_paraphrase_gap_in_json_and_markdown(cli):
    result = cli("calibrate", "--dataset", "calibration", "--split", "test", "--json")
    assert result.returncode == 0, result.stderr
    (only,) = json.loads(result.stdout)["datasets"]
    gap = only["paraphrase"]
    assert gap["pairs"] >= 10  # the test part's band-3/4 answers, each with its paraphrase
    assert gap["gap"] == pytest.approx(gap["original_band"] - gap["paraphrase_band"])
    assert 3 <= gap["original_band"] <= 4 and 0 <= gap["paraphrase_band"] <= 4
    assert gap["recall_drop"] == pytest.approx(1 - gap["paraphrase_recall"] / gap["original_recall"])

    markdown = cli("calibrate", "--dataset", "calibration", "--split", "all", "--markdown")
    assert markdown.returncode == 0, markdown.stderr
    (note,) = [line for line in markdown.stdout.splitlines() if "paraphrase gap" in line]
    assert note.startswith("- calibration (all, dev + test): paraphrase gap ")
    paraphrases = (FIXTURES.parent / "paraphrases.jsonl").read_text().splitlines()
    assert f" on {len(paraphrases)} answers and " in note  # every paraphrase, in the pooled set


@pytest.mark.llm_server
def test_the_llm_judge_on_a_local_model(cli, llama_server):
    env = {"OPENAI_BASE_URL": llama_server.base_url, "MOCKMLE_TIMEOUT": "240",
           # json_object replies from this server are grammar-constrained and slow; keep each one short.
           "MOCKMLE_JUDGE_MAX_TOKENS": "24"}
    result = cli("calibrate", "--judge", "llm", "--dataset", "mohler", "--data", str(FIXTURES), "--limit", "2",
                 env=env, timeout=900)
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("mohler"))
    assert f"judge: llm:{llama_server.model}" in row
    assert row.split()[1:3] == ["2", "2"]
    assert row.endswith("s/answer")
    assert float(row.split()[-2]) > 0  # seconds per answer
    # This tiny model's replies, cut at 24 tokens, are often invalid: the table says how many fell back.
    notes = [line for line in result.stdout.splitlines() if "graded by the offline judge after a model fault" in line]
    assert all(line.startswith("mohler: ") and " of 2 answers " in line for line in notes)
    assert not (cli.home / "mockmle.db").exists()  # evaluation calls stay out of the candidate's call log
