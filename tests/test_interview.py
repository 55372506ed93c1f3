"""The interview state machine, driven directly with events."""

import dataclasses
import json
import re
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from conftest import grade_turns_offline
from mockmle.core.answer_shape import red_flag_for
from mockmle.core.follow_up import HISTORY_BUDGET, approx_tokens, follow_up_context, is_repeat
from mockmle.core.interview import (
    Answer,
    Ask,
    End,
    Event,
    Finished,
    GradeTurn,
    Hint,
    Interview,
    InterviewState,
    Repeat,
    Reword,
    ShowHint,
    Skip,
    Start,
    build_plan,
)
from mockmle.core.phrasebook import Phrasebook
from mockmle.errors import UsageError
from mockmle.resources import data_dir

REPO_DATA = Path(__file__).parent / "data" / "calibration.jsonl"

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
    question = bank.question("technical.bias-variance")
    assert state.turns[0].hints[0] in question.areas and len(set(state.turns[0].hints)) == 2


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


# ---- the interviewer's judgement: flat STAR stories, rambling, rewording, the reverse stage

FLAT_STORY = "I think collaboration is important. I always communicate well with people and share knowledge with the team."
GOOD_STORY = (
    "At my last job in 2022 our team needed a churn model for the retention squad. My task was to own the features "
    "while two data scientists owned the modelling. I set up a weekly sync, wrote the shared feature pipeline and I "
    "proposed a single offline metric we all agreed on. As a result we shipped in six weeks and churn fell by 12%."
)
OFF_TOPIC = ("Well, that year the weather was remarkable and my commute was long, so I listened to podcasts about "
             "history, cooking and gardening, and I talked with my neighbours about their holidays and their pets. ") * 8


def test_a_flat_star_story_gets_asked_for_another_example(engine, bank):
    state, _ = start(engine, bank, ["team-culture.collaboration"], follow_ups=2)
    state, (ask,) = engine.transition(state, Answer(text=FLAT_STORY))
    assert ask.exchange == "follow_up" and ask.reason == "another_example"
    assert ask.prompt in engine.phrasebook.another_example
    exchange = state.turns[0].exchanges[-1]
    assert exchange.reason == "another_example" and exchange.target_area is None
    state, actions = engine.transition(state, Answer(text="Another time I helped a colleague."))
    second = next(a for a in actions if isinstance(a, Ask))
    assert second.reason == "missed_area"  # at most once per question, then back to the missed areas


def test_a_told_star_story_is_not_asked_for_another_example(engine, bank):
    state, _ = start(engine, bank, ["team-culture.collaboration"])
    state, actions = engine.transition(state, Answer(text=GOOD_STORY))
    assert not any(isinstance(a, Ask) and a.reason == "another_example" for a in actions)
    state, _ = start(engine, bank, ["technical.bias-variance"])  # not behavioural: never asks for an example
    state, (ask,) = engine.transition(state, Answer(text="Bias is error."))
    assert ask.reason == "missed_area"


def test_a_rambling_answer_is_steered_back_to_a_missed_area(engine, bank):
    question = bank.question("technical.bias-variance")
    state, _ = start(engine, bank, [question.id])
    state, (ask,) = engine.transition(state, Answer(text=OFF_TOPIC))
    assert ask.reason == "steer_back"
    exchange = state.turns[0].exchanges[-1]
    assert exchange.target_area in question.areas
    assert exchange.target_area[1:].rstrip(".").lower() in ask.prompt.lower()
    assert ask.prompt == engine.phrasebook.steer_back_for(exchange.target_area, 0)


def test_a_long_answer_on_topic_is_not_steered_back(engine, bank):
    long_and_relevant = " ".join([STRONG_BAGGING] * 3)
    assert len(long_and_relevant.split()) > 250
    state, _ = start(engine, bank, ["technical.bagging-vs-boosting", "technical.bias-variance"])
    state, actions = engine.transition(state, Answer(text=long_and_relevant))
    assert isinstance(actions[0], GradeTurn)


