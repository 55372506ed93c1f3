"""Reference-answer mode with the real meaning model: the reference is also read word by word (a soft keyword
recall, `Meaning.word_recall`), its own fitted coefficients give the band, and an answer that says nothing of the
reference still earns nothing."""

import pytest

from mockmle.core.grading.combiner import Coefficients, Evidence, combine, covers_nothing
from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader
from mockmle.core.text import content_terms, content_words
from mockmle.semantic.meaning import SemanticMeaning, shared_encoder

QUESTION = "What is a stack, and how does it differ from a queue?"
REFERENCE = ("A stack is a last-in, first-out structure: the element added most recently is removed first. "
             "A queue is first-in, first-out: elements leave in the order they arrived.")
OWN_WORDS = ("With a stack you always take back whatever you put on top most lately, like a pile of plates; the other "
             "one hands items out in the same order they came in, like people lining up at a till.")
UNRELATED = "I enjoy hiking at the weekend and cooking dinner for my friends on Sundays."


@pytest.fixture(scope="module")
def meaning():
    return SemanticMeaning(encoder=shared_encoder())


def request(answer: str) -> GradeRequest:
    return GradeRequest(question_text=QUESTION, reference=REFERENCE, answer=answer)


def test_content_words_are_content_terms_with_where_each_is_said():
    text = "Bagging trains its models independently, on bootstrap-samples! The A/B test e.g. isn't TF-IDF."
    found = content_words(text)
    assert [stem for stem, _, _ in found] == content_terms(text)
    assert [text[start:end] for _, start, end in found][:3] == ["Bagging", "trains", "models"]


def test_word_recall_credits_other_words_and_leaves_the_question_out(meaning):
    leave_out = frozenset(content_terms(QUESTION))
    own, unrelated = (meaning.word_recall([REFERENCE], answer, leave_out)[0] for answer in (OWN_WORDS, UNRELATED))
    assert own > unrelated + 0.15
    # Repeating the question's words earns nothing once they are left out.
    echo = "A stack differs from a queue."
    assert meaning.word_recall([REFERENCE], echo, leave_out)[0] < meaning.word_recall([REFERENCE], echo)[0]
    assert meaning.word_recall([REFERENCE], "", leave_out) == [0.0]


def test_reference_mode_grades_with_its_own_coefficients_and_says_so(bank, meaning):
    assert bank.combiner is not None and bank.combiner.reference is not None
    grader = OfflineGrader(bank, meaning)
    own, unrelated = grader.grade(request(OWN_WORDS)), grader.grade(request(UNRELATED))
    assert own.band >= 2 and unrelated.band == 0
    assert any("word by word" in step for step in own.explanation)
    assert own.provenance.judge_version == "offline-7"
    words_only = OfflineGrader(bank).grade(request(OWN_WORDS))  # no model: no word-by-word reading, as before
    assert not any("word by word" in step for step in words_only.explanation)


def test_an_answer_about_something_else_earns_at_most_one(bank, meaning):
    question = "What is overfitting and how do you detect it?"
    reference = ("Overfitting is when a model learns noise in the training data instead of the underlying pattern, so "
                 "it performs well on training data but poorly on unseen data. It is detected by comparing training "
                 "and validation error.")
    grader = OfflineGrader(bank, meaning)
    for answer in ("I would use a Kubernetes cluster with autoscaling to serve the model behind a load balancer.",
                   "We should write unit tests for the feature pipeline and run them in CI on every merge."):
        grade = grader.grade(GradeRequest(question_text=question, reference=reference, answer=answer))
        assert grade.band <= 1, (answer, grade.explanation)


def test_covering_nothing_needs_the_word_match_below_the_floor_too(bank):
    data = bank.combiner.model_copy(update={
        "reference": Coefficients(intercept=1.0, weights={"aligned": 3.0}, cuts=[0.5, 1.5, 2.5, 3.5]),
        "aligned_floor": 0.1})
    assert covers_nothing(Evidence(words=0.0, meaning=0.0, both=0.0, aligned=0.05), data)
    assert not covers_nothing(Evidence(words=0.0, meaning=0.0, both=0.0, aligned=0.3), data)
    assert combine(Evidence(words=0.0, meaning=0.0, both=0.0, aligned=0.05), data, 40).band == 0
    # Close words but no sentence of the reference said: at most 1, however high the score (1 + 0.9 = 1.9).
    assert combine(Evidence(words=0.0, meaning=0.0, both=0.0, aligned=0.3), data, 40).band == 1
    assert combine(Evidence(words=0.0, meaning=0.2, both=0.2, aligned=0.3), data, 40).band == 2
    # A bank question's evidence has no `aligned`: the reference coefficients are never used for it.
    assert combine(Evidence(words=0.5, meaning=0.5, both=0.5), data, 40).band == combine(
        Evidence(words=0.5, meaning=0.5, both=0.5), bank.combiner, 40).band


def test_the_harness_says_when_an_outside_set_is_in_sample_for_the_reference_coefficients(bank):
    from mockmle.evaluation.datasets import Dataset, Row
    from mockmle.evaluation.run import evaluate

    rows = [Row(id=f"mohler-1.{i}", question_id="1.1", question_text=QUESTION, answer=answer, human=h, scale=5.0,
                reference=REFERENCE) for i, (answer, h) in enumerate([(OWN_WORDS, 4.5), (UNRELATED, 0.5)])]
    grader = OfflineGrader(bank)
    mohler = evaluate(Dataset("mohler", rows, "test rows"), grader, bank, warm_up=False)
    assert mohler.fitted_on_it == bank.combiner.reference_fitted_on and "cross-validated" in mohler.fitted_on_it
    other = evaluate(Dataset("someone-elses", rows, "test rows"), grader, bank, warm_up=False)
    assert other.fitted_on_it == ""
