"""The main answer counts: a follow-up adds evidence but cannot lift a weak main answer to the top band."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import play_session
from mockmle.app.runner import InterviewRunner
from mockmle.core.grading.main_answer import bound_by_main, main_band_note
from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader
from mockmle.core.interview import Answer, build_plan
from mockmle.reporting.session import session_markdown
from mockmle.tui.rendering import score_label

CALIBRATION = {row["id"]: row for row in map(json.loads, (Path(__file__).parent / "data" / "calibration.jsonl").open())}
STRONG_BAGGING = CALIBRATION["cal-006"]["answer"]
RAMBLE = "Ensembles are really popular, everyone uses them, they win competitions and they are in every library I know."


def test_a_strong_follow_up_after_a_weak_main_answer_is_held_below_the_top_band(services):
    plan = build_plan(services.bank, question_ids=["technical.bagging-vs-boosting"], max_follow_ups=1)
    runner = InterviewRunner.create(services, plan)
    runner.handle_grading(runner.start())
    runner.handle_grading(runner.send(Answer(text=RAMBLE, seconds=30)))
    assert runner.state.turns[0].exchanges[-1].kind == "follow_up"
    runner.handle_grading(runner.send(Answer(text=STRONG_BAGGING, seconds=60)))
    runner.report()
    record = services.store.get(runner.session_id)
    grade = record.grades[0]
    alone = OfflineGrader(services.bank).grade(GradeRequest(
        question_text="", question=services.bank.question("technical.bagging-vs-boosting"), answer=STRONG_BAGGING))
    assert alone.band == 4  # the follow-up answer on its own would be excellent
    assert grade.main_band is not None and grade.main_band <= 2 and grade.band == 3
    turn = record.state.turns[0]
    assert f"(main answer {grade.main_band}/4)" in score_label(turn, grade)
    assert f"Band 3/4 (main answer {grade.main_band}/4)" in session_markdown(record)


def test_a_strong_main_answer_keeps_its_band_and_shows_one_number(services):
    runner = play_session(services, ["technical.bagging-vs-boosting"], [STRONG_BAGGING])
    grade = services.store.get(runner.session_id).grades[0]
    assert grade.band == 4 and grade.main_band is None and main_band_note(grade) == ""


def test_bound_by_main_caps_only_the_top_band(services):
    grader = OfflineGrader(services.bank)
    question = services.bank.question("technical.bagging-vs-boosting")
    top = grader.grade(GradeRequest(question_text=question.prompt, question=question, answer=STRONG_BAGGING))
    assert bound_by_main(top, 2).band == 3 and bound_by_main(top, 3).band == 4
    assert all(score <= 3 for score in bound_by_main(top, 1).competencies.values())
