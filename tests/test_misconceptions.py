"""The question's own misconceptions are checked: stated ones are caught, denied or reported ones are not.

The answers below were written for calibration-dev questions only (mockmle/evaluation/datasets.py splits by
question); the mechanism in core/grading/statements.py was tuned on them. Measured when this file was added:
30 of the 30 answers in DEV_STATED caught (each states one listed misconception, close to the bank's words);
2 of the 7 in DEV_PARAPHRASED (further from them); 0 of the 26 negated or reported decoys; 0 flags on the bank's
key points given as answers to their own questions, and 0 on the 20 band-3/4 dev calibration answers.
"""

from __future__ import annotations

import pytest

from mockmle.core.grading.misconceptions import STATED_CAP, find_misconceptions
from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader
from mockmle.core.grading.statements import reported

# (question id, the misconception the answer states, the answer)
DEV_STATED = [
    ("applied-ml.why-tests", "Tests are only for performance optimisation",
     "Honestly tests are only there for performance optimisation, to check the code runs fast enough."),
    ("applied-ml.why-tests", "We didn't need tests because the accuracy metric already shows the code works",
     "On my last project we didn't need tests, because the accuracy metric already showed the code worked."),
    ("applied-ml.why-tests", "ML code cannot be tested because model outputs are random",
     "You can't really test ML code, since what the model outputs is random every time you run it."),
    ("applied-ml.why-tests", "Testing an ML project means only measuring accuracy on a test set",
     "In an ML project testing just means measuring the accuracy on the held-out test set, nothing else."),
    ("reverse.mlops-maturity", "A company that talks a lot about AI must have models in production",
     "If a company talks about AI all the time on its website, it must already have models in production."),
    ("reverse.mlops-maturity", "Having a data science team means there is an MLOps process",
     "They have a whole data science team, which means there's an MLOps process in place."),
    ("reverse.mlops-maturity", "If they use a well-known ML platform, their MLOps must be mature",
     "I'd ask which platform they use: if it's a well-known ML platform like SageMaker, their MLOps must be mature."),
    ("science.join-row-counts", "An ID column is unique, so the join cannot duplicate rows",
     "The user ID column is unique, so the join can't duplicate any rows; something else is going on."),
    ("science.join-row-counts", "If the query runs without errors, the joined data is correct",
     "I'd check the query ran without errors, and if it did the joined data is correct."),
    ("science.join-row-counts", "A few duplicated rows don't matter for a large training set",
     "Honestly a few duplicated rows don't matter when the training set is large."),
    ("screening.underperforming-model", "Any drop in performance should be fixed by retraining straight away",
     "Whenever there's any drop in performance I retrain the model straight away, which fixes it."),
    ("screening.underperforming-model", "Data drift and concept drift are the same thing",
     "Data drift and concept drift are basically the same thing, the data changes over time."),
    ("screening.underperforming-model", "A model can only be monitored once ground-truth labels are available",
     "You can only monitor the model once the ground-truth labels are available, so we wait for those."),
    ("team-culture.technical-disagreement", "Avoiding disagreement is what keeps a team healthy",
     "I try to avoid disagreement altogether, that's what keeps a team healthy."),
    ("team-culture.technical-disagreement", "Escalating to the manager straight away is the best first step",
     "When we disagreed, the best first step was to escalate to our manager straight away."),
    ("technical.bagging-vs-boosting", "Boosting cannot overfit because each new model corrects the previous ones",
     "Boosting can't overfit, because every new tree corrects the previous ones."),
    ("technical.bagging-vs-boosting", "Bagging gives more weight to the examples that earlier models got wrong",
     "In bagging each round gives more weight to the examples the earlier models got wrong."),
    ("technical.bias-variance", "With the right model both bias and variance can be driven to zero",
     "If you pick the right model you can drive both bias and variance down to zero."),
    ("technical.bias-variance", "Collecting more data fixes a high-bias model",
     "When a model has high bias, collecting more data fixes it."),
    ("technical.bias-variance", "A more complex model always lowers the total error",
     "A more complex model will always lower the total error, so I go big."),
    ("technical.bias-variance", "The bias in the bias-variance tradeoff means unfairness towards groups in the data",
     "The bias in the tradeoff is about unfairness, the model treating some groups in the data unfairly."),
    ("technical.overfitting-underfitting", "High training accuracy means the model will generalise well",
     "If the training accuracy is high, that means the model will generalise well."),
    ("technical.overfitting-underfitting", "Adding more training data fixes underfitting",
     "Underfitting is easy: adding more training data fixes it."),
    ("technical.overfitting-underfitting", "Stronger regularisation helps an underfitting model",
     "For an underfitting model I'd add stronger regularisation, that helps it."),
    ("technical.overfitting-underfitting", "Tuning hyperparameters on the test set is fine if you only look at it a few times",
     "Tuning the hyperparameters on the test set is fine if you only look at it a few times."),
    ("work-sample.evaluation", "Accuracy is a good metric for any classification problem",
     "I'd report accuracy, it's a good metric for any classification problem."),
    ("work-sample.evaluation", "Tuning hyperparameters on the test set is fine as long as the test score is reported",
     "I tuned the hyperparameters on the test set, which is fine as long as the test score is reported."),
    ("work-sample.evaluation", "Randomly shuffled splits are always valid, including for time-ordered data",
     "A randomly shuffled split is always valid, even for data ordered in time."),
    ("work-sample.evaluation", "A very high score proves the model is good",
     "We got a very high score on the validation set, which proves the model is good."),
]
# Paraphrased further from the bank's wording: the recall a lexical check can expect on real answers.
DEV_PARAPHRASED = [
    ("team-culture.technical-disagreement", "Winning the argument is the measure of a well-handled disagreement",
     "For me a disagreement was handled well if I won the argument in the end."),
    ("applied-ml.why-tests", "ML code cannot be tested because model outputs are random",
     "Unit tests don't make sense for models, the predictions are stochastic anyway."),
    ("science.join-row-counts", "An ID column is unique, so the join cannot duplicate rows",
     "Joining on an ID never creates extra rows, IDs are unique by definition."),
    ("screening.underperforming-model", "Any drop in performance should be fixed by retraining straight away",
     "If the metrics dip, I just kick off a retrain immediately."),
    ("technical.bias-variance", "Collecting more data fixes a high-bias model",
     "An underfit, high-bias model mostly needs a bigger dataset."),
    ("work-sample.evaluation", "Randomly shuffled splits are always valid, including for time-ordered data",
     "A random train/test split works for everything, time series included."),
    ("technical.bagging-vs-boosting", "Bagging reduces bias, boosting reduces variance",
     "Bagging mainly cuts the bias and boosting mainly cuts the variance."),
]
# Negated or reported: the answer says the misconception is wrong, or names it as someone else's view.
DEV_DECOYS = [
    ("applied-ml.why-tests", ("Some people think ML code cannot be tested because model outputs are random, but you can "
     "fix seeds and test shapes and invariants.")),
    ("applied-ml.why-tests", "Tests are not only for performance optimisation; they catch bugs in the feature code."),
    ("applied-ml.why-tests", "A common mistake is to say testing an ML project only means measuring accuracy on a test set."),
    ("reverse.mlops-maturity", "Using a well-known ML platform doesn't mean their MLOps is mature, so I'd ask how often they deploy."),
    ("reverse.mlops-maturity", "Having a data science team is no guarantee that there is an MLOps process."),
    ("science.join-row-counts", "Don't assume the ID column is unique: the join can duplicate rows when a user appears twice."),
    ("science.join-row-counts", "Just because the query runs without errors doesn't mean the joined data is correct."),
    ("science.join-row-counts", "Even a few duplicated rows matter for a large training set, because they over-weight some users."),
    ("screening.underperforming-model", ("Data drift and concept drift are not the same thing: one is the inputs changing, "
     "the other the relationship to the target.")),
    ("screening.underperforming-model", "It's a myth that any drop in performance should be fixed by retraining straight away."),
    ("screening.underperforming-model", "Even if the input distribution has not changed, the model can degrade through concept drift."),
    ("screening.underperforming-model", ("You don't need ground-truth labels to monitor a model; you can watch the inputs "
     "and the predictions until they arrive.")),
    ("team-culture.technical-disagreement", ("Escalating to the manager straight away is rarely the best first step, so I "
     "talked to my colleague first.")),
    ("team-culture.technical-disagreement", "Winning the argument was never the measure for me; what mattered was the decision."),
    ("technical.bagging-vs-boosting", ("Boosting can overfit if you add too many rounds, even though each new model "
     "corrects the previous ones.")),
    ("technical.bias-variance", ("You can never drive both bias and variance to zero, whatever the model, because of "
     "irreducible noise.")),
    ("technical.bias-variance", "Collecting more data does not fix a high-bias model; it needs more capacity."),
    ("technical.bias-variance", "The bias here isn't unfairness towards groups in the data, it's error from simple assumptions."),
    ("technical.overfitting-underfitting", "High training accuracy alone doesn't mean the model will generalise well."),
    ("technical.overfitting-underfitting", "Is tuning hyperparameters on the test set fine if you only look a few times? No."),
    ("technical.overfitting-underfitting", ("People often assume that adding more training data fixes underfitting, but it "
     "fixes overfitting.")),
    ("work-sample.evaluation", "Accuracy is not a good metric for every classification problem, for example an imbalanced one."),
    ("work-sample.evaluation", "Randomly shuffled splits would be wrong for time-ordered data, so I split by time."),
    ("work-sample.evaluation", "A very high score doesn't prove the model is good; it's often leakage."),
    ("work-sample.evaluation", "We got a very high score on validation, which doesn't prove the model is good."),
    ("technical.bias-variance", "A more complex model lowers the training error, which doesn't mean it always lowers the total error."),
]


