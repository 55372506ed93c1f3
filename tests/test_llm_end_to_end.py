"""A whole scripted interview with `--judge llm` against the real llama.cpp server on 127.0.0.1.

The 270M base model rarely writes a valid judgement, so what this pins is the bookkeeping around
it: every call logged with tokens and prompt version, follow-ups streamed and worded by the model
(or the offline wording kept, with the reason), json_schema refused with a 500 and the judge
moving down to json_object, and each grade either the model's or an offline fallback that says so.
"""

from __future__ import annotations

import json

import pytest

from mockmle.store import open_db

pytestmark = pytest.mark.llm_server

ANSWERS = """Bagging trains many trees on bootstrap samples in parallel and averages them, which lowers variance.
---
I would compare against the current model offline first, then run a shadow deployment and an A/B test.
---
Boosting trains models one after another, each fixing the errors of the last, which lowers bias.
---
I would monitor the input distributions and the prediction distribution and alert on drift.
"""


def test_scripted_interview_with_the_llm_judge(cli, llama_server, tmp_path):
    answers = tmp_path / "answers.txt"
    answers.write_text(ANSWERS)
    env = {"OPENAI_BASE_URL": llama_server.base_url, "MOCKMLE_TIMEOUT": "240",
           # json_object replies from this server are grammar-constrained and slow; keep each one short.
           "MOCKMLE_JUDGE_MAX_TOKENS": "24"}
    result = cli("interview", "--judge", "llm", "--question-ids", "technical.bagging-vs-boosting,applied-ml.why-tests",
                 "--follow-ups", "1", "--answers-file", str(answers), "--json", env=env,
                 timeout=900)  # a shared 2-core CI machine can be many times slower than a quiet one
    assert result.returncode == 0, result.stderr
    session = json.loads(result.stdout)
    assert session["judge"] == f"llm:{llama_server.model}"

    db = open_db(cli.home / "mockmle.db")
    calls = list(db["llm_calls"].rows_where("session_id = ?", [session["session_id"]], order_by="id"))
    purposes = {c["purpose"] for c in calls}
    assert {"judge", "follow_up"} <= purposes
    assert all(c["model"] == llama_server.model and c["prompt_tokens"] > 0 and c["prompt_version"] for c in calls)
    assert all(c["latency_ms"] > 0 for c in calls)

    follow_ups = [c for c in calls if c["purpose"] == "follow_up"]
    assert follow_ups and all(c["streamed"] == 1 for c in follow_ups)
    # The server refuses json_schema with a 500; the judge goes on with json_object carrying the schema.
    judge_formats = [(c["response_format"], c["ok"], c["error"]) for c in calls if c["purpose"] == "judge"]
    assert judge_formats[0] == ("json_schema", 0, "server")
    assert ("json_object_schema", 1, None) in judge_formats
    assert sum(1 for f in judge_formats if f[0] == "json_schema") == 1  # remembered: not asked twice

    for turn in session["turns"]:
        grade = turn["grade"]
        assert grade is not None
        provenance = grade["provenance"]
        if provenance["fallback"]:
            assert provenance["judge"] == "offline" and provenance["fallback_reason"]
        else:
            assert provenance["judge"] == llama_server.model and provenance["prompt_version"]

    # Follow-ups: the model's wording was stored with its source, or the offline wording was kept.
    exchanges = [e for t in session["turns"] for e in t["exchanges"] if e["kind"] == "follow_up"]
    assert exchanges
    for exchange in exchanges:
        assert exchange["prompt"]
        if exchange.get("source"):
            assert exchange["source"] == llama_server.model and exchange["offline_prompt"]

    # Keys and settings never reach the stored session.
    assert "OPENAI" not in json.dumps(session)
    usage = session["llm_usage"]
    assert usage["calls"] == len(calls) and usage["prompt_tokens"] == sum(c["prompt_tokens"] for c in calls)
