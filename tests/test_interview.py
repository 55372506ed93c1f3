"""The interview state machine, driven directly with events."""

import pytest

from mockmle.core.interview import (
    Answer, Ask, End, Finished, GradeTurn, Hint, Interview, Repeat, ShowHint, Skip, Start, build_plan,
)
from mockmle.core.phrasebook import Phrasebook
from mockmle.errors import UsageError
from mockmle.resources import data_dir

STRONG_BAGGING = (
    "Bagging trains many models independently and in parallel on bootstrap samples, then averages or votes, "
    "which mainly reduces variance. Boosting trains models sequentially, each fitting the residual errors of the "
    "ensemble so far, which mainly reduces bias. Random forest is bagging with feature subsampling; gradient "
    "boosting and XGBoost are boosting. Boosting can overfit noisy labels, so it needs a small learning rate, "
    "shallow trees and early stopping. Bagging is cheap to parallelise; boosting is sequential and slower to train. "
    "Predictions are combined by averaging for regression or a majority vote for classification. Typical base "
    "learners are deep trees for bagging and shallow stumps for boosting."
)


@pytest.fixture(scope="module")
def engine(bank):
    return Interview(bank, Phrasebook.load(data_dir("prompts") / "offline_interviewer.toml"))


def start(engine, bank, ids, follow_ups=1):
    state = engine.new(build_plan(bank, question_ids=ids, max_follow_ups=follow_ups))
    return engine.transition(state, Start())


def test_plan_is_reproducible_with_a_seed_and_respects_count(bank):
    first = build_plan(bank, stages=["technical"], count=4, seed=7)
    again = build_plan(bank, stages=["technical"], count=4, seed=7)
    other = build_plan(bank, stages=["technical"], count=4, seed=8)
    assert first.question_ids == again.question_ids
    assert len(first.question_ids) == 4 == len(set(first.question_ids))
    assert all(q.startswith("technical.") for q in first.question_ids)
    assert first.question_ids != other.question_ids or first.question_ids != sorted(first.question_ids)


def test_plan_across_stages_round_robins_and_orders_by_stage(bank):
    plan = build_plan(bank, stages=["screening", "technical"], count=4, seed=1)
    stages = [q.split(".")[0] for q in plan.question_ids]
    assert stages == ["screening", "screening", "technical", "technical"]


def test_plan_rejects_unknown_stage_and_question(bank):
    with pytest.raises(UsageError, match="unknown stage"):
        build_plan(bank, stages=["cooking"])
    with pytest.raises(UsageError, match="unknown question id"):
        build_plan(bank, question_ids=["technical.nope"])


def test_first_question_comes_with_the_stage_intro(engine, bank):
    state, actions = start(engine, bank, ["technical.bias-variance"])
    assert state.status == "active"
    (ask,) = actions
    assert isinstance(ask, Ask) and ask.exchange == "question"
    assert ask.prompt == bank.question("technical.bias-variance").text
    assert ask.intro == bank.stage("technical").intro


def test_weak_answer_gets_a_follow_up_aimed_at_a_missed_area(engine, bank):
    state, _ = start(engine, bank, ["technical.bagging-vs-boosting"])
    state, actions = engine.transition(state, Answer(text="Both are ensembles of decision trees."))
    (ask,) = actions
    assert ask.exchange == "follow_up"
    exchange = state.turns[0].exchanges[-1]
    assert exchange.target_area in bank.question("technical.bagging-vs-boosting").areas
    assert ask.prompt != bank.question("technical.bagging-vs-boosting").text


def test_strong_answer_moves_on_without_a_follow_up(engine, bank):
    state, _ = start(engine, bank, ["technical.bagging-vs-boosting", "technical.bias-variance"])
    state, actions = engine.transition(state, Answer(text=STRONG_BAGGING))
    assert isinstance(actions[0], GradeTurn) and actions[0].position == 0
    assert isinstance(actions[1], Ask) and actions[1].question_id == "technical.bias-variance"
    assert actions[1].intro is None  # same stage: no second intro


def test_follow_ups_never_repeat_and_respect_the_limit(engine, bank):
    state, _ = start(engine, bank, ["screening.deployment"], follow_ups=3)
    prompts = [state.turns[0].exchanges[0].prompt]
    for _ in range(3):
        state, actions = engine.transition(state, Answer(text="I used a notebook."))
        if isinstance(actions[0], Ask):
            prompts.append(actions[0].prompt)
    assert len(prompts) == len(set(prompts)) == 4
    state, actions = engine.transition(state, Answer(text="That is all."))
    assert isinstance(actions[0], GradeTurn)
    assert state.status == "finished"
    assert sum(1 for e in state.turns[0].exchanges if e.kind == "follow_up") == 3