def _stated(bank, question_id: str, answer: str) -> list[str]:
    return [f.misconception for f in find_misconceptions(bank, bank.question(question_id), answer)]


@pytest.mark.parametrize(("question_id", "misconception", "answer"), DEV_STATED)
def test_stated_misconception_is_caught(bank, question_id, misconception, answer):
    assert misconception in bank.question(question_id).misconceptions
    assert misconception in _stated(bank, question_id, answer)


def test_recall_on_paraphrases_is_what_was_measured(bank):
    """A lexical check misses most paraphrases ("won" for "winning", "a retrain" for "retraining straight away"):
    this pins the two it catches, the second by the bagging/boosting contrast of rubrics/claims.toml."""
    caught = [answer for question_id, _, answer in DEV_PARAPHRASED if _stated(bank, question_id, answer)]
    assert caught == ["Joining on an ID never creates extra rows, IDs are unique by definition.",
                      "Bagging mainly cuts the bias and boosting mainly cuts the variance."]


@pytest.mark.parametrize(("question_id", "answer"), DEV_DECOYS)
def test_negated_or_reported_misconception_is_not_caught(bank, question_id, answer):
    assert _stated(bank, question_id, answer) == []


def test_no_key_point_is_taken_for_a_misconception(bank):
    flagged = [(q.id, p) for q in bank.questions.values() for p in q.key_points
               if find_misconceptions(bank, q, p)]
    assert flagged == []


