"""The data home from the command line: wildcards and confirmations, damaged and newer databases,
private files, report paths, and a disk that fills up mid-interview. Real processes, real files."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

ANSWERS = """Overfitting is when the model memorises noise in the training data: validation loss rises while
training loss keeps falling. I use regularisation, more data and early stopping, and check a held-out set.
---
Bagging trains models independently on bootstrap samples and averages them; boosting trains them one after
another, each on the errors of the ones before.
"""
QUESTIONS = "technical.overfitting-underfitting,technical.bagging-vs-boosting"


@pytest.fixture
def play(cli, tmp_path):
    answers = tmp_path / "answers.txt"
    answers.write_text(ANSWERS)

    def run(**env) -> str:
        done = cli("interview", "--question-ids", QUESTIONS, "--follow-ups", "0", "--answers-file", str(answers),
                   env={"MOCKMLE_MEANING": "off", **env})
        assert done.returncode == 0, done.stderr
        return next(line.split()[3].rstrip(".") for line in done.stdout.splitlines() if line.startswith("Saved as session"))

    return run


def one_line_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("typed", ["%", "_", "________"])
def test_delete_with_a_wildcard_deletes_nothing(cli, play, typed):
    session = play()
    assert "no session" in one_line_error(cli("sessions", "delete", typed, "--yes"))
    assert session in cli("sessions", "list").stdout


def test_delete_asks_first_and_a_script_must_say_yes(cli, play):
    session = play()
    refused = one_line_error(cli("sessions", "delete", session))  # stdin is not a terminal here
    assert "--yes" in refused
    assert session in cli("sessions", "list").stdout
    assert cli("sessions", "delete", session[:4], "--yes").returncode == 0
    assert session not in cli("sessions", "list").stdout


def test_a_huge_session_id_is_one_short_line(cli, play):
    play()
    line = one_line_error(cli("sessions", "show", "x" * 100_000))
    assert len(line) < 200


def test_a_damaged_session_is_named_and_the_rest_keeps_working(cli, play):
    good, bad = play(), play()
    db = sqlite3.connect(cli.home / "mockmle.db")
    db.execute("update sessions set state = '{\"turns\": [1,' where id = ?", [bad])
    db.commit()
    db.close()
    line = one_line_error(cli("sessions", "show", bad))
    assert f"session {bad} is damaged" in line
    assert cli("sessions", "show", good).returncode == 0
    listing = cli("sessions", "list")
    assert listing.returncode == 0 and bad in listing.stdout and good in listing.stdout
    assert cli("progress").returncode == 0
    assert cli("report", "--format", "md", "--output", "-").returncode == 0


def test_a_database_from_a_newer_mockmle_is_refused_in_one_line(cli, play):
    play()
    db = sqlite3.connect(cli.home / "mockmle.db")
    db.execute("insert into _migrations (id, name, applied_at) values (99, 'future', '2027-01-01')")
    db.commit()
    db.close()
    before = sqlite3.connect(cli.home / "mockmle.db").execute("select count(*) from sessions").fetchone()
    line = one_line_error(cli("sessions", "list"))
    assert "newer mockmle" in line and "99" in line
    assert one_line_error(cli("interview", "--questions", "1", "--answers-file", "-", input="hello\n")) == line
    assert sqlite3.connect(cli.home / "mockmle.db").execute("select count(*) from sessions").fetchone() == before


@pytest.fixture
def usual_umask():
    """0o022, which leaves new files world-readable unless mockmle says otherwise; inherited by the subprocesses."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_data_home_and_everything_in_it_are_private(cli, play, usual_umask):
    session = play()
    home = cli.home
    assert mode(home) == 0o700
    assert mode(home / "mockmle.db") == 0o600
    for side in home.glob("mockmle.db-*"):
        assert mode(side) == 0o600, side
    export = Path(cli("sessions", "export", session).stdout.strip())
    assert mode(export) == 0o600 and mode(export.parent) == 0o700
    report = Path(cli("report").stdout.strip().splitlines()[-1].split()[-1])
    assert report.exists() and mode(report) == 0o600

    config = home / "config.toml"  # written by the candidate, maybe with their key in it
    config.write_text('[llm]\napi_key = "sk-private"\n')
    config.chmod(0o644)
    assert cli("sessions", "list").returncode == 0
    assert mode(config) == 0o600


