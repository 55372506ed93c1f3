"""`mockmle progress`, `drill` and `data wipe` as a user runs them: the real CLI on a real data home."""

from __future__ import annotations

import json
import sqlite3

from test_progress import BAGGING, GATES, WHY_TESTS_NO_GATES

KEY = "sk-test-NEVER-WRITTEN-9f8e7d"


def _interview(cli, tmp_path, answers: dict[str, str]):
    path = tmp_path / "answers.txt"
    path.write_text("\n---\n".join(answers.values()))
    result = cli("interview", "--question-ids", ",".join(answers), "--follow-ups", "0", "--answers-file", str(path))
    assert result.returncode == 0, result.stderr
    return result


def _seed(cli, tmp_path):
    _interview(cli, tmp_path, {"applied-ml.why-tests": WHY_TESTS_NO_GATES, "technical.bagging-vs-boosting": BAGGING})


def test_progress_json_names_the_weakest_area_with_evidence(cli, tmp_path):
    _seed(cli, tmp_path)
    _seed(cli, tmp_path)
    result = cli("progress", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["sessions"] == 2 and data["answers"] == 4
    assert data["weakest"][0]["area"] == GATES
    assert len(data["weakest"][0]["evidence"]) == 2
    assert {c["id"] for c in data["competencies"]} >= {"machine-learning-fundamentals"}
    assert all(c["confidence"] in ("low", "medium", "high") for c in data["competencies"])
    (gates,) = [d for d in data["due"] if d["key"] == GATES]
    assert 0.9 < gates["recall"] <= 1.0 and gates["lapses"] == 2  # reviewed minutes ago, missed twice

    text = cli("progress").stdout
    assert "Weakest areas" in text and GATES in text and "mockmle drill" in text
    assert f"area     just missed  {GATES}" in text  # due because it went badly, not because memory faded


def test_fitting_needs_enough_reviews_and_says_how_many(cli, tmp_path):
    _seed(cli, tmp_path)
    result = cli("progress", "--fit")
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "fitting needs 512 answers" in result.stderr and "you have 0" in result.stderr


def test_progress_with_no_history_says_what_to_do(cli):
    result = cli("progress")
    assert result.returncode == 0
    assert "No graded answers yet" in result.stdout
    assert json.loads(cli("progress", "--json").stdout)["weakest"] == []


def test_drill_plays_what_is_due_and_is_stored_as_a_drill(cli, tmp_path):
    empty = cli("drill")
    assert empty.returncode == 1
    assert empty.stderr.strip().count("\n") == 0 and "nothing to drill yet" in empty.stderr
    _seed(cli, tmp_path)
    answers = tmp_path / "drill.txt"
    answers.write_text("\n---\n".join(["I would add tests."] * 3))
    result = cli("drill", "--questions", "3", "--follow-ups", "0", "--answers-file", str(answers), "--json")
    assert result.returncode == 0, result.stderr
    session = json.loads(result.stdout)
    assert session["plan"]["kind"] == "drill"
    assert "applied-ml.why-tests" in session["plan"]["question_ids"]
    assert GATES in session["plan"]["reasons"]["applied-ml.why-tests"]
    shown = cli("drill", "--questions", "3", "--follow-ups", "0", "--answers-file", str(answers))
    assert "(Drill: " in shown.stdout
    listed = [line for line in cli("sessions", "list").stdout.splitlines() if line.startswith(session["session_id"])]
    assert len(listed) == 1 and "drill: " in listed[0]


def test_deleting_a_session_removes_it_from_progress(cli, tmp_path):
    _seed(cli, tmp_path)
    session_id = json.loads(cli("sessions", "list", "--json").stdout)[0]["id"]
    assert json.loads(cli("progress", "--json").stdout)["weakest"]
    assert cli("sessions", "delete", session_id, "--yes").returncode == 0
    data = json.loads(cli("progress", "--json").stdout)
    assert data["answers"] == 0 and data["weakest"] == [] and data["areas"] == [] and data["due"] == []


def test_progress_output_never_carries_keys_or_settings(cli, tmp_path):
    _seed(cli, tmp_path)
    (cli.home / "config.toml").write_text(f'[llm]\napi_key = "{KEY}"\nbase_url = "http://127.0.0.1:9/v1"\n')
    result = cli("progress", "--json")
    assert result.returncode == 0, result.stderr
    assert KEY not in result.stdout and "127.0.0.1:9" not in result.stdout and str(cli.home) not in result.stdout


def test_data_wipe_asks_first_then_leaves_nothing_behind(cli, tmp_path):
    _seed(cli, tmp_path)
    session_id = json.loads(cli("sessions", "list", "--json").stdout)[0]["id"]
    assert cli("sessions", "export", session_id).returncode == 0
    (cli.home / "config.toml").write_text('[llm]\nmodel = "kept-model"\n')

    refused = cli("data", "wipe")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert json.loads(cli("sessions", "list", "--json").stdout), "nothing is deleted without a confirmation"

    assert any(b"embarrassingly parallel" in p.read_bytes() for p in cli.home.glob("mockmle.db*"))
    result = cli("data", "wipe", "--yes")
    assert result.returncode == 0, result.stderr
    assert "Deleted 1 session (2 answers) and 1 exported file" in result.stdout
    assert json.loads(cli("sessions", "list", "--json").stdout) == []
    assert json.loads(cli("progress", "--json").stdout)["answers"] == 0
    db = sqlite3.connect(cli.home / "mockmle.db")
    tables = [name for (name,) in db.execute("select name from sqlite_master where type = 'table'")]
    assert {name: db.execute(f"select count(*) from {name}").fetchone()[0] for name in tables if name != "_migrations"} == (
        dict.fromkeys([name for name in tables if name != "_migrations"], 0))
    db.close()
    assert not (cli.home / "transcripts").exists()
    assert (cli.home / "config.toml").read_text() == '[llm]\nmodel = "kept-model"\n'
    # The answer's words are gone from the database file and its write-ahead log, not just unlinked from rows.
    for path in cli.home.glob("mockmle.db*"):
        assert b"embarrassingly parallel" not in path.read_bytes(), path.name