def test_reword_replaces_the_open_follow_up_and_records_the_model(engine, bank):
    state, _ = start(engine, bank, ["technical.bagging-vs-boosting", "technical.bias-variance"])
    state, (offline,) = engine.transition(state, Answer(text="Both are ensembles."))
    state, (ask,) = engine.transition(state, Reword(text="  You said 'ensembles': how do they combine models?  ",
                                                    source="stub-model", position=0, exchange=1))
    assert ask.reworded and ask.exchange == "follow_up" and ask.position == 0
    assert ask.prompt == "You said 'ensembles': how do they combine models?"
    exchange = state.turns[0].exchanges[-1]
    assert (exchange.prompt, exchange.source, exchange.offline_prompt) == (ask.prompt, "stub-model", offline.prompt)
    assert engine.resume_actions(state)[0].prompt == ask.prompt  # persisted: a resumed session shows the model's words


def test_reword_is_ignored_unless_an_unanswered_follow_up_is_open(engine, bank):
    state, _ = start(engine, bank, ["technical.bagging-vs-boosting", "technical.bias-variance"])
    reword = Reword(text="Something else?", source="stub-model")
    same, actions = engine.transition(state, reword)  # the main question is open, not a follow-up
    assert actions == [] and same.model_dump() == state.model_dump()
    state, _ = engine.transition(state, Answer(text="Both are ensembles."))
    for stale in (Reword(text="Late?", source="m", position=1), Reword(text="Late?", source="m", exchange=0)):
        same, actions = engine.transition(state, stale)
        assert actions == [] and same.model_dump() == state.model_dump()
    state, _ = engine.transition(state, Answer(text="By voting."))  # moved on to question 2
    same, actions = engine.transition(state, Reword(text="Late?", source="m", position=0))
    assert actions == [] and same.model_dump() == state.model_dump()
    with pytest.raises(ValidationError):
        Reword(text="", source="m")


def test_reword_travels_as_a_typed_event():
    event = TypeAdapter(Event).validate_python({"kind": "reword", "text": "Why?", "source": "gpt-4o-mini"})
    assert isinstance(event, Reword) and event.position is None


def reverse_plan(bank, interviewer, seed=3):
    return build_plan(bank, question_ids=["reverse.mlops-maturity", "reverse.data", "reverse.on-call"],
                      seed=seed, interviewer=interviewer)


def test_reverse_stage_gets_a_company_answer_only_with_a_model_interviewer(engine, bank):
    question = bank.question("reverse.mlops-maturity")
    llm, _ = engine.transition(engine.new(reverse_plan(bank, "llm")), Start())
    llm, (ask,) = engine.transition(llm, Answer(text="How many models do you have in production?"))
    exchange = llm.turns[0].exchanges[-1]
    assert ask.reason == exchange.reason == "company" and exchange.target_area is None
    assert exchange.prompt in question.follow_ups  # the offline stand-in if no model answers
    assert exchange.red_flag is None or exchange.red_flag in question.red_flags
    assert exchange.hinted_red_flag is None  # nobody has played the company yet

    offline, _ = engine.transition(engine.new(reverse_plan(bank, "offline")), Start())
    offline, actions = engine.transition(offline, Answer(text="How many models do you have in production?"))
    assert all(e.reason != "company" and e.red_flag is None for t in offline.turns for e in t.exchanges)
    follow = offline.turns[0].exchanges[-1]
    assert follow.kind == "follow_up" and follow.reason == "missed_area" and follow.target_area in question.areas


def test_offline_reverse_stage_is_unchanged_by_long_answers(engine, bank):
    state, _ = engine.transition(engine.new(reverse_plan(bank, "offline")), Start())
    state, _ = engine.transition(state, Answer(text=OFF_TOPIC))
    assert state.turns[0].exchanges[-1].reason == "missed_area"  # no steering in the candidate's own turn


def test_company_red_flags_are_deterministic_and_shown_about_half_the_time(engine, bank):
    questions = [q for q in bank.questions_for("reverse") if q.red_flags]
    picks = [red_flag_for(q, position, seed) for q in questions for position in range(6) for seed in (None, 1, 2)]
    assert picks == [red_flag_for(q, position, seed) for q in questions for position in range(6) for seed in (None, 1, 2)]
    shown = [p for p in picks if p is not None]
    assert 0.3 < len(shown) / len(picks) < 0.7
    assert len(set(shown)) > len(questions)  # not always the first red flag of each question

    def company_flags(seed):
        state, _ = engine.transition(engine.new(reverse_plan(bank, "llm", seed)), Start())
        flags = []
        for _ in range(3):
            state, _ = engine.transition(state, Answer(text="Who deploys and monitors the models?"))
            flags.append(state.turns[-1].exchanges[-1].red_flag)
            state, _ = engine.transition(state, Answer(text="I see. Thanks."))
        return flags

    assert company_flags(3) == company_flags(3)
    assert any(company_flags(seed) != company_flags(3) for seed in range(4, 12))


