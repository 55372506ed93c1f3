"""What an interview will ask: the questions, in order, and how the interviewer runs them."""

from __future__ import annotations

import random
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mockmle.core.bank import Bank
from mockmle.errors import UsageError


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Plan(Model):
    stages: list[str]
    question_ids: list[str] = Field(min_length=1)
    seed: int | None = None
    time_per_question: int | None = Field(None, description="Seconds; a soft limit, never a cut-off.")
    max_follow_ups: int = Field(1, ge=0, le=3)
    interviewer: Literal["offline", "llm"] = Field(
        "offline", description="llm: the runner rewords follow-ups with a model, and the reverse stage gets company answers.")
    kind: Literal["interview", "drill"] = "interview"
    reasons: dict[str, str] = Field(default_factory=dict, description="Drill: why each question was chosen.")


def build_plan(
    bank: Bank,
    stages: list[str] | None = None,
    count: int = 5,
    seed: int | None = None,
    question_ids: list[str] | None = None,
    time_per_question: int | None = None,
    max_follow_ups: int = 1,
    interviewer: Literal["offline", "llm"] = "offline",
) -> Plan:
    """Sample `count` questions across the stages (round robin), or take the given ids in order."""
    if question_ids:
        questions = [bank.question(qid) for qid in question_ids]
        stage_order = list(dict.fromkeys(q.stage for q in questions))
        return Plan(stages=stage_order, question_ids=[q.id for q in questions], seed=seed,
                    time_per_question=time_per_question, max_follow_ups=max_follow_ups, interviewer=interviewer)
    stages = stages or ["screening"]
    if count < 1:
        raise UsageError("the number of questions must be at least 1")
    rng = random.Random(seed)
    pools = {}
    for stage_id in stages:
        bank.stage(stage_id)
        pool = [q.id for q in bank.questions_for(stage_id)]
        rng.shuffle(pool)
        pools[stage_id] = pool
    chosen: list[str] = []
    while len(chosen) < count and any(pools.values()):
        for stage_id in stages:
            if pools[stage_id] and len(chosen) < count:
                chosen.append(pools[stage_id].pop())
    if not chosen:
        raise UsageError(f"no questions in stage(s) {', '.join(stages)}")
    chosen.sort(key=lambda qid: (stages.index(bank.questions[qid].stage), bank.questions[qid].asked_last))
    return Plan(stages=stages, question_ids=chosen, seed=seed, time_per_question=time_per_question,
                max_follow_ups=max_follow_ups, interviewer=interviewer)
