"""The scorecard's numbers, the practice summary of drills and reverse practice, and evidence quotes."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
from rich.console import Console

from conftest import play_session
from mockmle.app.practice_history import earlier_results
from mockmle.app.runner import InterviewRunner
from mockmle.app.services import Services
from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader
from mockmle.core.interview import build_plan
from mockmle.core.practice import DueNext, Earlier
from mockmle.core.scorecard import build_report, is_practice
from mockmle.settings import Settings
from mockmle.store import open_db
from mockmle.store.sessions import SessionStore
from mockmle.tui.rendering import answer_card

ONE_SENTENCE = ("Bagging trains many deep trees independently on bootstrap samples and averages their votes, which mainly "
                "cuts variance, while boosting fits shallow trees one after another to the residuals of the ensemble so "
                "far, which mainly cuts bias, and boosting needs early stopping and a small learning rate because it can "
                "overfit.")
BAGGING = "technical.bagging-vs-boosting"
OVERFITTING = "technical.overfitting-underfitting"
GOOD_OVERFITTING = ("Overfitting is when the model memorises noise in the training data, so training error is low but "
                    "validation error is high. I detect it with a held-out validation set and learning curves, and fix it "
                    "with regularisation, more data, simpler models or early stopping. Underfitting is high error on both, "
                    "fixed with more capacity or better features.")


class Clock:
    def __init__(self) -> None:
        self.days = itertools.count(1)
        self.now = ""

    def tick(self) -> None:
        self.now = f"2026-10-{next(self.days):02d}T09:00:00+00:00"

    def __call__(self) -> str:
        return self.now


@pytest.fixture
def services(tmp_path: Path) -> Services:
    """A store whose clock moves a day per session, and ids s1, s2, …"""
    services = Services(Settings(home=tmp_path / "home"))
    services.clock = Clock()
    ids = (f"s{n}" for n in itertools.count(1))
    services.store = SessionStore(open_db(services.settings.db_path), clock=services.clock, new_id=lambda: next(ids))
    return services


def play(services: Services, question_ids: list[str], answers: list[str | None], kind: str = "interview") -> InterviewRunner:
    services.clock.tick()
    return play_session(services, question_ids, answers, kind)


def grade(bank, question_id: str, answer: str):
    question = bank.question(question_id)
    return OfflineGrader(bank).grade(GradeRequest(question_text=question.prompt, question=question, answer=answer))


# -- evidence quotes


def test_evidence_quotes_the_clause_that_shows_each_area_not_the_whole_sentence(bank):
    quotes = [area.evidence for area in grade(bank, BAGGING, ONE_SENTENCE).areas if area.status != "missed"]
    assert len(quotes) >= 3
    assert all(quote in ONE_SENTENCE and len(quote.split()) < len(ONE_SENTENCE.split()) / 2 for quote in quotes)
    assert len(set(quotes)) >= 3
    assert "which mainly cuts variance" in quotes


def test_a_card_shows_a_quote_once_and_points_back_to_it(bank):
    from mockmle.core.interview import Exchange, Turn

    graded = grade(bank, BAGGING, ONE_SENTENCE)
    turn = Turn(position=0, question_id=BAGGING, status="answered",
                exchanges=[Exchange(kind="question", prompt="Bagging or boosting?", answer=ONE_SENTENCE)])
    console = Console(width=300, file=io.StringIO(), record=True)
    console.print(answer_card(turn, graded))
    areas = console.export_text().split("Areas to cover")[1].split("Checks")[0]
    repeated = [a.evidence for a in graded.areas if a.evidence]
    assert len(repeated) > len(set(repeated))  # this answer quotes one clause for several areas
    for quote in set(repeated):
        assert areas.count(f'"{quote}"') == 1
    assert areas.count("same quote as above") == len(repeated) - len(set(repeated))


# -- one number per competency


def test_reasons_and_rows_give_the_mean_with_one_decimal(services):
    runner = play(services, [BAGGING, OVERFITTING, "technical.bias-variance"], [ONE_SENTENCE, GOOD_OVERFITTING, None])
    report = runner.report()
    rows = [row for card in report.scorecards for row in card.competencies if row.mean is not None]
    assert rows and all(row.shown == f"{row.mean:.1f}" for row in rows)
    reasons = " ".join(report.recommendation.reasons)
    strongest = max(rows, key=lambda r: r.mean)
    weakest = min(rows, key=lambda r: r.mean)
    assert f"Strongest: {strongest.name} ({strongest.shown} of 4)." in reasons
    assert f"Weakest: {weakest.name} ({weakest.shown} of 4)." in reasons
    assert f"({strongest.score}:" not in reasons  # the rounded level is no longer a second number


def test_equal_competencies_are_neither_strongest_nor_weakest(services):
    report = play(services, [OVERFITTING], [GOOD_OVERFITTING]).report()
    means = {row.mean for card in report.scorecards for row in card.competencies if row.mean is not None}
    assert len(means) == 1
    assert not any(r.startswith(("Strongest", "Weakest")) for r in report.recommendation.reasons)


# -- practice sessions


def test_which_sessions_are_practice(bank):
    def plan(*question_ids, kind="interview"):
        return build_plan(bank, question_ids=list(question_ids)).model_copy(update={"kind": kind})

    assert is_practice(bank, plan(BAGGING, kind="drill"))
    assert is_practice(bank, plan("reverse.mlops-maturity", "reverse.data"))
    assert not is_practice(bank, plan(BAGGING))
    assert not is_practice(bank, plan(BAGGING, "reverse.data"))  # a full loop ending with the reverse stage


def test_practice_summary_compares_with_what_was_passed_in(services, bank):
    runner = play(services, [BAGGING, OVERFITTING], [ONE_SENTENCE, "Overfitting is bad."], kind="drill")
    area = next(a for a in runner.grades[0].areas if a.status == "covered").area
    missed = next(a for a in runner.grades[1].areas if a.status == "missed").area
    earlier = Earlier(questions={BAGGING: 0.0, OVERFITTING: 3.0}, areas={area: 0.0, missed: 0.0},
                      due=[DueNext(label="area: drift", due_at="2026-10-09T00:00:00+00:00")])
    report = build_report(bank, runner.state, runner.grades, earlier)
    practice = report.practice
    assert report.recommendation is None and practice is not None and practice.kind == "drill"
    score = runner.grades[0].band
    assert any(c.kind == "question" and c.before == 0 and c.now == score for c in practice.improved)
    assert any(c.kind == "area" and c.label == area and c.text.endswith("missed \u2192 covered") for c in practice.improved)
    assert any(item.startswith("Q2 ") and item.endswith(", was 3/4") for item in practice.still_weak)
    assert f"{missed}: missed again" in practice.still_weak
    assert dict(practice.lines())["Due next"] == ["area: drift (due 2026-10-09)"]
    first_time = build_report(bank, runner.state, runner.grades, Earlier()).practice
    assert first_time.improved == [] and first_time.compared == 0
    assert dict(first_time.lines())["Improved since last time"] == [
        "First time on these questions: nothing earlier to compare with."]


def test_earlier_results_are_the_last_ones_before_the_session_from_the_progress_tables(services):
    play(services, [OVERFITTING], ["Overfitting is bad."])  # s1: weak
    play(services, [OVERFITTING], [GOOD_OVERFITTING])  # s2: better
    drill = play(services, [OVERFITTING, BAGGING], [GOOD_OVERFITTING, ONE_SENTENCE], kind="drill")  # s3
    play(services, [OVERFITTING], ["Overfitting is bad."])  # s4, later: not part of s3's past
    earlier = earlier_results(services.store.db, services.bank, drill.session_id, drill.state)
    s2 = services.store.get("s2")
    assert earlier.questions == {OVERFITTING: float(s2.grades[0].band)}  # the last earlier score; bagging never asked
    assert earlier.areas == {a.area: {"covered": 1.0, "partly": 0.5, "missed": 0.0}[a.status] for a in s2.grades[0].areas}
    assert earlier.due and all(d.due_at for d in earlier.due)
    saved = services.store.get(drill.session_id).report.practice
    assert saved is not None and saved.compared == 1


def test_improve_first_lists_misconceptions_then_the_weakest_answers_without_repeating_its_heading(bank):
    from conftest import grade_turns_offline
    from mockmle.core.debrief import top_fixes
    from mockmle.core.interview import Answer, Interview, Skip, Start, build_plan
    from mockmle.core.phrasebook import Phrasebook
    from mockmle.resources import data_dir

    engine = Interview(bank, Phrasebook.load(data_dir("prompts") / "offline_interviewer.toml"))
    plan = build_plan(bank, question_ids=["technical.bagging-vs-boosting", "technical.learning-paradigms",
                                          "technical.gradient-descent"], max_follow_ups=0)
    state, _ = engine.transition(engine.new(plan), Start())
    wrong = "Bagging mainly reduces bias of the model. Boosting mainly reduces variance of the model."
    state, _ = engine.transition(state, Answer(text=wrong))
    state, _ = engine.transition(state, Answer(text="Not sure, I don't know."))
    state, _ = engine.transition(state, Skip())
    fixes = top_fixes(state, grade_turns_offline(bank, state))
    assert fixes[0].startswith("Q1: correct the misconception") and "Bagging mainly reduces bias" in fixes[0]
    assert len(fixes) == 3 and any(f.startswith("Q3 was skipped") for f in fixes)
    assert not any("Fix this first" in f for f in fixes)


def test_the_debrief_names_a_weakest_answer_only_when_one_scored_lower(bank):
    from conftest import grade_turns_offline
    from mockmle.core.interview import Answer, Interview, Start
    from mockmle.core.phrasebook import Phrasebook
    from mockmle.resources import data_dir

    engine = Interview(bank, Phrasebook.load(data_dir("prompts") / "offline_interviewer.toml"))

    def debrief(*answers: str):
        ids = ["technical.overfitting-underfitting", "technical.bias-variance"][:len(answers)]
        state, _ = engine.transition(engine.new(build_plan(bank, question_ids=ids, max_follow_ups=0)), Start())
        for text in answers:
            state, _ = engine.transition(state, Answer(text=text))
        return build_report(bank, state, grade_turns_offline(bank, state)).debrief

    one = debrief(GOOD_OVERFITTING)
    assert one.strongest is not None and one.weakest is None
    two = debrief(GOOD_OVERFITTING, "No idea.")
    assert two.strongest.position == 0 and two.weakest.position == 1