def test_sessions_saved_before_these_fields_still_load(engine, bank):
    state, _ = start(engine, bank, ["technical.bagging-vs-boosting"])
    state, _ = engine.transition(state, Answer(text="Both are ensembles."))
    data = json.loads(state.model_dump_json())
    del data["plan"]["interviewer"]
    for exchange in data["turns"][0]["exchanges"]:
        for key in ("reason", "source", "offline_prompt", "red_flag"):
            del exchange[key]
    old = InterviewState.model_validate(data)
    assert old.plan.interviewer == "offline" and old.turns[0].exchanges[-1].reason is None
    assert engine.resume_actions(old)[0].prompt == state.turns[0].exchanges[-1].prompt


# ---- the context a model gets for a follow-up

def ten_turn_state(engine, bank):
    ids = [q.id for q in bank.questions.values() if q.stage in ("technical", "applied-ml")][:10]
    state, _ = start(engine, bank, ids)
    contexts = {}
    for number in range(1, 11):
        state, _ = engine.transition(state, Answer(text="We trained a model and it went fine."))
        if state.current is not None and state.current.exchanges[-1].kind == "follow_up":
            contexts[number] = state.model_copy(deep=True)
            state, _ = engine.transition(state, Answer(text="I am not sure about that part."))
    return ids, contexts


def test_follow_up_context_is_grounded_and_knows_what_was_asked(engine, bank):
    state, _ = start(engine, bank, ["technical.bias-variance", "technical.bagging-vs-boosting"])
    state, _ = engine.transition(state, Answer(text="Bias is error from wrong assumptions."))
    state, _ = engine.transition(state, Answer(text="Variance is sensitivity to the training data."))
    state, _ = engine.transition(state, Answer(text="Both are ensembles."))
    context = follow_up_context(bank, state)
    question = bank.question("technical.bagging-vs-boosting")
    assert context.position == 1 and context.stage_id == "technical" and context.question == question.prompt
    assert context.answers == ["Both are ensembles."]
    assert context.reason == "missed_area" and context.target_area in context.missed_areas
    first_turn = [e.prompt for e in state.turns[0].exchanges]
    assert set(first_turn) <= set(context.asked) and context.offline_prompt not in context.asked
    assert len(context.history) == 1 and context.history[0].startswith("Q1 ") and "answered" in context.history[0]
    assert context.red_flags == () and context.red_flag is None
    with pytest.raises(ValueError, match="no open follow-up"):
        follow_up_context(bank, state, position=0)


def test_follow_up_context_history_stays_within_its_budget(engine, bank):
    ids, contexts = ten_turn_state(engine, bank)
    assert {5, 10} <= set(contexts)
    fifth = follow_up_context(bank, contexts[5])
    tenth = follow_up_context(bank, contexts[10])
    for context in (fifth, tenth):
        assert sum(approx_tokens(line) for line in context.history) <= HISTORY_BUDGET
    assert fifth.history_omitted == 0 and len(fifth.history) == 4
    assert tenth.history_omitted > 0 and tenth.history[-1].startswith("Q9 ")
    size = lambda c: sum(approx_tokens(x) for x in (*c.history, c.question, *c.answers))  # noqa: E731
    assert size(tenth) <= size(fifth) * 1.3 + 20  # bounded: not growing with the number of questions
    everything = follow_up_context(bank, contexts[10], budget=100_000)
    assert everything.history_omitted == 0 and len(everything.history) == 9
    assert size(everything) > size(tenth) * 1.5  # so the bound above comes from trimming
    assert len(tenth.asked) == len(everything.asked) >= 10  # the repeat check still sees every earlier prompt


def test_is_repeat_catches_restated_questions_but_not_new_ones(bank):
    asked = [bank.question("technical.bias-variance").prompt, "How would you monitor the model after release?"]
    assert is_repeat("how would you MONITOR the model after release", asked)
    assert is_repeat("Okay. " + asked[0], asked)  # an earlier question restated whole
    assert is_repeat("How would you monitor that model after its release?", asked)
    assert not is_repeat("You mentioned dashboards: which alert would have caught the drift first?", asked)
    assert not is_repeat("What is variance?", asked)  # shares a topic word, asks something narrower


