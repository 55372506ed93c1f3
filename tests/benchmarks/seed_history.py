"""Fill a data home with a long, realistic history: `python tests/benchmarks/seed_history.py HOME [SESSIONS]`.

Each session is a real interview played through the engine and saved through the real store
(5 questions from one stage, graded by the offline judge), spread over two years. Grades come
from a pool of strong, partial and weak answers graded once, so seeding stays quick.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mockmle.app.services import Services
from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader
from mockmle.core.interview import Answer, Start, build_plan
from mockmle.core.scorecard import turn_score
from mockmle.settings import Settings
from mockmle.store import open_db
from mockmle.store.sessions import SessionStore

START = datetime(2024, 11, 1, 8, 0, tzinfo=UTC)
SPAN = timedelta(days=730)


def _answer_pool(services: Services) -> dict[str, list[tuple[str, object]]]:
    grader = OfflineGrader(services.bank)
    pool = {}
    for question in services.bank.questions.values():
        answers = [" ".join(question.key_points), ". ".join(question.areas[:2]), "I'm not sure; I would try a few things."]
        pool[question.id] = [(text, grader.grade(GradeRequest(question_text=question.prompt, question=question, answer=text)))
                             for text in answers]
    return pool


def seed(home: Path, sessions: int, answers_per_session: int = 5, seed_value: int = 7) -> Services:
    services = Services(Settings(home=home))
    now = [START]
    store = SessionStore(open_db(services.settings.db_path), clock=lambda: now[0].isoformat(timespec="seconds"))
    services.store = store
    store.progress._refresh = False  # one rebuild at the end instead of one refresh per answer
    rng = random.Random(seed_value)
    pool = _answer_pool(services)
    stages = [s for s in services.bank.stages if len(services.bank.questions_for(s)) >= answers_per_session]
    with store.db.atomic():
        for i in range(sessions):
            now[0] = START + SPAN * i / sessions
            plan = build_plan(services.bank, stages=[rng.choice(stages)], count=answers_per_session,
                              seed=rng.randrange(1 << 30), max_follow_ups=0)
            state = services.interview.new(plan)
            session_id = store.create(state, judge="offline")
            state, _ = services.interview.transition(state, Start())
            grades = {}
            for turn_index in range(answers_per_session):
                question_id = plan.question_ids[turn_index]
                text, grade = rng.choices(pool[question_id], weights=(5, 3, 2))[0]
                state, _ = services.interview.transition(state, Answer(text=text, seconds=60.0))
                grades[turn_index] = grade
            store.save_state(session_id, state)
            for position, grade in grades.items():
                store.save_grade(session_id, position, grade, turn_score(state.turns[position], grade))
    store.progress.rebuild()
    store.progress._refresh = True
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # so the size measured is the database's, not its log's
    return services


if __name__ == "__main__":
    target = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    began = time.perf_counter()
    seed(target, count)
    print(f"seeded {count} sessions into {target} in {time.perf_counter() - began:.1f} s")
