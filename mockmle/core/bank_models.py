"""The question bank and scorecards as validated data (see rubrics/)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from mockmle.core.grading.combiner import CombinerData
from mockmle.core.grading.rules import GradingRules
from mockmle.core.text import sentences

STAGE_IDS = ("screening", "work-sample", "technical", "applied-ml", "team-culture", "science", "reverse")

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$", max_length=100)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    # defer_build: the validators are built when a pack is first parsed. A bank read from the cache
    # (core/bank_cache.py) is unpickled, never validated, so a command using it does not build them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Competency(Strict):
    """One scorecard row: a name and its anchored levels, index = level."""

    id: Slug
    name: Text
    anchors: list[Text] = Field(description="Anchor text for levels 0..4 (0 = not enough information).")

    @field_validator("anchors")
    @classmethod
    def _five_levels(cls, anchors: list[str]) -> list[str]:
        if len(anchors) != 5:
            raise ValueError(f"needs exactly 5 anchors (levels 0-4), got {len(anchors)}")
        return anchors


class Scorecard(Strict):
    id: Slug
    title: Text
    description: str = ""
    source: str = ""
    competencies: list[Competency] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Scorecard:
        _require_unique([c.id for c in self.competencies], "competency id")
        return self

    def competency(self, competency_id: str) -> Competency | None:
        return next((c for c in self.competencies if c.id == competency_id), None)


class Recommendation(Strict):
    """The 1-4 hiring recommendation; index 0 is level 1."""

    levels: list[Text]

    @field_validator("levels")
    @classmethod
    def _four_levels(cls, levels: list[str]) -> list[str]:
        if len(levels) != 4:
            raise ValueError(f"needs exactly 4 levels (1-4), got {len(levels)}")
        return levels

    def label(self, level: int) -> str:
        return self.levels[level - 1]


class Stage(Strict):
    id: Slug
    title: Text
    description: Text = Field(description="One line shown when choosing a stage.")
    order: int = Field(100, description="Where the stage sits in a full loop; lists are sorted by it.")
    intro: str = Field("", description="What the interviewer says to open the stage when it opens the session.")
    intro_after: str = Field("", description="What the interviewer says to open the stage when it follows another "
                             "stage; without it the engine puts a transition line before `intro`.")
    source: str = ""
    scorecard: Slug = Field(description="Id of the stage's own scorecard.")
    extra_scorecards: list[Slug] = Field(default_factory=list, description="Shared scorecards questions may also inform.")
    candidate_asks: bool = Field(False, description="True when the candidate asks the questions (reverse stage).")

    @model_validator(mode="after")
    def _intro_after_needs_intro(self) -> Stage:
        if self.intro_after.strip() and not self.intro.strip():
            raise ValueError("intro_after needs an intro too (what is said when the stage opens the session)")
        return self


class Question(Strict):
    id: QuestionId
    stage: Slug
    text: Text
    asked_as: Text | None = Field(None, description="How the interviewer says it, when the published text has placeholders.")
    asked_first: Text | None = Field(None, description="How the interviewer says it when it has asked nothing of its own "
                                     "before it in the session (a reverse-only practice, say): the usual wording may "
                                     "presume earlier questions (\"That's the end of my questions...\").")
    areas: list[Text] = Field(min_length=1, description="Areas to cover.")
    follow_ups: list[Text] = Field(default_factory=list)
    key_points: list[Text] = Field(default_factory=list, description="What a strong answer says, in our words.")
    reference: Text | None = Field(None, description="A strong answer in the pack author's own words: each of its "
                                   "sentences is graded as one more key point, by meaning as well as by words.")
    plain_areas: list[Text] = Field(default_factory=list, description="Each area as a candidate might say it in everyday "
                                    "words, one per area, in order (or none): the judge matches an answer's meaning "
                                    "against both wordings, so an answer in plain words is marked down less for it.")
    plain_key_points: list[Text] = Field(default_factory=list, description="Each key point in everyday words, one per "
                                         "key point, in order (or none); see plain_areas.")
    misconceptions: list[Text] = Field(default_factory=list)
    corrections: list[Text] = Field(default_factory=list, description="What is actually true, one per misconception, "
                                    "in the same order (or none). Shown on flashcards; the judge never reads them.")
    competencies: list[Slug] = Field(min_length=1, description="Competency ids (of the stage's scorecards) it informs.")
    red_flags: list[Text] = Field(default_factory=list, description="Warning signs an answer can show.")
    hints: list[Text] = Field(default_factory=list, description="Nudges offered on request; defaults to the areas.")
    behavioural: bool = Field(False, description="Asks about past behaviour: STAR structure expected.")
    source: str = ""
    tags: list[Slug] = Field(default_factory=list)
    asked_last: bool = Field(False, description="A closing question (e.g. 'what do you want to ask me?'): put at the end of its stage.")
    probe_areas: bool = Field(True, description="False when the areas are notes for the interviewer, not topics to probe the candidate on.")

    @property
    def prompt(self) -> str:
        return self.asked_as or self.text

    def plain_wordings(self) -> list[list[str]]:
        """Each area's and then each key point's other wordings (its plain one when the pack gives it): the
        alternates the judge's meaning match reads beside the rubric's own words."""
        def each(plain: list[str], count: int) -> list[list[str]]:  # key points a reference added have none
            return [[w] for w in plain] + [[] for _ in range(count - len(plain))]

        return [*each(self.plain_areas, len(self.areas)), *each(self.plain_key_points, len(self.key_points))]

    def meaning_texts(self) -> list[str]:
        """Every text the judge's meaning match compares answers with: areas, key points and their plain wordings."""
        return [*self.areas, *self.key_points, *(w for words in self.plain_wordings() for w in words)]

    @model_validator(mode="after")
    def _id_matches_stage(self) -> Question:
        prefix = self.id.split(".", 1)[0]
        if prefix != self.stage:
            raise ValueError(f"id {self.id!r} must start with its stage {self.stage!r} followed by '.'")
        return self

    @model_validator(mode="after")
    def _one_correction_each(self) -> Question:
        if self.corrections and len(self.corrections) != len(self.misconceptions):
            raise ValueError(f"question {self.id!r} has {len(self.corrections)} corrections for "
                             f"{len(self.misconceptions)} misconceptions: give one per misconception, in order, or none")
        return self

    @model_validator(mode="after")
    def _one_plain_wording_each(self) -> Question:
        for plain, given, what in ((self.plain_areas, self.areas, "area"), (self.plain_key_points, self.key_points, "key point")):
            if plain and len(plain) != len(given):
                raise ValueError(f"question {self.id!r} has {len(plain)} plain wordings for {len(given)} {what}s: give one "
                                 f"per {what}, in order, or none")
        return self

    @model_validator(mode="after")
    def _reference_adds_key_points(self) -> Question:
        if self.reference:
            said = [s.text for s in sentences(self.reference)]
            object.__setattr__(self, "key_points", [*self.key_points, *(s for s in said if s not in self.key_points)])
        if not self.key_points:
            raise ValueError("a question needs key_points or a reference answer")
        return self