def test_debrief_facts_carry_scores_not_transcripts(engine, bank):
    from mockmle.core.debrief import debrief_facts
    from mockmle.core.scorecard import build_report

    state, _ = start(engine, bank, ["technical.bagging-vs-boosting", "technical.bias-variance"], follow_ups=0)
    secret = "zebra-striped gradient"
    state, _ = engine.transition(state, Answer(text=STRONG_BAGGING))
    state, _ = engine.transition(state, Answer(text=f"Bias is a {secret}."))
    grades = grade_turns_offline(bank, state)
    report = build_report(bank, state, grades)
    facts = debrief_facts(bank, report, state, grades)
    assert f"band {grades[0].band} of 4" in facts and f"band {grades[1].band} of 4" in facts
    assert report.recommendation.label in facts
    row = next(c for card in report.scorecards for c in card.competencies if c.mean is not None)
    assert f"{row.name}: {row.shown} of 4" in facts
    assert all(area in facts for area in grades[1].missed_areas())
    assert secret not in facts


# ---- openers fit their place in the session (issue 14.7)

LOOKS_BACK = re.compile(r"\b(that's all|the rest of|so far|next|now|moving on|move on|turn to)\b", re.IGNORECASE)
OPENS_A_SESSION = re.compile(r"^(today|in this (interview|session)|this interview)\b", re.IGNORECASE)


def first_intro(engine, bank, ids):
    _, (ask,) = engine.transition(engine.new(build_plan(bank, question_ids=ids, max_follow_ups=0)), Start())
    return ask.intro


def intro_after(engine, bank, ids):
    """The intro shown at the first question of the second stage of `ids` (first answers skipped)."""
    state, _ = engine.transition(engine.new(build_plan(bank, question_ids=ids, max_follow_ups=0)), Start())
    state, actions = engine.transition(state, Skip())
    (ask,) = [a for a in actions if isinstance(a, Ask)]
    return ask.intro


def test_a_session_that_starts_with_the_reverse_stage_does_not_open_with_thats_all_my_questions(engine, bank):
    alone = first_intro(engine, bank, ["reverse.on-call"])
    assert alone and "That's all my questions" not in alone and "you are interviewing us" in alone
    after = intro_after(engine, bank, ["technical.bias-variance", "reverse.on-call"])
    assert after.startswith("That's all my questions.") and "you are interviewing us" in after


@pytest.mark.parametrize("stage_id", ["screening", "work-sample", "technical", "applied-ml", "team-culture", "science",
                                      "reverse"])
def test_every_stage_intro_reads_right_first_and_after_another_stage(engine, bank, stage_id):
    own = bank.questions_for(stage_id)[0].id
    other = next(q.id for q in bank.questions.values() if q.stage != stage_id)
    first = first_intro(engine, bank, [own])
    after = intro_after(engine, bank, [other, own])
    assert first and after and first != after
    opening = {intro: re.split(r"(?<=[.:])\s", intro)[0] for intro in (first, after)}  # the first sentence
    assert not LOOKS_BACK.search(opening[first]), first  # nothing came before it
    assert not OPENS_A_SESSION.search(opening[after]), after  # the session is already under way
    assert LOOKS_BACK.search(opening[after]), after  # it says a new part begins


def test_a_stage_without_its_own_intro_after_gets_a_transition_line(engine, bank):
    stages = dict(bank.stages)
    stages["technical"] = stages["technical"].model_copy(update={"intro_after": ""})
    plain = Interview(dataclasses.replace(bank, stages=stages), engine.phrasebook)
    after = intro_after(plain, bank, ["screening.background", "technical.bias-variance"])
    assert after == f"Let's move on to the next part: technical interview. {bank.stage('technical').intro}"
    assert first_intro(plain, bank, ["technical.bias-variance"]) == bank.stage("technical").intro


# ---- hints point at something not covered yet (issue 14.12)

def hints(engine, bank, question_id, n, answer=None):
    state, _ = start(engine, bank, [question_id])
    if answer is not None:  # answered: the open exchange is now a follow-up
        state, _ = engine.transition(state, Answer(text=answer))
    shown = []
    for _ in range(n):
        state, (action,) = engine.transition(state, Hint())
        shown.append(action)
    return state, shown