def test_report_output_into_a_folder_writes_inside_it_and_a_failure_leaves_nothing(cli, play, tmp_path):
    play()
    folder = tmp_path / "out"
    folder.mkdir()
    assert cli("report", "--format", "md", "--output", f"{folder}/").returncode == 0
    written = list(folder.iterdir())
    assert len(written) == 1 and written[0].suffix == ".md" and mode(written[0]) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("out")] == ["out"]

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    line = one_line_error(cli("report", "--output", str(blocked / "report.html")))
    assert "cannot write the report" in line
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("a-file", ".a-file"))) == ["a-file"]


# -- a disk that fills up: a real, small tmpfs (needs root, which CI has; skipped elsewhere)

@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_mid_interview_is_one_line_keeps_the_answers_and_the_interview_resumes(cli, tmp_path, small_disk):
    home = small_disk / "home"
    env = {"MOCKMLE_HOME": str(home), "MOCKMLE_MEANING": "off"}
    assert cli("sessions", "list", env=env).returncode == 0  # the database exists
    first, second = ANSWERS.split("---")
    second = second.strip() + " " + "Each tree sees its own resample of the rows. " * 60_000  # 2.7 MB
    both, rest = tmp_path / "both.txt", tmp_path / "rest.txt"
    both.write_text(first + "---\n" + second)
    rest.write_text(second)
    vfs = os.statvfs(small_disk)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (vfs.f_bavail * vfs.f_frsize - 1_000_000))  # 1 MB left: room for one answer only

    failed = cli("interview", "--question-ids", QUESTIONS, "--follow-ups", "0", "--answers-file", str(both), env=env)
    assert one_line_error(failed).startswith("mockmle: error: the disk is full")
    db = sqlite3.connect(home / "mockmle.db")
    (session, status), = db.execute("select id, status from sessions").fetchall()
    assert status == "active"
    assert db.execute("select position from exchanges where answer is not null").fetchall() == [(0,)]
    db.close()

    filler.unlink()
    resumed = cli("sessions", "resume", session, "--answers-file", str(rest), env=env)
    assert resumed.returncode == 0, resumed.stderr
    db = sqlite3.connect(home / "mockmle.db")
    assert db.execute("select status from sessions").fetchone() == ("finished",)
    assert db.execute("select count(*) from grades").fetchone() == (2,)


# -- a kill -9 while the last answer is being graded (the model judge, on a scripted server that stalls)

def test_a_kill_during_the_last_grade_leaves_a_session_that_resumes_and_gets_its_scorecard(cli, tmp_path):
    import signal
    import sys
    import time

    sys.path.insert(0, str(Path(__file__).parent))
    from openai_stub import OpenAIStub, Reply

    last = "boosting trains them"
    stub = OpenAIStub().start()
    stub.handler = lambda body: Reply(delay=30) if last in json_text(body) else Reply(content="not a judgement")
    answers = tmp_path / "answers.txt"
    answers.write_text(ANSWERS)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKMLE_", "OPENAI_"))}
    env.update({"MOCKMLE_HOME": str(cli.home), "MOCKMLE_MEANING": "off", "OPENAI_BASE_URL": stub.base_url,
                "OPENAI_API_KEY": "sk-test", "MOCKMLE_JUDGE": "llm", "MOCKMLE_TIMEOUT": "60"})
    try:
        process = subprocess.Popen([sys.executable, "-m", "mockmle", "interview", "--question-ids", QUESTIONS,
                                    "--follow-ups", "0", "--answers-file", str(answers)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not any(last in json_text(r) for r in stub.chat_requests()):
            assert time.monotonic() < deadline and process.poll() is None, "the last grade was never asked for"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

        db = sqlite3.connect(cli.home / "mockmle.db")
        (session, status), = db.execute("select id, status from sessions").fetchall()
        assert status == "active"
        assert db.execute("select position from grades").fetchall() == [(0,)]
        db.close()

        stub.handler = lambda body: Reply(content="not a judgement")  # the server is back; its replies still fail
        resumed = cli("sessions", "resume", session, env={"MOCKMLE_MEANING": "off", "OPENAI_BASE_URL": stub.base_url,
                                                          "OPENAI_API_KEY": "sk-test", "MOCKMLE_TIMEOUT": "5"})
        assert resumed.returncode == 0, resumed.stderr
        assert "every question was answered" in resumed.stdout and "Type your answer" not in resumed.stdout
        assert "question 2 was graded offline" in resumed.stdout
        record = json.loads(cli("sessions", "show", session, "--json").stdout)
        assert record["status"] == "finished" and all(turn["grade"] for turn in record["turns"])
    finally:
        stub.stop()


def json_text(body: dict) -> str:
    return json.dumps(body.get("messages", []))
