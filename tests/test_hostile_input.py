"""Bad and hostile input at the command line: one line on stderr and a non-zero exit, never a traceback or a hang.

Each case runs the real `python -m mockmle` with a temporary data home.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mockmle.core.safe_text import typed


def run_cli(home, cwd, argv, env=None, stdin: bytes = b"", timeout: float = 30) -> tuple[int, str, str]:
    """`python -m mockmle ARGV` with `home` as its data home; stdin and the outputs as bytes, decoded leniently."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKMLE_", "OPENAI_"))}
    full_env.update({"MOCKMLE_HOME": str(home), **(env or {})})
    result = subprocess.run([sys.executable, "-m", "mockmle", *argv], capture_output=True, input=stdin,
                            env=full_env, cwd=cwd, timeout=timeout)
    return result.returncode, result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")


def _config(home, data: bytes) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_bytes(data)


def _config_dir(home) -> None:
    (home / "config.toml").mkdir(parents=True)


def _batch(tmp_path, row: str) -> str:
    path = tmp_path / "in.jsonl"
    path.write_text(row + "\n", encoding="utf-8")
    return str(path)


def _nested_pack(tmp_path, opening: str, closing: str) -> str:
    path = tmp_path / "deep.toml"
    path.write_text(f"[[questions]]\nid = {opening * 5000}1{closing * 5000}\n", encoding="utf-8")
    return str(path)


def _fifo(tmp_path) -> str:
    path = tmp_path / "pack.toml"
    os.mkfifo(path)
    return str(path)


# (name, prepare(tmp_path, home) -> argv, environment, words the line should hold)
CASES = [
    ("config not UTF-8", lambda tmp, home: (_config(home, b'[llm]\nmodel = "\xff\xfe"\n'), ["doctor"])[1], {},
     "not UTF-8"),
    ("config is a directory", lambda tmp, home: (_config_dir(home), ["doctor"])[1], {}, "not a regular file"),
    ("timeout nan", lambda tmp, home: ["doctor"], {"MOCKMLE_TIMEOUT": "nan"}, "MOCKMLE_TIMEOUT"),
    ("timeout inf in the file", lambda tmp, home: (_config(home, b"[llm]\ntimeout = inf\n"), ["doctor"])[1], {},
     "llm.timeout"),
    ("temperature 99", lambda tmp, home: ["doctor"], {"MOCKMLE_TEMPERATURE": "99"}, "MOCKMLE_TEMPERATURE"),
    ("judge max tokens -5", lambda tmp, home: ["doctor"], {"MOCKMLE_JUDGE_MAX_TOKENS": "-5"}, "MOCKMLE_JUDGE_MAX_TOKENS"),
    ("batch reference a number", lambda tmp, home: ["grade", "--batch", _batch(
        tmp, '{"question": "How would you shard an index?", "answer": "By id.", "reference": 5}')], {}, "reference"),
    ("batch reference a list", lambda tmp, home: ["grade", "--batch", _batch(
        tmp, '{"question": "How would you shard an index?", "answer": "By id.", "reference": ["a"]}')], {}, "reference"),
    ("batch answer with a lone surrogate", lambda tmp, home: ["grade", "--batch", _batch(
        tmp, json.dumps({"question_id": "technical.bias-variance",
                         "answer": "Bias is systematic error \ud800 and variance is sensitivity to the sample."}))],
     {}, "surrogate"),
    ("answer on stdin not UTF-8", lambda tmp, home: ["grade", "--question-id", "technical.bias-variance",
                                                     "--answer-file", "-"], {}, "not UTF-8"),
    ("deeply nested arrays", lambda tmp, home: ["bank", "validate", _nested_pack(tmp, "[", "]")], {}, "nested"),
    ("deeply nested tables", lambda tmp, home: ["bank", "validate", _nested_pack(tmp, "{a = ", "}")], {}, "nested"),
    ("a FIFO as a pack", lambda tmp, home: ["bank", "validate", _fifo(tmp)], {}, "not a regular file"),
]