def test_a_first_hint_never_restates_the_question_and_a_second_gets_more_specific(engine, bank):
    question = bank.question("technical.gradient-descent")
    state, (first, second, third) = hints(engine, bank, question.id, 3)
    assert "gradient descent algorithm explanation" not in first.text.lower()  # what the issue saw
    assert first.text == "Hint: one thing worth covering is variants: batch, mini-batch, stochastic."
    assert second.text.startswith("More specifically, a strong answer makes this point: Batch gradient descent uses")
    assert third.text == "Hint: one thing worth covering is advanced optimizers: Adam, RMSprop, Adagrad."
    given = state.turns[0].hints
    assert (given[0], given[2]) == (question.areas[1], question.areas[2]) and given[1] in question.key_points
    assert (first.hints_used, second.hints_used, third.hints_used) == (1, 2, 3)


def test_hints_skip_what_the_answer_already_covers(engine, bank):
    answer = ("Batch gradient descent uses the whole dataset per step, stochastic uses one example and mini-batch "
              "a small batch; the variants trade noise against cost.")
    _, (first,) = hints(engine, bank, "technical.gradient-descent", 1, answer=answer)
    assert "variants" not in first.text.lower() and "batch gradient descent uses" not in first.text.lower()


def test_every_hint_in_the_bank_says_more_than_the_question(engine, bank):
    from mockmle.core.hints import restates

    for question in bank.questions.values():
        state, shown = hints(engine, bank, question.id, 4)
        for target, action in zip(state.turns[0].hints, shown, strict=False):
            assert not restates(target, question.prompt, bank.weights), (question.id, action.text)
        assert all(h in (*question.areas, *question.key_points) for h in state.turns[0].hints)


def test_a_hint_that_would_only_restate_the_question_is_not_given_and_costs_nothing(engine, bank):
    from mockmle.core.bank_models import Question
    from mockmle.core.scorecard import turn_score

    base = bank.question("technical.gradient-descent")
    echo = Question(id="technical.echo", stage="technical", text=base.text, competencies=base.competencies,
                    areas=["Basic gradient descent algorithm explanation", "Explanation of gradient descent variants"],
                    key_points=["Explains how gradient descent works and its variants"])
    local = Interview(dataclasses.replace(bank, questions={**bank.questions, echo.id: echo}), engine.phrasebook)
    state, _ = local.transition(local.new(build_plan(local.bank, question_ids=[echo.id])), Start())
    state, (action,) = local.transition(state, Hint())
    assert action.text == engine.phrasebook.no_hint and action.hints_used == 0 and state.turns[0].hints == []
    assert not action.given  # so the shells do not print the cost of a hint
    state, _ = local.transition(state, Answer(text="Gradient descent follows the gradient downhill."))
    grade = grade_turns_offline(local.bank, state)[0]
    assert turn_score(state.turns[0], grade) == grade.band  # no half band taken for a hint not given


def test_a_hint_during_a_follow_up_gives_the_key_point_of_what_it_asks_about(engine, bank):
    state, (hint,) = hints(engine, bank, "technical.bagging-vs-boosting", 1, answer="Both are ensembles of trees.")
    exchange = state.turns[0].exchanges[-1]
    assert exchange.reason == "missed_area" and exchange.target_area
    assert state.turns[0].hints[0] in bank.question("technical.bagging-vs-boosting").key_points
    assert hint.text.startswith("More specifically")


# ---- a wrong statement is probed first (issue 14.13)

WRONG_PARADIGMS = "unsupervised is when it trains on its own overnight"


def test_a_clearly_wrong_definition_is_quoted_back_before_anything_else(engine, bank):
    state, _ = start(engine, bank, ["technical.learning-paradigms"])
    state, (ask,) = engine.transition(state, Answer(text=WRONG_PARADIGMS))
    assert ask.reason == "misconception"
    assert ask.prompt == ('You said "unsupervised is when it trains on its own overnight". '
                          "Could you be more precise: what is unsupervised learning, exactly?")
    exchange = state.turns[0].exchanges[-1]
    assert exchange.statement == WRONG_PARADIGMS and exchange.misconception is None
    assert "challenges" not in ask.prompt  # what the issue saw


