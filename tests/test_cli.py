"""End-to-end: the real command line on a temporary data home."""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

STRONG_BAGGING = (
    "Bagging trains many models independently in parallel on bootstrap samples and averages them, which mainly "
    "reduces variance. Boosting trains models sequentially, each fitting the residual errors of the previous ones, "
    "which mainly reduces bias."
)


def write_answers(tmp_path, *answers):
    path = tmp_path / "answers.txt"
    path.write_text("\n---\n".join(answers) + "\n")
    return path


def test_scripted_interview_stores_and_prints_json(cli, tmp_path):
    answers = write_answers(tmp_path, STRONG_BAGGING, "Predictions are averaged or voted.", "I don't know", "")
    result = cli("interview", "--stage", "technical", "--questions", "3", "--seed", "7",
                 "--answers-file", str(answers), "--judge", "offline", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["judge"] == "offline" and data["status"] == "finished"
    assert len(data["plan"]["question_ids"]) == 3
    report = data["report"]
    assert 1 <= report["recommendation"]["level"] <= 4 and report["recommendation"]["reasons"]
    assert report["scorecards"][0]["stage"] == "technical"
    for turn in data["turns"]:
        if turn["status"] == "answered":
            assert 0 <= turn["grade"]["band"] <= 4
            assert turn["grade"]["provenance"]["judge"] == "offline"
    listing = json.loads(cli("sessions", "list", "--json").stdout)
    assert [row["id"] for row in listing] == [data["session_id"]]
    assert (cli.home / "mockmle.db").exists()


def test_same_seed_same_questions(cli, tmp_path):
    answers = write_answers(tmp_path, "/skip", "/skip", "/skip")
    runs = [json.loads(cli("interview", "--stage", "applied-ml", "--questions", "3", "--seed", "11",
                           "--answers-file", str(answers), "--json").stdout) for _ in range(2)]
    assert runs[0]["plan"]["question_ids"] == runs[1]["plan"]["question_ids"]
    assert all(t["status"] == "skipped" for t in runs[0]["turns"])


def test_question_ids_follow_ups_consume_answers_and_running_out_ends_cleanly(cli, tmp_path):
    answers = write_answers(tmp_path, "Both are ensembles.", "They combine trees.")
    result = cli("interview", "--question-ids", "technical.bagging-vs-boosting,technical.bias-variance",
                 "--answers-file", str(answers), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    first = data["turns"][0]
    assert [e["kind"] for e in first["exchanges"]] == ["question", "follow_up"]
    assert [e["answer"] for e in first["exchanges"]] == ["Both are ensembles.", "They combine trees."]
    assert data["ended_early"] is True
    assert [t["question_id"] for t in data["turns"]] == ["technical.bagging-vs-boosting", "technical.bias-variance"]
    assert data["turns"][1]["status"] == "unanswered"


def test_hint_command_is_recorded_and_costs_score(cli, tmp_path):
    answers = write_answers(tmp_path, "/hint", STRONG_BAGGING)
    data = json.loads(cli("interview", "--question-ids", "technical.bagging-vs-boosting", "--follow-ups", "0",
                          "--answers-file", str(answers), "--json").stdout)
    turn = data["turns"][0]
    assert len(turn["hints"]) == 1
    assert turn["score"] == turn["grade"]["band"] - 0.5


def test_grade_matches_question_text_loosely_and_reports_json(cli, tmp_path):
    answer = tmp_path / "a.txt"
    answer.write_text(STRONG_BAGGING)
    result = cli("grade", "--question", "  what is the DIFFERENCE between bagging and boosting and which kind of error "
                 "does each one mainly reduce ", "--answer-file", str(answer), "--judge", "offline", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["question_id"] == "technical.bagging-vs-boosting" and data["matched_bank"]
    assert 0 <= data["score"] <= 4 and data["judge"] == "offline"
    assert data["competencies"] and data["areas"] and data["checks"]
    assert {"area", "status", "evidence"} <= set(data["areas"][0])
    covered = [a for a in data["areas"] if a["status"] != "missed"]
    assert covered and all(a["evidence"] in STRONG_BAGGING for a in covered)
    check = next(c for c in data["checks"] if c["id"] == "bagging-vs-boosting")
    assert check["passed"] and check["evidence"]


def test_grade_swapped_bagging_boosting_is_capped(cli, tmp_path):
    answer = tmp_path / "a.txt"
    answer.write_text("Bagging trains models sequentially on residuals and mainly reduces bias, while boosting "
                      "trains independent models in parallel on bootstrap samples and reduces variance.")
    data = json.loads(cli("grade", "--question-id", "technical.bagging-vs-boosting", "--answer-file", str(answer), "--json").stdout)
    assert data["score"] <= 2
    assert any("wrong way round" in step for step in data["explanation"])


def test_grade_unknown_question_says_so(cli, tmp_path):
    answer = tmp_path / "a.txt"
    answer.write_text("Use a bloom filter to test membership with a small false positive rate.")
    with_ref = json.loads(cli("grade", "--question", "How would you dedupe a stream?", "--answer-file", str(answer),
                              "--reference", "A bloom filter gives approximate membership. Exact dedupe needs a keyed store.",
                              "--json").stdout)
    assert with_ref["question_id"] is None and not with_ref["matched_bank"]
    assert any("reference" in step for step in with_ref["explanation"])
    alone = json.loads(cli("grade", "--question", "How would you dedupe a stream?", "--answer-file", str(answer), "--json").stdout)
    assert any("question alone" in step for step in alone["explanation"])


def test_empty_and_i_dont_know_score_zero(cli, tmp_path):
    for text in ("", "I don't know."):
        answer = tmp_path / "a.txt"
        answer.write_text(text)
        data = json.loads(cli("grade", "--question-id", "technical.bias-variance", "--answer-file", str(answer), "--json").stdout)
        assert data["score"] == 0


def test_sessions_list_says_ended_early_as_review_does(cli, tmp_path):
    whole = json.loads(cli("interview", "--question-ids", "technical.bagging-vs-boosting", "--follow-ups", "0",
                           "--answers-file", str(write_answers(tmp_path, STRONG_BAGGING)), "--json").stdout)
    early = json.loads(cli("interview", "--question-ids", "technical.bagging-vs-boosting,technical.bias-variance",
                           "--follow-ups", "0", "--answers-file", str(write_answers(tmp_path, STRONG_BAGGING, "/end")),
                           "--json").stdout)
    lines = {line.split()[0]: line for line in cli("sessions", "list").stdout.splitlines()[1:]}
    assert lines[whole["session_id"][:8]].endswith("  finished")
    assert lines[early["session_id"][:8]].endswith("  ended early")
    assert re.search(r" \d{4}-\d\d-\d\d \d\d:\d\d UTC ", lines[whole["session_id"][:8]])  # says its time zone


def test_sessions_show_export_delete(cli, tmp_path):
    answers = write_answers(tmp_path, STRONG_BAGGING)
    data = json.loads(cli("interview", "--question-ids", "technical.bagging-vs-boosting", "--follow-ups", "0",
                          "--answers-file", str(answers), "--json").stdout)
    sid = data["session_id"]
    shown = cli("sessions", "show", sid)
    assert shown.returncode == 0 and "Hiring recommendation" in shown.stdout and "Bagging trains many models" in shown.stdout
    assert json.loads(cli("sessions", "show", sid, "--json").stdout)["session_id"] == sid
    for fmt in ("md", "json"):
        out = cli("sessions", "export", sid, "--format", fmt)
        assert out.returncode == 0, out.stderr
        path = cli.home / "transcripts" / f"session-{sid}.{fmt}"
        assert out.stdout.strip() == str(path) and path.stat().st_size > 200
    assert json.loads((cli.home / "transcripts" / f"session-{sid}.json").read_text())["turns"][0]["grade"]["band"] >= 0
    assert cli("sessions", "delete", sid, "--yes").returncode == 0
    gone = cli("sessions", "show", sid)
    assert gone.returncode == 2 and "no session" in gone.stderr and "Traceback" not in gone.stderr


def test_kill_mid_interview_loses_nothing_and_resume_continues(cli, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKMLE_")}
    env["MOCKMLE_HOME"] = str(cli.home)
    proc = subprocess.Popen([sys.executable, "-m", "mockmle", "interview", "--question-ids",
                             "technical.bias-variance,technical.gradient-descent", "--follow-ups", "0"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True, env=env, cwd=tmp_path)
    proc.stdin.write("High bias underfits; high variance overfits.\n\n")
    proc.stdin.flush()
    db = cli.home / "mockmle.db"
    deadline = time.monotonic() + 30
    saved = None
    while time.monotonic() < deadline and not saved:
        time.sleep(0.1)
        if db.exists():
            try:
                saved = sqlite3.connect(db).execute("select session_id, answer from exchanges where answer is not null").fetchone()
            except sqlite3.OperationalError:
                pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert saved is not None and saved[1].startswith("High bias underfits")
    sid = saved[0]
    answers = write_answers(tmp_path, "Gradient descent steps against the gradient; SGD uses mini-batches.")
    result = cli("sessions", "resume", sid[:5], "--answers-file", str(answers), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "finished" and not data["ended_early"]
    assert [t["exchanges"][0]["answer"][:9] for t in data["turns"]] == ["High bias", "Gradient "]
    assert all(t["grade"] is not None for t in data["turns"])
    again = cli("sessions", "resume", sid)
    assert again.returncode == 2 and "already finished" in again.stderr


def test_grade_takes_the_answer_inline_as_well_as_from_a_file(cli, tmp_path):
    text = ("Bagging trains models sequentially on residuals and mainly reduces bias, while boosting trains independent "
            "models in parallel on bootstrap samples and reduces variance.")
    answer = tmp_path / "a.txt"
    answer.write_text(text)
    inline = json.loads(cli("grade", "--question-id", "technical.bagging-vs-boosting", "--answer", text, "--json").stdout)
    from_file = json.loads(cli("grade", "--question-id", "technical.bagging-vs-boosting", "--answer-file", str(answer),
                               "--json").stdout)
    assert inline == from_file and inline["score"] <= 2
    both = cli("grade", "--question-id", "technical.bagging-vs-boosting", "--answer", text, "--answer-file", str(answer))
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    neither = cli("grade", "--question-id", "technical.bagging-vs-boosting")
    assert neither.returncode == 2 and "--answer or --answer-file" in neither.stderr


def test_bad_input_is_one_line_and_non_zero(cli, tmp_path):
    cases = [
        ("interview", "--answers-file", str(tmp_path / "missing.txt"), "--json"),
        ("interview", "--stage", "cooking", "--answers-file", str(write_answers(tmp_path, "x")), "--json"),
        ("interview", "--question-ids", "technical.nope", "--answers-file", str(write_answers(tmp_path, "x")), "--json"),
        ("grade", "--question-id", "technical.nope", "--answer-file", str(write_answers(tmp_path, "x"))),
        ("grade", "--question", "q", "--answer-file", str(tmp_path / "missing.txt")),
        ("sessions", "show", "zzzz"),
        ("sessions", "resume", "zzzz"),
    ]
    for args in cases:
        result = cli(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("mockmle: error:"), result.stderr


def test_home_flag_and_env_keep_all_writes_in_the_data_home(cli, tmp_path):
    other = tmp_path / "elsewhere"
    answers = write_answers(tmp_path, "/end")
    result = cli("--home", str(other), "interview", "--question-ids", "technical.bias-variance", "--answers-file", str(answers), "--json")
    assert result.returncode == 0, result.stderr
    assert (other / "mockmle.db").exists() and not cli.home.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.txt", "elsewhere"]


def test_terminal_interview_reads_typed_answers(cli):
    typed = "/hint\nBias is systematic error.\nVariance is sensitivity to the training sample.\n\n/end\n"
    result = cli("interview", "--question-ids", "technical.bias-variance,technical.gradient-descent", "--follow-ups", "0", input=typed)
    assert result.returncode == 0, result.stderr
    assert "Question 1 of 2" in result.stdout and "Hint:" in result.stdout and "Hiring recommendation" in result.stdout
    sid = result.stdout.rsplit("mockmle sessions show ", 1)[1].strip()
    data = json.loads(cli("sessions", "show", sid, "--json").stdout)
    assert data["turns"][0]["exchanges"][0]["answer"] == "Bias is systematic error.\nVariance is sensitivity to the training sample."


def test_version_and_help(cli):
    assert cli("--version").stdout.startswith("mockmle ")
    assert "interview" in cli("--help").stdout


def test_grade_batch_jsonl_one_grade_per_line(cli, tmp_path):
    batch = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "question_id": "technical.bagging-vs-boosting", "answer": STRONG_BAGGING},
        {"id": "b", "question": "explain the bias-variance tradeoff and how it affects model selection",
         "answer": "I don't know"},
        {"question": "How would you shard a vector index?", "answer": "By hashing ids across nodes.",
         "reference": "Shard by id hash; replicate."},
    ]
    batch.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    result = cli("grade", "--batch", str(batch), "--judge", "offline")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", "b", None]
    assert out[0]["question_id"] == "technical.bagging-vs-boosting" and out[0]["score"] >= 2
    assert out[1]["question_id"] == "technical.bias-variance" and out[1]["score"] == 0
    assert out[2]["matched_bank"] is False and all(o["judge"] == "offline" for o in out)


def test_grade_batch_bad_line_names_the_line(cli, tmp_path):
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"question_id": "technical.bias-variance", "answer": "x"}\n{"answer": "no question"}\n')
    result = cli("grade", "--batch", str(batch))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == f"mockmle: error: {batch}:2: question or question_id: a string is required"


def test_no_command_without_a_terminal_is_one_clear_line(cli):
    result = cli(input="")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "needs a terminal" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_app_crashing_exits_non_zero_and_says_the_work_is_saved(services, monkeypatch, capsys):
    """Textual catches an error inside the app, prints it and sets return_code; the command must pass it on."""
    import mockmle.tui.app as tui_app
    from mockmle.cli import commands

    class Crashed:
        return_code = 1
        start_error = None

        def run(self) -> None:
            pass

    monkeypatch.setattr(tui_app, "build_app", lambda services, **options: Crashed())
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    assert commands.app(services) == 1
    assert "Everything answered so far is saved" in capsys.readouterr().err


def test_a_refused_hint_is_not_shown_with_its_cost(cli, tmp_path):
    answers = tmp_path / "answers.txt"
    answers.write_text("/hint\n---\n" * 20 + "/skip\n")  # more hints than the question has
    result = cli("interview", "--questions", "1", "--stage", "technical", "--seed", "1", "--answers-file", str(answers),
                 "--judge", "offline", "--follow-ups", "0")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "Hint" in line or "hint" in line]
    refused = [line for line in lines if "No more hints" in line]
    assert refused and not any("cost" in line for line in refused), lines
    assert any("cost half a band" in line for line in lines)


def test_bank_show_puts_each_misconceptions_correction_under_it(cli):
    result = cli("bank", "show", "technical.bias-variance")
    assert result.returncode == 0, result.stderr
    listed = result.stdout.split("Common misconceptions:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert listed[:2] == ["  - With the right model both bias and variance can be driven to zero",
                          "    Correction: Irreducible noise remains whatever the model, and lowering bias usually raises "
                          "variance, so the aim is the lowest total error."]
    assert len(listed) == 8 and all(line.startswith("    Correction: ") for line in listed[1::2])
    shown = json.loads(cli("bank", "show", "technical.bias-variance", "--json").stdout)
    assert len(shown["corrections"]) == len(shown["misconceptions"]) == 4
