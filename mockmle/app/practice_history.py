"""What a practice session is compared with: the candidate's results before it, from the progress tables.

Read here, outside the core, and handed to `core.scorecard.build_report` as `Earlier`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from mockmle.app.progress_view import areas_are_candidates
from mockmle.core.bank import Bank
from mockmle.core.interview import InterviewState
from mockmle.core.practice import MAX_DUE, DueNext, Earlier, short

if TYPE_CHECKING:
    import sqlite_utils


def earlier_results(db: sqlite_utils.Database, bank: Bank, session_id: str, state: InterviewState) -> Earlier:
    """The last score of each of this session's questions and areas from other sessions started no later
    than this one, and what the schedule asks for next."""
    question_ids = sorted({turn.question_id for turn in state.turns})
    areas = sorted({area for qid in question_ids if (q := bank.questions.get(qid)) for area in q.areas})
    last: dict[tuple[str, str], float] = {}
    for kind, keys in (("question", question_ids), ("area", areas)):
        if not keys:
            continue
        marks = ", ".join("?" * len(keys))
        # SQLite fills the bare `e.value` from the row that holds max(e.at): the latest earlier result.
        for key, value, _ in db.execute(
                "select i.key, e.value, max(e.at) from progress_events e join progress_items i on i.id = e.item_id "
                f"where i.kind = ? and i.key in ({marks}) and e.session_id != ? "
                "and e.at <= (select created_at from sessions where id = ?) group by i.key",
                [kind, *keys, session_id, session_id]):
            last[(kind, key)] = value
    return Earlier(questions={key: value * 4 for (kind, key), value in last.items() if kind == "question"},
                   areas={key: value for (kind, key), value in last.items() if kind == "area"},
                   due=due_next(db, bank))


def due_next(db: sqlite_utils.Database, bank: Bank, limit: int = MAX_DUE) -> list[DueNext]:
    """The questions and areas the schedule brings back soonest."""
    out: list[DueNext] = []
    for kind, key, due_at, questions in db.execute(
            "select kind, key, due_at, questions from progress_items where kind in ('question', 'area') "
            "and due_at is not null and n > 0 order by due_at, last_value, kind, key"):
        if kind == "question":
            if (question := bank.questions.get(key)) is None:
                continue
            label = short(question.prompt, 60)
        else:
            if not areas_are_candidates(bank, json.loads(questions or "[]")):
                continue
            label = f"area: {key}"
        out.append(DueNext(label=label, due_at=due_at))
        if len(out) == limit:
            break
    return out