def test_hint_is_recorded_and_does_not_repeat(engine, bank):
    state, _ = start(engine, bank, ["technical.bias-variance"])
    state, (first,) = engine.transition(state, Hint())
    state, (second,) = engine.transition(state, Hint())
    assert isinstance(first, ShowHint) and first.hints_used == 1 and second.hints_used == 2
    assert first.text != second.text
    assert state.turns[0].hints == bank.question("technical.bias-variance").areas[:2]


def test_repeat_asks_the_same_question_again(engine, bank):
    state, _ = start(engine, bank, ["technical.bias-variance"])
    state, (ask,) = engine.transition(state, Repeat())
    assert ask.repeated and bank.question("technical.bias-variance").text in ask.prompt
    assert state.turns[0].repeats == 1 and len(state.turns[0].exchanges) == 1


def test_skip_moves_on_without_grading(engine, bank):
    state, _ = start(engine, bank, ["technical.bias-variance", "technical.gradient-descent"])
    state, actions = engine.transition(state, Skip())
    assert not any(isinstance(a, GradeTurn) for a in actions)
    assert state.turns[0].status == "skipped"
    assert actions[0].question_id == "technical.gradient-descent"


def test_end_early_grades_a_half_answered_turn(engine, bank):
    state, _ = start(engine, bank, ["technical.bagging-vs-boosting", "technical.bias-variance"])
    state, _ = engine.transition(state, Answer(text="Both are ensembles."))  # follow-up now open
    state, actions = engine.transition(state, End())
    assert [type(a) for a in actions] == [GradeTurn, Finished]
    assert state.status == "finished" and state.ended_early
    assert len(state.turns) == 1


def test_end_before_answering_leaves_turn_unanswered(engine, bank):
    state, _ = start(engine, bank, ["technical.bias-variance"])
    state, actions = engine.transition(state, End())
    assert [type(a) for a in actions] == [Finished]
    assert state.turns[0].status == "unanswered"


def test_transition_does_not_mutate_the_given_state(engine, bank):
    state, _ = start(engine, bank, ["technical.bias-variance"])
    before = state.model_dump_json()
    engine.transition(state, Answer(text="Bias is error from wrong assumptions."))
    assert state.model_dump_json() == before


def test_state_round_trips_through_json_and_resumes(engine, bank):
    state, _ = start(engine, bank, ["technical.bagging-vs-boosting", "technical.bias-variance"])
    state, _ = engine.transition(state, Answer(text="Both are ensembles."))
    restored = type(state).model_validate_json(state.model_dump_json())
    (ask,) = engine.resume_actions(restored)
    assert ask.exchange == "follow_up" and ask.prompt == state.turns[0].exchanges[-1].prompt
    restored, actions = engine.transition(restored, Start())
    assert actions[0].prompt == ask.prompt


def test_events_after_finish_do_nothing(engine, bank):
    state, _ = start(engine, bank, ["technical.bias-variance"])
    state, _ = engine.transition(state, End())
    state, actions = engine.transition(state, Answer(text="late"))
    assert actions == [] and state.status == "finished"


def test_skipping_a_follow_up_keeps_and_grades_the_answer_given(engine, bank):
    state, _ = start(engine, bank, ["technical.bagging-vs-boosting", "technical.bias-variance"])
    state, (ask,) = engine.transition(state, Answer(text="Both are ensembles."))
    assert ask.exchange == "follow_up"
    state, actions = engine.transition(state, Skip())
    assert isinstance(actions[0], GradeTurn) and actions[0].position == 0
    assert state.turns[0].status == "answered"
    assert [e.kind for e in state.turns[0].exchanges] == ["question"]  # the unanswered follow-up is dropped
    assert actions[1].question_id == "technical.bias-variance"


def test_end_with_a_last_answer_records_and_grades_it(engine, bank):
    state, _ = start(engine, bank, ["technical.bias-variance", "technical.gradient-descent"])
    state, actions = engine.transition(state, End(text="Bias is underfitting error.", seconds=9.0))
    assert [type(a) for a in actions] == [GradeTurn, Finished]
    assert state.turns[0].exchanges[0].answer == "Bias is underfitting error."
    assert state.turns[0].exchanges[0].seconds == 9.0 and state.turns[0].status == "answered"


def test_closing_questions_go_last_in_their_stage(bank):
    for seed in range(8):
        plan = build_plan(bank, stages=["screening"], count=7, seed=seed)
        assert plan.question_ids[-1] == "screening.candidate-questions"


def test_areas_written_for_the_interviewer_are_never_read_out_as_probes(engine, bank):
    question = bank.question("screening.candidate-questions")
    assert not question.probe_areas
    state, _ = start(engine, bank, [question.id])
    state, actions = engine.transition(state, Answer(text="How big is the team?"))
    asks = [a for a in actions if isinstance(a, Ask)]
    assert asks and asks[0].prompt in question.follow_ups
    assert not any(area.lower() in asks[0].prompt.lower() for area in question.areas)