@pytest.mark.parametrize("name, prepare, env, words", CASES, ids=[c[0] for c in CASES])
def test_hostile_input_is_one_line_and_a_non_zero_exit(tmp_path, name, prepare, env, words):
    home = tmp_path / "home"
    argv = prepare(tmp_path, home)
    stdin = b"Bias is \xff\xfe systematic error." if name == "answer on stdin not UTF-8" else b""
    code, stdout, stderr = run_cli(home, tmp_path, argv, env, stdin)
    assert code != 0, (name, stdout)
    assert "Traceback" not in stderr, stderr
    assert len(stderr.splitlines()) == 1 and stderr.startswith("mockmle: error:"), stderr
    assert words in stderr, stderr


# -- what reaches a terminal: escape sequences in an answer are shown, never obeyed

ESCAPES = ("Bias is systematic error from wrong assumptions\x1b]0;pwned\x07 and variance\x1b[2J is sensitivity"
           "\x9b31m to the training sample\u202e; more complex models trade one for the other.")
CONTROL = ("\x1b", "\x07", "\x9b", "\u202e")


def test_control_characters_in_an_answer_never_reach_the_terminal(tmp_path):
    home = tmp_path / "home"
    answers = tmp_path / "answers.txt"
    answers.write_text(ESCAPES + "\n", encoding="utf-8")
    code, out, err = run_cli(home, tmp_path, ["interview", "--question-ids", "technical.bias-variance",
                                              "--follow-ups", "0", "--answers-file", str(answers), "--json"])
    assert code == 0, err
    session_id = json.loads(out)["session_id"]
    stored = json.loads(out)["turns"][0]["exchanges"][0]["answer"]  # JSON stays valid
    assert stored == typed(ESCAPES) and "\x1b" not in stored  # escape sequences are never stored; bidi marks are
    printed = [out]
    for argv in (["sessions", "show", session_id], ["report", "--session", session_id, "--format", "md", "--output", "-"],
                 ["progress"], ["grade", "--question-id", "technical.bias-variance", "--answer-file", str(answers)]):
        code, out, err = run_cli(home, tmp_path, argv)
        assert code == 0, (argv, err)
        printed.append(out)
    assert "assumptions]0;pwned" in printed[1] and "\\u202e" in printed[1]  # shown, spelled out
    for out in printed:
        assert not any(char in out for char in CONTROL), out


# -- credentials inside OPENAI_BASE_URL are redacted wherever the key is

def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_credentials_in_the_base_url_appear_in_no_output_row_or_export(tmp_path):
    import sqlite3

    home = tmp_path / "home"
    secrets = ("alice-SECRET-user", "pw-SECRET-1", "apikey-SECRET-2", "tok-SECRET-3", "k-SECRET-4")
    base_url = (f"http://{secrets[0]}:{secrets[1]}@127.0.0.1:{_closed_port()}/v1"
                f"?api-key={secrets[2]}&access_token={secrets[3]}&key={secrets[4]}")
    env = {"OPENAI_BASE_URL": base_url, "MOCKMLE_MODEL": "m", "MOCKMLE_TIMEOUT": "2", "MOCKMLE_DEADLINE": "4"}
    answers = tmp_path / "answers.txt"
    answers.write_text("Bias is systematic error; variance is sensitivity to the training sample.\n")
    outputs = []
    code, out, err = run_cli(home, tmp_path, ["doctor"], env)
    assert code == 1 and "127.0.0.1" in out, out + err  # the server check fails, and says where
    outputs += [out, err]
    code, out, err = run_cli(home, tmp_path, ["interview", "--question-ids", "technical.bias-variance", "--follow-ups", "0",
                                              "--answers-file", str(answers), "--json"], env, timeout=60)
    assert code == 0, err
    session_id = json.loads(out)["session_id"]
    assert json.loads(out)["turns"][0]["grade"]["provenance"]["fallback"]  # graded offline, with a reason
    outputs += [out, err]
    for argv in (["sessions", "show", session_id], ["sessions", "export", session_id],
                 ["sessions", "export", session_id, "--format", "json"], ["report", "--session", session_id]):
        code, out, err = run_cli(home, tmp_path, argv, env)
        assert code == 0, (argv, err)
        outputs += [out, err]
    files = [path.read_text(encoding="utf-8") for path in home.rglob("*") if path.suffix in (".md", ".json", ".html")]
    assert len(files) == 3
    with sqlite3.connect(home / "mockmle.db") as db:
        tables = [name for (name,) in db.execute("select name from sqlite_master where type = 'table'")]
        rows = [repr(row) for table in tables for row in db.execute(f'select * from "{table}"')]
    for text in outputs + files + rows:
        assert "SECRET" not in text, text