def test_no_strong_dev_calibration_answer_is_flagged(bank, strong_dev_answers):
    flagged = [(r.id, _stated(bank, r.question_id, r.answer)) for r in strong_dev_answers]
    assert [f for f in flagged if f[1]] == []


def test_no_listed_misconception_reads_as_reported(bank):
    """The reporting phrases must not match a misconception itself, or it could never be caught."""
    assert [m for q in bank.questions.values() for m in q.misconceptions if reported(m)] == []


def test_offline_judge_caps_and_lists_a_stated_misconception(bank):
    question = bank.question("screening.underperforming-model")
    strong = ("I start by checking the monitoring dashboards: live metrics, proxy metrics while labels arrive late, and "
              "the input and prediction distributions. I rule out pipeline and data bugs first, such as schema changes, "
              "missing values or a broken upstream feed. Then I match the fix to the cause: repair the pipeline, retrain "
              "on recent data, add features or roll back. I tell stakeholders about the impact and the timeline, add "
              "alerts and data validation checks afterwards, and write up the incident so the team learns from it.")
    wrong = strong + " Data drift and concept drift are basically the same thing, so I treat them alike."
    grader = OfflineGrader(bank)
    before = grader.grade(GradeRequest(question_text=question.prompt, question=question, answer=strong))
    after = grader.grade(GradeRequest(question_text=question.prompt, question=question, answer=wrong))
    assert before.band > STATED_CAP and not before.misconceptions
    assert after.band <= STATED_CAP
    found = {m.misconception: m.evidence for m in after.misconceptions}
    assert found.get("Data drift and concept drift are the same thing", "").startswith("Data drift and concept drift")


def test_the_interviewer_probes_a_stated_misconception(bank):
    from mockmle.core.interview import Answer, Interview, Start, build_plan
    from mockmle.core.phrasebook import Phrasebook
    from mockmle.resources import data_dir

    engine = Interview(bank, Phrasebook.load(data_dir("prompts") / "offline_interviewer.toml"))
    state = engine.new(build_plan(bank, question_ids=["screening.underperforming-model"], max_follow_ups=1))
    state, _ = engine.transition(state, Start())
    wrong = "I would retrain it on fresh data. Data drift and concept drift are basically the same thing anyway."
    state, (ask,) = engine.transition(state, Answer(text=wrong))
    exchange = state.turns[0].exchanges[-1]
    assert ask.reason == "misconception"
    assert exchange.misconception == "Data drift and concept drift are the same thing"
    assert exchange.statement == "Data drift and concept drift are basically the same thing anyway."
