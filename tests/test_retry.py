"""Try again: a new take of an answered question, graded the same way and set beside the first (app/retry.py), with a
real SQLite data home and the offline judge."""

from __future__ import annotations

import pytest

from conftest import play_session
from mockmle.app.retry import Retry, retry, tried_again
from mockmle.app.services import Services
from mockmle.core.grading.models import AreaResult, Grade, Provenance
from mockmle.core.retry import compare
from mockmle.errors import UsageError
from mockmle.settings import Settings

BIAS = "technical.bias-variance"
WHY_TESTS = "applied-ml.why-tests"
WEAK = "Bias and variance are both kinds of error a model can have."
STRONG = ("Bias is error from wrong assumptions, so the model underfits; variance is sensitivity to the training "
          "sample, so it overfits. More capacity lowers bias and raises variance. I would compare training and "
          "validation error: both high means bias, a large gap means variance, and I would regularise, add data or "
          "simplify the model accordingly.")


@pytest.fixture
def services(tmp_path):
    return Services(Settings(home=tmp_path / "home", meaning=False))


def question_events(services, question_id: str) -> list[tuple[str, float]]:
    return services.store.db.execute(
        "select e.at, e.value from progress_events e join progress_items i on i.id = e.item_id "
        "where i.kind = 'question' and i.key = ? order by e.at", [question_id]).fetchall()


def test_a_new_take_is_graded_kept_beside_the_first_and_counted_in_progress(services):
    session = play_session(services, [BIAS, WHY_TESTS], [WEAK, None]).session_id
    before = services.store.get(session)

    result = retry(services, session[:4], 1, STRONG)

    assert (result.session_id, result.number, result.attempt) == (session, 1, 2)
    assert result.first == before.grades[0] and result.now.band > result.first.band
    assert result.comparison.headline.startswith(f"Band then {result.first.band}/4 \u2192 now {result.now.band}/4")
    newly = result.comparison.of("newly covered")
    assert newly and all(point.now != "missed" and point.before != "covered" for point in newly)
    assert {p.kind for p in result.comparison.points} == {"area", "key point"}
    after = services.store.get(session)
    assert after.grades == before.grades and after.report == before.report  # the interview's scorecard stays
    assert after.state.turns[0].exchanges[0].answer == WEAK
    (attempt,) = services.store.attempts.list(session)
    assert (attempt.position, attempt.attempt, attempt.answer, attempt.grade) == (0, 2, STRONG, result.now)
    events = question_events(services, BIAS)
    assert [value for _, value in events] == [before.grades[0].band / 4, result.now.band / 4]
    assert events[1][0] == attempt.created_at > events[0][0]  # a second apart at least, even within one second
    assert services.store.db.execute("select n from progress_items where kind = 'question' and key = ?",
                                     [BIAS]).fetchone()[0] == 2
    assert tried_again(services, after) == [
        f"Q1 Explain the bias-variance tradeoff and how it\u2026: first take {result.first.band}/4 \u2192 take 2 "
        f"{result.now.band}/4"]


def test_takes_are_numbered_and_grading_the_first_again_keeps_them(services):
    runner = play_session(services, [BIAS], [WEAK])
    retry(services, runner.session_id, 1, STRONG)
    assert retry(services, runner.session_id, 1, WEAK).attempt == 3
    runner.record_grade(0, runner.grades[0])  # a second opinion saves the first take's grade again
    assert len(question_events(services, BIAS)) == 3

    services.delete_session(runner.session_id)
    assert services.store.db.execute("select count(*) from attempts").fetchone()[0] == 0
    assert question_events(services, BIAS) == []


def test_only_a_graded_answer_can_be_tried_again(services):
    session = play_session(services, [BIAS, WHY_TESTS], [WEAK, None]).session_id
    with pytest.raises(UsageError, match=r"has no question 3 \(it has questions 1-2\)"):
        Retry(services, session, 3)
    with pytest.raises(UsageError, match="question 2 of session .* was skipped"):
        Retry(services, session, 2)
    with pytest.raises(UsageError, match="no session 'nope'"):
        Retry(services, "nope", 1)
    with pytest.raises(UsageError, match="empty"):
        retry(services, session, 1, "  \n")
    assert services.store.db.execute("select count(*) from attempts").fetchone()[0] == 0


def grade(band: int, areas: dict[str, str], points: dict[str, str] | None = None) -> Grade:
    return Grade(band=band, areas=[AreaResult.model_validate({"area": a, "status": s}) for a, s in areas.items()],
                 key_points=[AreaResult.model_validate({"area": a, "status": s}) for a, s in (points or {}).items()],
                 provenance=Provenance(judge="offline", judge_version="1", rubric_version="1"))


def test_each_area_and_key_point_is_newly_covered_still_missing_lost_or_kept():
    first = grade(1, {"a": "missed", "b": "partly", "c": "covered", "d": "covered", "e": "missed"}, {"k": "missed"})
    now = grade(3, {"a": "covered", "b": "partly", "c": "partly", "d": "covered", "e": "partly"}, {"k": "missed"})
    comparison = compare(first, now)
    assert {p.name: p.change for p in comparison.points} == {
        "a": "newly covered", "b": "still missing", "c": "lost", "d": "kept", "e": "newly covered", "k": "still missing"}
    assert comparison.headline == "Band then 1/4 \u2192 now 3/4 (+2)"
    lines = dict(comparison.lines())
    assert lines["Newly covered"] == ["area: a (missed \u2192 covered)", "area: e (missed \u2192 partly)"]
    assert lines["Lost"] == ["area: c (covered \u2192 partly)"]
    assert lines["Still missing"] == ["area: b (partly)", "key point: k (missed)"]