def test_a_misconception_the_judge_finds_is_probed_with_the_judges_evidence(engine, bank):
    answer = "Bagging reduces bias and boosting reduces variance. Both use many trees."
    state, _ = start(engine, bank, ["technical.bagging-vs-boosting", "technical.bias-variance"], follow_ups=2)
    state, (ask,) = engine.transition(state, Answer(text=answer))
    exchange = state.turns[0].exchanges[-1]
    grade = grade_turns_offline(bank, state)[0]
    (found,) = grade.misconceptions
    assert exchange.reason == ask.reason == "misconception"
    assert (exchange.statement, exchange.misconception) == (found.evidence, found.misconception)
    assert ask.prompt == 'You said "Bagging reduces bias and boosting reduces variance". Can you walk me through why that is?'
    state, (again,) = engine.transition(state, Answer(text="Hmm, I think boosting reduces variance too."))
    assert again.reason != "misconception"  # once per question: then back to what the answer missed


def test_the_misconception_finder_is_the_judges(bank):
    from mockmle.core.grading.misconceptions import find_misconceptions
    from mockmle.core.grading.models import GradeRequest
    from mockmle.core.grading.offline import OfflineGrader

    question = bank.question("technical.bagging-vs-boosting")
    for answer in ("Bagging reduces bias and boosting reduces variance.", STRONG_BAGGING,
                   "Boosting trains independent models in parallel; bagging trains them sequentially on residuals."):
        found = find_misconceptions(bank, question, answer)
        grade = OfflineGrader(bank).grade(GradeRequest(question_text=question.prompt, question=question, answer=answer))
        assert [(m.misconception, m.evidence) for m in found] == [(m.misconception, m.evidence) for m in grade.misconceptions]
        assert all(any(m.reason in line for line in grade.explanation) for m in found)


def test_loose_definitions_stay_silent_on_strong_and_right_answers(bank):
    """A probe that accuses a right answer costs trust: the loose-definition check must not fire on the
    strong calibration answers (bands 3 and 4), nor on right but informal definitions."""
    from mockmle.core.grading.misconceptions import find_loose_definitions

    rows = [json.loads(line) for line in REPO_DATA.read_text().splitlines()]
    strong = [r for r in rows if r["band"] >= 3]
    fired = [r["id"] for r in strong if find_loose_definitions(bank, bank.question(r["question_id"]), r["answer"])]
    assert len(strong) >= 30 and fired == []
    right = {
        "technical.learning-paradigms": ["Unsupervised learning is when you have no labels and look for structure, like clusters.",
                                         "Reinforcement learning is where an agent learns by trial and error from rewards."],
        "technical.overfitting-underfitting": ["Overfitting is when the model memorises the training data and does badly on new data.",
                                               "Underfitting is when the model is too simple to capture the pattern."],
        "technical.bias-variance": ["Variance is how much the predictions would change if you trained on a different sample."],
        "technical.bagging-vs-boosting": ["Boosting is when each new model fixes the mistakes of the ones before."],
    }
    for question_id, answers in right.items():
        for answer in answers:
            assert find_loose_definitions(bank, bank.question(question_id), answer) == [], answer
    wrong = find_loose_definitions(bank, bank.question("technical.gradient-descent"),
                                   "Gradient descent is when the gradient gets smaller over time.")
    assert [w.subject for w in wrong] == ["Gradient descent"]


def test_the_reverse_stage_is_never_probed_for_misconceptions(engine, bank):
    state, _ = engine.transition(engine.new(reverse_plan(bank, "offline")), Start())
    state, _ = engine.transition(state, Answer(text="MLOps is when the models train themselves overnight."))
    assert state.turns[0].exchanges[-1].reason != "misconception"


def test_a_closing_question_is_worded_for_its_place_in_the_session(engine, bank):
    """"That's the end of my questions" only after the interviewer has asked some; a reverse-only practice opens plainly."""
    closing = bank.question("reverse.open")
    assert closing.asked_first and "end of my questions" in closing.prompt

    def first_prompt_of(question_ids: list[str], answers: int) -> str:
        state, _ = engine.transition(engine.new(build_plan(bank, question_ids=question_ids, max_follow_ups=0)), Start())
        for _ in range(answers):
            state, _ = engine.transition(state, Answer(text="I would ask how models are monitored in production."))
        return state.turns[-1].exchanges[0].prompt

    assert first_prompt_of(["reverse.open"], 0) == closing.asked_first
    assert first_prompt_of(["reverse.mlops-maturity", "reverse.open"], 1) == closing.asked_first
    assert first_prompt_of(["technical.bias-variance", "reverse.open"], 1) == closing.prompt
