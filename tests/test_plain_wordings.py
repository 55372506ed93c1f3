"""A pack's plain wordings of its areas and key points: the meaning match reads them beside the rubric's words."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mockmle.core.bank_models import Question
from mockmle.core.grading.semantic_cover import best_matches, similarity_rows
from mockmle.semantic.encoder import Encoder
from mockmle.semantic.meaning import SemanticMeaning

AREA = "Confidence in shipping a hotfix"
PLAIN = "Whether they are comfortable pushing an urgent fix straight out"
SAID = "Then I'd ask how comfortable they are pushing an urgent fix on a Friday afternoon."


def _question(**extra) -> Question:
    return Question(id="reverse.example", stage="reverse", text="What would you ask about releases?", areas=[AREA],
                    key_points=["Asks whether rollback is one command"], competencies=["engineering-practice"], **extra)


class Table:
    """A Meaning whose similarities come from a table (unknown pairs are 0): enough to check how rows combine."""

    label = "table"

    def __init__(self, table: dict[tuple[str, str], float]):
        self.table = table
        self.asked: list[list[str]] = []

    def similarities(self, targets, clauses):
        self.asked.append(list(targets))
        return [[self.table.get((t, c), 0.0) for c in clauses] for t in targets]

    def word_recall(self, targets, text, leave_out=()):
        return [0.0 for _ in targets]


def test_each_target_takes_the_closest_of_its_wordings_in_one_model_call():
    table = Table({("a", "x"): 0.2, ("a plain", "x"): 0.7, ("a plain", "y"): 0.1, ("b", "y"): 0.4})
    rows = similarity_rows(["a", "b"], ["x", "y"], table, [["a plain"]])
    assert rows == [[0.7, 0.1], [0.0, 0.4]]
    assert table.asked == [["a", "b", "a plain"]]
    assert similarity_rows(["a", "b"], ["x", "y"], table) == [[0.2, 0.0], [0.0, 0.4]]


def test_a_plain_wording_per_area_and_key_point_or_none():
    assert _question().plain_wordings() == [[], []]
    question = _question(plain_areas=[PLAIN], plain_key_points=["Asks if going back takes one step"])
    assert question.plain_wordings() == [[PLAIN], ["Asks if going back takes one step"]]
    with pytest.raises(ValidationError, match="1 plain wordings for 2 key points|2 plain wordings for 1 areas"):
        _question(plain_areas=[PLAIN, PLAIN])


@pytest.fixture(scope="module")
def meaning():
    return SemanticMeaning(Encoder())


def test_an_answer_in_plain_words_comes_closer_through_the_plain_wording(meaning):
    """With the real model: the rubric's own words miss the plain-words clause; its plain wording finds it."""
    (alone,) = best_matches([AREA], SAID, meaning)
    (with_plain,) = best_matches([AREA], SAID, meaning, alternates=[[PLAIN]])
    assert with_plain.similarity > alone.similarity + 0.15
    assert "urgent fix" in with_plain.clause


def test_every_bundled_question_gives_its_plain_wordings(bank):
    """The judge treats every bundled question alike: none is matched against the rubric's words alone."""
    missing = [q.id for q in bank.questions.values() if not q.plain_areas or not q.plain_key_points]
    assert missing == []


def test_a_plain_words_answer_earns_more_through_the_plain_wordings(bank, meaning):
    """With the real model and bank: the same answer, graded with and without the question's plain wordings."""
    from mockmle.core.grading.models import GradeRequest
    from mockmle.core.grading.offline import OfflineGrader

    question = bank.question("reverse.release-rollback")
    answer = ("First I'd get them to describe, step by step, what happens between someone finishing a change and "
              "customers seeing it, and how many people must say yes on the way. Next: when something is broken late "
              "on a Friday, do they feel fine putting out an urgent fix, and how quickly can they undo a bad change? "
              "Who gets the blame when a defect slips through? Do they sit down afterwards to look back on what went "
              "wrong, and does that change how the team works instead of pointing at one person?")
    request = GradeRequest(question=question, question_text=question.prompt, answer=answer)
    with_plain = OfflineGrader(bank, meaning).grade(request)
    bare = question.model_copy(update={"plain_areas": [], "plain_key_points": []})
    without = OfflineGrader(bank, meaning).grade(request.model_copy(update={"question": bare}))
    assert with_plain.band > without.band
    assert with_plain.provenance.judge_version == "offline-7"
