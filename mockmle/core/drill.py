"""Choosing a drill: questions that target what is due and what is weak, mixed with fresh ones."""

from __future__ import annotations

import random
from dataclasses import dataclass

from mockmle.core.bank import Bank


@dataclass(frozen=True)
class Target:
    """Something to practise, in priority order, with the questions that exercise it."""

    question_ids: list[str]
    reason: str


@dataclass(frozen=True)
class Pick:
    question_id: str
    reason: str


def fresh_share(count: int) -> int:
    """About a third of a drill is new material, so practice does not narrow to what already went badly."""
    return 0 if count < 2 else max(1, round(count / 3))


def choose_drill(bank: Bank, targets: list[Target], asked: set[str], count: int = 5, seed: int | None = None) -> list[Pick]:
    """Up to `count` questions: targeted ones first in priority order, then fresh ones near them.

    Returns nothing when there is nothing to target: a drill is practice on what went badly.
    """
    rng = random.Random(seed)
    targeted: list[Pick] = []
    quota = count - fresh_share(count)
    for target in targets:
        if len(targeted) >= quota:
            break
        chosen = {p.question_id for p in targeted}
        candidates = [qid for qid in target.question_ids if qid in bank.questions and qid not in chosen]
        if candidates:
            targeted.append(Pick(candidates[0], target.reason))
    if not targeted:
        return []
    picks = targeted + _fresh(bank, targeted, asked, count - len(targeted), rng)
    order = {stage_id: stage.order for stage_id, stage in bank.stages.items()}
    # One stage at a time (the interviewer introduces each once), closing questions last within it.
    return sorted(picks, key=lambda p: (order.get(bank.questions[p.question_id].stage, 100),
                                        bank.questions[p.question_id].asked_last))


def _fresh(bank: Bank, targeted: list[Pick], asked: set[str], wanted: int, rng: random.Random) -> list[Pick]:
    if wanted <= 0:
        return []
    taken = {p.question_id for p in targeted}
    near = [bank.questions[p.question_id] for p in targeted]
    competencies = {c for q in near for c in q.competencies}
    stages = {q.stage for q in near}
    pool = [q for q in bank.questions.values() if q.id not in taken and not q.asked_last]
    rng.shuffle(pool)

    def closeness(question) -> tuple[int, int, int]:
        shared = len(competencies & set(question.competencies))
        return (question.id in asked, -shared, question.stage not in stages)

    pool.sort(key=closeness)
    picks = []
    for question in pool[:wanted]:
        shared = [found.name for c in sorted(competencies & set(question.competencies))
                  if (found := bank.competency(question.stage, c))]
        if question.id in asked:
            reason = "another go at a question from your history"
        elif shared:
            reason = f"new question on the same skills ({', '.join(shared[:2])}{', …' if len(shared) > 2 else ''})"
        else:
            reason = "new question"
        picks.append(Pick(question.id, reason))
    return picks
