"""`mockmle retry SESSION QUESTION`: the real command line on a real data home, graded offline."""

from __future__ import annotations

import json
import sqlite3

WEAK = "Bias and variance are both kinds of error a model can have."
STRONG = ("Bias is error from wrong assumptions, so the model underfits; variance is sensitivity to the training "
          "sample, so it overfits. I would compare training and validation error: both high means bias, a large gap "
          "means variance.")


def played(cli, tmp_path) -> str:
    answers = tmp_path / "answers.txt"
    answers.write_text(f"{WEAK}\n---\n/skip\n")
    done = cli("interview", "--question-ids", "technical.bias-variance,applied-ml.why-tests", "--follow-ups", "0",
               "--answers-file", str(answers), "--judge", "offline", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["session_id"]


def test_retry_prints_the_comparison_and_keeps_the_take(cli, tmp_path):
    session = played(cli, tmp_path)
    answer = tmp_path / "again.txt"
    answer.write_text(STRONG)

    shown = cli("retry", session[:5], "1", "--answer-file", str(answer))

    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == (f"Question 1 of session {session}, take 2: "
                        "Explain the bias-variance tradeoff and how it affects model selection.")
    assert lines[1].startswith("Band then ") and "Newly covered:" in lines
    assert any(line.startswith("  - area: Connection to overfitting and underfitting (missed \u2192 ") for line in lines)

    again = cli("retry", session, "1", "--json", input="Bias is underfitting.")
    assert again.returncode == 0, again.stderr
    data = json.loads(again.stdout)
    assert (data["session_id"], data["question"], data["attempt"]) == (session, 1, 3)
    assert {point["change"] for point in data["points"]} <= {"newly covered", "still missing", "lost"}
    db = sqlite3.connect(cli.home / "mockmle.db")
    assert [row[0] for row in db.execute("select answer from attempts order by attempt")] == [STRONG,
                                                                                               "Bias is underfitting."]
    assert db.execute("select answer from exchanges where position = 0").fetchone()[0] == WEAK


def test_an_unknown_session_or_question_is_one_line_and_exit_2(cli, tmp_path):
    session = played(cli, tmp_path)
    for args, message in ((("nope", "1"), "no session 'nope'"),
                          ((session, "7"), f"session {session} has no question 7 (it has questions 1-2)"),
                          ((session, "2"), f"question 2 of session {session} was skipped"),
                          ((session, "1"), "the new answer is empty")):
        failed = cli("retry", *args, input="  \n")
        assert failed.returncode == 2, failed.stderr
        assert failed.stderr.startswith(f"mockmle: error: {message}") and failed.stderr.count("\n") == 1
        assert failed.stdout == ""