class RuleCheck(Strict):
    """A named, deterministic check of an answer, defined by patterns (Python regular expressions).

    flag_patterns mark a red flag (a wrong or worrying statement); pass_patterns show the thing
    was done. A check applies to questions with one of its tags, or to behavioural questions,
    or to the listed question ids, or to every question when `everywhere` is set.
    """

    id: Slug
    description: Text
    pass_patterns: list[Text] = Field(default_factory=list)
    flag_patterns: list[Text] = Field(default_factory=list)
    tags: list[Slug] = Field(default_factory=list)
    questions: list[QuestionId] = Field(default_factory=list)
    behavioural: bool = False
    everywhere: bool = False
    parts: dict[str, list[Text]] = Field(default_factory=dict, description="Named groups of patterns; see min_parts.")
    min_parts: int = Field(0, ge=0, description="With parts: passes when at least this many parts match.")
    skip_stages: list[str] = Field(default_factory=list, description=(
        "Stages the check never applies to: a check of the candidate's own practice means nothing in the reverse "
        "stage, where the candidate asks the company about theirs."))
    parts_the_rubric_names: bool = Field(False, description=(
        "With parts: expect only the parts the question's own areas and key points mention (a 'why tests' answer "
        "is not marked down for leaving out rollbacks); a question that names none is not capped."))
    set_before: dict[str, str] = Field(default_factory=dict, description=(
        "part -> another part: the first part is also found when the answer says something before the first "
        "sentence where the other one matches (a story's setting comes before what the teller did, however it opens)."))
    cap_if_flagged: int | None = Field(None, ge=0, le=4)
    cap_if_missing: int | None = Field(None, ge=0, le=4)
    flag_reason: str = ""

    @field_validator("parts")
    @classmethod
    def _parts_compile(cls, parts: dict[str, list[str]]) -> dict[str, list[str]]:
        for patterns in parts.values():
            cls._compiles(patterns)
        return parts

    @field_validator("pass_patterns", "flag_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} is not a valid regular expression: {exc}") from None
        return patterns

    def applies_to(self, question: Question | None) -> bool:
        if self.everywhere:
            return True
        if question is None or question.stage in self.skip_stages:
            return False
        return (
            question.id in self.questions
            or bool(set(self.tags) & set(question.tags))
            or (self.behavioural and question.behavioural)
        )


class Contrast(Strict):
    """Two things an answer must not mix up: what is said of `a` must not be said of `b`.

    The judge assigns each property it finds to the subject it is said of (the nearest one
    before it in the sentence, or the one after "by"), ignores negated mentions, and flags the
    answer when properties land on the wrong subject more often than on the right one.
    """

    id: Slug
    a: list[Text] = Field(min_length=1)
    b: list[Text] = Field(min_length=1)
    a_says: list[Text] = Field(min_length=1)
    b_says: list[Text] = Field(min_length=1)
    misconception: Text
    cap: int = Field(1, ge=0, le=4)
    tags: list[Slug] = Field(default_factory=list)
    questions: list[QuestionId] = Field(default_factory=list)

    def applies_to(self, question: Question | None) -> bool:
        if question is None:
            return True
        return question.id in self.questions or bool(set(self.tags) & set(question.tags))


class Pack(Strict):
    """One rubric file: any mix of stages, scorecards, questions and shared settings."""

    format: Literal[1] = 1
    rubric_version: str | None = None
    recommendation: Recommendation | None = None
    outcomes: list[Competency] = Field(default_factory=list, description="Desired-outcome rows shared by every stage.")
    scorecards: list[Scorecard] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    checks: list[RuleCheck] = Field(default_factory=list)
    contrasts: list[Contrast] = Field(default_factory=list)
    synonyms: list[list[Text]] = Field(default_factory=list, description="Groups of words the matcher treats as one.")
    grading: GradingRules | None = Field(None, description="The grading rules' ceilings and thresholds (rubrics/grading.toml).")
    combiner: CombinerData | None = Field(None, description="The offline judge's fitted coefficients (rubrics/combiner.toml, "
                                          "written by tools/fit_combiner.py).")


def _require_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)


_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise_question_text(text: str) -> str:
    """Lower case, punctuation and spacing removed: how a typed question is matched to the bank."""
    return _NON_WORD.sub(" ", text.lower()).strip()
