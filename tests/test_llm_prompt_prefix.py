"""The judge's requests start with what is the same for every answer, so servers can reuse the cached prefix.

llama.cpp, vLLM and hosted APIs reuse the work done on a prompt's longest previously seen prefix.
Two judge requests for different questions and answers must therefore share the whole system
message, including the schema instructions on the rungs where the server does not enforce the
schema, and the answer must come last.
"""

from __future__ import annotations

import json

import pytest

from mockmle.core.grading.models import GradeRequest
from mockmle.core.tokens import TokenCounter
from mockmle.llm.client import ChatClient
from mockmle.llm.judge import LLMGrader
from mockmle.llm.prompts import candidate_block
from mockmle.resources import data_dir
from mockmle.settings import LLMConfig
from openai_stub import OpenAIStub, Reply

ANSWERS = {
    "technical.bagging-vs-boosting": "Bagging trains models in parallel on bootstrap samples and mostly cuts variance; "
                                     "boosting fits learners one after another to the errors so far and mostly cuts bias.",
    "applied-ml.data-quality": "I would check the label distribution against last month, look for duplicated rows "
                               "and for features that leak the target, then fix the pipeline that produced them.",
}

# What each rung of the structured-output ladder needs from the server: the rungs before it are refused.
RUNGS = {
    "json_object_schema": lambda fmt: fmt.get("type") == "json_schema",
    "json_object": lambda fmt: fmt.get("type") == "json_schema" or "schema" in fmt,
    "text": lambda fmt: bool(fmt),
}


@pytest.fixture(scope="module")
def stub():
    server = OpenAIStub().start()
    yield server
    server.stop()


@pytest.mark.parametrize("rung", list(RUNGS))
def test_two_judge_requests_share_everything_before_the_question(stub, bank, tmp_path, rung):
    refused = RUNGS[rung]
    stub.requests.clear()
    stub.handler = lambda body: (Reply.error(400, "format not supported") if refused(body.get("response_format") or {})
                                 else Reply(content="not json"))  # the judge falls back; only the requests matter
    client = ChatClient(LLMConfig(api_key="sk-test", base_url=stub.base_url, timeout=5, max_retries=0),
                        TokenCounter(tmp_path, data_dir("tokenizers")))
    grader = LLMGrader(client, bank)
    for question_id, answer in ANSWERS.items():
        question = bank.question(question_id)
        grader.grade(GradeRequest(question_text=question.prompt, question=question, answer=answer))

    sent = [r for r in stub.chat_requests() if not refused(r.get("response_format") or {})]
    first, second = sent[0]["messages"], sent[2]["messages"]  # the first request for each answer, on this rung
    assert len(sent) == 4  # each answer: the reply, then the corrective retry
    assert first[0]["role"] == "system" and first[0] == second[0]  # the whole system message is shared
    if rung == "json_object_schema":
        assert '"band"' not in json.dumps(first)  # the server enforces the schema: it stays out of the prompt
    else:
        assert '"band"' in first[0]["content"] and "JSON schema" in first[0]["content"]
        assert '"band"' not in first[-1]["content"]
    prefix = _common_prefix(json.dumps(first), json.dumps(second))
    assert prefix > len(json.dumps(first[0]))  # and the user turn's opening too, up to the question
    for messages, answer in zip((first, second), ANSWERS.values(), strict=True):
        assert messages[-1]["content"].endswith(candidate_block(answer))  # the answer comes last


def _common_prefix(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
