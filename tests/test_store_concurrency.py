"""Two writers and a reader on one data home, as real processes on one real SQLite file.

Before writes took the lock when their transaction began, a writer that had read first died with
"database is locked" as soon as the other one committed (30 of 130 CLI runs in the issue's loop).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from mockmle.core.interview import Answer, Skip, build_plan
    from mockmle.app.runner import InterviewRunner
    from mockmle.app.services import Services
    from mockmle.settings import Settings

    services = Services(Settings(home=Path(sys.argv[1]), meaning=False))
    ids = ["technical.overfitting-underfitting", "technical.bagging-vs-boosting", "screening.background"]
    answers = ["Overfitting: the model fits noise; validation loss rises while training loss falls.",
               None, "I like shipping models that people use, and measuring whether they help."]
    for round in range(int(sys.argv[2])):
        plan = build_plan(services.bank, question_ids=ids, max_follow_ups=0)
        runner = InterviewRunner.create(services, plan)
        runner.handle_grading(runner.start())
        for answer in answers:
            runner.handle_grading(runner.send(Skip() if answer is None else Answer(text=answer, seconds=20)))
        runner.report()
""")

READER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from mockmle.app.progress_view import build_progress
    from mockmle.app.reports import render_report
    from mockmle.app.services import Services
    from mockmle.settings import Settings

    for _ in range(int(sys.argv[2])):
        services = Services(Settings(home=Path(sys.argv[1]), meaning=False))
        services.store.list()
        build_progress(services.store.progress, services.bank)
        render_report(services, "md")
        services.store.db.conn.close()
""")


def _spawn(code: str, home, rounds: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKMLE_", "OPENAI_"))}
    return subprocess.Popen([sys.executable, "-c", code, str(home), str(rounds)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_writers_and_a_reader_on_one_home_all_finish(tmp_path):
    home = tmp_path / "home"
    rounds = 12
    processes = [_spawn(WRITER, home, rounds), _spawn(WRITER, home, rounds), _spawn(READER, home, rounds)]
    results = []
    for process in processes:
        try:
            out, err = process.communicate(timeout=240)
        except subprocess.TimeoutExpired:
            for p in processes:
                p.kill()
            pytest.fail("a process on the shared data home did not finish in 240 s")
        results.append((process.returncode, err))
    assert [(code, err.strip().splitlines()[-1:] if err.strip() else []) for code, err in results] == [(0, [])] * 3

    db = sqlite3.connect(home / "mockmle.db")
    assert db.execute("select status, count(*) from sessions group by status").fetchall() == [("finished", 2 * rounds)]
    assert db.execute("select count(*) from turns t left join grades g using (session_id, position) "
                      "where t.status = 'answered' and g.band is null").fetchone() == (0,)
    assert db.execute("pragma integrity_check").fetchone() == ("ok",)
