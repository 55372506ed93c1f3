"""The interview as a state machine: ``transition(state, event) -> (state, actions)``.

Pure: no I/O, no clock, no grading. The caller (a runner) feeds events in, performs the
actions (show a prompt, grade a finished turn, save) and persists the state after each step.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from mockmle.core.answer_shape import flat_star, rambles, red_flag_for
from mockmle.core.bank import Bank
from mockmle.core.bank_models import Question, Stage
from mockmle.core.coverage import cover, credit
from mockmle.core.grading.misconceptions import find_loose_definitions, find_misconceptions
from mockmle.core.hints import next_hint
from mockmle.core.phrasebook import Phrasebook
from mockmle.core.plan import Plan, build_plan  # noqa: F401 - build_plan is re-exported for callers
from mockmle.core.safe_text import typed

FOLLOW_UP_BELOW = 0.8  # area coverage under which the interviewer probes a missed area


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- state -----------------------------------------------------------------------------


FollowUpReason = Literal["missed_area", "another_example", "steer_back", "company", "misconception"]


class Exchange(Model):
    kind: Literal["question", "follow_up"]
    prompt: str
    target_area: str | None = None
    answer: str | None = None
    seconds: float | None = None
    reason: FollowUpReason | None = Field(None, description="Why the interviewer followed up (follow-ups only).")
    source: str | None = Field(None, description="The model that wrote `prompt`; None when it is the offline text.")
    offline_prompt: str | None = Field(None, description="The offline text a model's wording replaced.")
    red_flag: str | None = Field(None, description="Reverse stage: the red flag the company's answer was asked to hint at.")
    statement: str | None = Field(None, description="Reason misconception: the candidate's sentence the follow-up probes.")
    misconception: str | None = Field(None, description="The wrong idea that sentence states, when the bank names it.")

    @property
    def hinted_red_flag(self) -> str | None:
        """The red flag the candidate actually heard: only a model-written company answer carries one."""
        return self.red_flag if self.source is not None else None


class Turn(Model):
    position: int
    question_id: str
    exchanges: list[Exchange]
    hints: list[str] = Field(default_factory=list)
    repeats: int = 0
    status: Literal["open", "answered", "skipped", "unanswered"] = "open"

    def answer_text(self) -> str:
        return "\n\n".join(e.answer for e in self.exchanges if e.answer)

    def seconds(self) -> float:
        return sum(e.seconds or 0.0 for e in self.exchanges)


class InterviewState(Model):
    plan: Plan
    status: Literal["new", "active", "finished"] = "new"
    ended_early: bool = False
    turns: list[Turn] = Field(default_factory=list)

    @property
    def current(self) -> Turn | None:
        if self.status == "active" and self.turns and self.turns[-1].status == "open":
            return self.turns[-1]
        return None


# ---- events and actions ----------------------------------------------------------------


class Start(Model):
    kind: Literal["start"] = "start"


_SURROGATE = re.compile("[\ud800-\udfff]")


class Answer(Model):
    kind: Literal["answer"] = "answer"
    text: str
    seconds: float | None = None

    @field_validator("text")
    @classmethod
    def _as_typed(cls, text: str) -> str:
        """No escape sequence reaches the database (one could retitle a terminal showing it later), and a lone
        surrogate (bad bytes typed at a terminal, which cannot be stored as UTF-8) becomes U+FFFD."""
        return typed(_SURROGATE.sub("\ufffd", text))


class Skip(Model):
    kind: Literal["skip"] = "skip"


class Repeat(Model):
    kind: Literal["repeat"] = "repeat"


class Hint(Model):
    kind: Literal["hint"] = "hint"


class End(Model):
    kind: Literal["end"] = "end"
    text: str | None = Field(None, description="A last answer to the open exchange, given as the interview ends.")
    seconds: float | None = None


class Reword(Model):
    """A model's wording for the open follow-up, replacing the offline text (or, in the reverse
    stage, the company's answer). Ignored (no state change, no actions) unless the open exchange
    is an unanswered follow-up at `position`/`exchange` when those are given, so a reply that
    arrives after the candidate moved on changes nothing."""

    kind: Literal["reword"] = "reword"
    text: Annotated[str, AfterValidator(typed)] = Field(min_length=1)
    source: str = Field(min_length=1, description="The model name.")
    position: int | None = None
    exchange: int | None = Field(None, description="Index of the exchange in its turn.")


AnyEvent = Start | Answer | Skip | Repeat | Hint | End | Reword
Event = Annotated[AnyEvent, Field(discriminator="kind")]


class Ask(Model):
    kind: Literal["ask"] = "ask"
    position: int
    question_id: str
    prompt: str
    exchange: Literal["question", "follow_up"]
    intro: str | None = Field(None, description="Stage opening, shown before the first question of a stage.")
    repeated: bool = False
    reason: FollowUpReason | None = None
    reworded: bool = Field(False, description="Replaces the prompt of the Ask shown last for this exchange.")


class ShowHint(Model):
    kind: Literal["hint"] = "hint"
    position: int
    text: str
    hints_used: int
    given: bool = Field(True, description="False when no hint was left to give: nothing was counted or charged.")


class GradeTurn(Model):
    kind: Literal["grade"] = "grade"
    position: int


class Finished(Model):
    kind: Literal["finished"] = "finished"
    message: str
    ended_early: bool


Action = Ask | ShowHint | GradeTurn | Finished


# ---- transitions -----------------------------------------------------------------------


class Interview:
    """Holds the bank and phrasebook; `transition` itself keeps no state between calls."""

    def __init__(self, bank: Bank, phrasebook: Phrasebook):
        self.bank = bank
        self.phrasebook = phrasebook

    def new(self, plan: Plan) -> InterviewState:
        for question_id in plan.question_ids:
            self.bank.question(question_id)
        return InterviewState(plan=plan)

    def transition(self, state: InterviewState, event: AnyEvent) -> tuple[InterviewState, list[Action]]:
        state = state.model_copy(deep=True)
        if state.status == "finished":  # resuming one whose scorecard was never made (killed while grading)
            return state, [self._closing(state)] if isinstance(event, Start) else []
        if isinstance(event, Start):
            if state.status == "new":
                state.status = "active"
                return state, self._open_turn(state, 0)
            return state, self.resume_actions(state)
        if state.status != "active":
            raise ValueError(f"{event.kind} before the interview started")
        if isinstance(event, Reword):
            return state, self._reword(state, event)
        if isinstance(event, End):
            if event.text and event.text.strip() and state.current is not None:
                exchange = state.current.exchanges[-1]
                exchange.answer, exchange.seconds = event.text, event.seconds
            return state, self._finish(state, early=True)
        turn = state.current
        if turn is None:
            raise ValueError("no open question")
        if isinstance(event, Answer):
            return state, self._answer(state, turn, event)
        if isinstance(event, Skip):
            if turn.answer_text().strip():  # skipping a follow-up keeps and grades what was already answered
                turn.exchanges.pop()
                turn.status = "answered"
                return state, [GradeTurn(position=turn.position), *self._advance(state)]
            turn.status = "skipped"
            return state, self._advance(state)
        if isinstance(event, Repeat):
            turn.repeats += 1
            return state, [self._ask(state, turn, repeated=True)]
        return state, [self._hint(turn)]

    def resume_actions(self, state: InterviewState) -> list[Action]:
        """What to show when a saved interview is opened again."""
        turn = state.current
        if turn is None:
            if state.status == "active":
                return self._advance(state)
            return []
        return [self._ask(state, turn)]

    # -- helpers

    def _open_turn(self, state: InterviewState, index: int) -> list[Action]:
        question = self.bank.question(state.plan.question_ids[index])
        prompt = question.prompt
        if question.asked_first and not any(not self._stage_of(t).candidate_asks for t in state.turns):
            prompt = question.asked_first
        turn = Turn(position=index, question_id=question.id, exchanges=[Exchange(kind="question", prompt=prompt)])
        state.turns.append(turn)
        return [self._ask(state, turn)]

    def _stage_of(self, turn: Turn) -> Stage:
        return self.bank.stage(self.bank.question(turn.question_id).stage)

    def _ask(self, state: InterviewState, turn: Turn, repeated: bool = False, reworded: bool = False) -> Ask:
        exchange = turn.exchanges[-1]
        stage = self._stage_of(turn)
        previous = state.turns[turn.position - 1] if turn.position > 0 else None
        first_of_stage = previous is None or self._stage_of(previous).id != stage.id
        intro = None
        if first_of_stage and len(turn.exchanges) == 1 and not repeated:
            if previous is None:
                intro = stage.intro or None
            else:  # the stage follows another: its own words for that, else a transition line before its intro
                intro = stage.intro_after or f"{self.phrasebook.next_stage_for(stage.title)} {stage.intro}".strip()
        prompt = self.phrasebook.repeat.format(question=exchange.prompt) if repeated else exchange.prompt
        return Ask(position=turn.position, question_id=turn.question_id, prompt=prompt,
                   exchange=exchange.kind, intro=intro, repeated=repeated, reason=exchange.reason, reworded=reworded)

    def _hint(self, turn: Turn) -> ShowHint:
        """A pointer at something not covered yet (see core/hints.py); only a hint given is counted."""
        question = self.bank.question(turn.question_id)
        exchange = turn.exchanges[-1]
        focus = None  # what the open follow-up asks about: its area, or the statement it probes
        if exchange.kind == "follow_up":
            focus = exchange.target_area or exchange.misconception or exchange.statement
        choice = next_hint(question, turn.answer_text(), turn.hints, f"{question.prompt}\n{exchange.prompt}",
                           self.bank.weights, focus)
        if choice is None:
            text = self.phrasebook.no_more_hints if turn.hints else self.phrasebook.no_hint
            return ShowHint(position=turn.position, text=text, hints_used=len(turn.hints), given=False)
        turn.hints.append(choice.target)
        text = self.phrasebook.hint_for(choice.target, choice.specific)
        return ShowHint(position=turn.position, text=text, hints_used=len(turn.hints))

    def _answer(self, state: InterviewState, turn: Turn, event: Answer) -> list[Action]:
        exchange = turn.exchanges[-1]
        exchange.answer = event.text
        exchange.seconds = event.seconds
        follow_ups = sum(1 for e in turn.exchanges if e.kind == "follow_up")
        if follow_ups < state.plan.max_follow_ups and event.text.strip():
            follow_up = self._choose_follow_up(state, turn, event.text)
            if follow_up is not None:
                turn.exchanges.append(follow_up)
                return [self._ask(state, turn)]
        turn.status = "answered"
        return [GradeTurn(position=turn.position), *self._advance(state)]

    def _reword(self, state: InterviewState, event: Reword) -> list[Action]:
        turn = state.current
        if turn is None or event.position not in (None, turn.position):
            return []
        index = len(turn.exchanges) - 1
        exchange = turn.exchanges[index]
        if exchange.kind != "follow_up" or exchange.answer is not None or event.exchange not in (None, index):
            return []
        if exchange.offline_prompt is None:
            exchange.offline_prompt = exchange.prompt
        exchange.prompt = event.text.strip()
        exchange.source = event.source
        return [self._ask(state, turn, reworded=True)]

    def _choose_follow_up(self, state: InterviewState, turn: Turn, latest: str) -> Exchange | None:
        """In order: the company's answer (reverse stage, model interviewer), a wrong statement,
        steering a rambling answer back, another example for a flat STAR story, then a probe of a
        missed area."""
        question = self.bank.question(turn.question_id)
        stage = self.bank.stage(question.stage)
        results = cover(question.areas, turn.answer_text(), self.bank.weights)
        reasons = {e.reason for e in turn.exchanges}
        asked = self._asked(state)
        if not stage.candidate_asks and "misconception" not in reasons:
            probe = self._probe_statement(question, turn.answer_text())
            if probe is not None:
                return probe
        if stage.candidate_asks:
            if state.plan.interviewer == "llm" and "company" not in reasons:
                prompt = next((f for f in question.follow_ups if f not in asked), self.phrasebook.company)
                return Exchange(kind="follow_up", prompt=prompt, reason="company",
                                red_flag=red_flag_for(question, turn.position, state.plan.seed))
        elif question.probe_areas:
            targeted = {e.target_area for e in turn.exchanges}
            if "steer_back" not in reasons and rambles(latest, credit(results)):
                area = next((r.area for r in results if r.status == "missed" and r.area not in targeted), None) \
                    or next((r.area for r in results if r.status != "covered" and r.area not in targeted), None)
                if area is not None:
                    return Exchange(kind="follow_up", prompt=self.phrasebook.steer_back_for(area, turn.position),
                                    target_area=area, reason="steer_back")
            if "another_example" not in reasons and flat_star(self.bank, question, turn.answer_text()):
                options = self.phrasebook.another_example
                start = turn.position % len(options)
                rotation = options[start:] + options[:start]
                prompt = next((o for o in rotation if o not in asked), rotation[0])
                return Exchange(kind="follow_up", prompt=prompt, reason="another_example")
        chosen = self._missed_area_follow_up(turn, question, results)
        if chosen is None:
            return None
        return Exchange(kind="follow_up", prompt=chosen[0], target_area=chosen[1], reason="missed_area")

    def _probe_statement(self, question: Question, answer: str) -> Exchange | None:
        """A follow-up quoting a wrong statement: a misconception the judge finds, else a loose definition."""
        wrong = find_misconceptions(self.bank, question, answer)
        if wrong:
            return Exchange(kind="follow_up", prompt=self.phrasebook.misconception_for(wrong[0].evidence),
                            reason="misconception", statement=wrong[0].evidence, misconception=wrong[0].misconception)
        loose = find_loose_definitions(self.bank, question, answer)
        if loose:
            return Exchange(kind="follow_up", prompt=self.phrasebook.imprecise_for(loose[0].statement, loose[0].subject),
                            reason="misconception", statement=loose[0].statement)
        return None

    @staticmethod
    def _asked(state: InterviewState) -> set[str]:
        return {e.prompt for t in state.turns for e in t.exchanges}

    def _missed_area_follow_up(self, turn: Turn, question: Question, results) -> tuple[str, str] | None:
        """A bank follow-up aimed at the first missed area, else a probe naming that area."""
        weights = self.bank.weights
        missed = [r.area for r in results if r.status == "missed"]
        if not missed or credit(results) >= FOLLOW_UP_BELOW:
            return None
        asked = {e.prompt for e in turn.exchanges}
        targeted = {e.target_area for e in turn.exchanges}
        candidates = [f for f in question.follow_ups if f not in asked]
        best: tuple[float, str, str] | None = None
        for area in missed:
            if area in targeted:
                continue
            area_terms = weights.terms(area)
            for follow_up in candidates:
                score = weights.overlap(area_terms, weights.terms(follow_up))
                if score >= 0.2 and (best is None or score > best[0]):
                    best = (score, follow_up, area)
        if best is not None:
            return best[1], best[2]
        if not question.probe_areas:  # the areas are notes for the interviewer: ask the bank's own follow-up
            return (candidates[0], missed[0]) if candidates else None
        area = next((a for a in missed if a not in targeted), None)
        if area is None:
            return None
        return self.phrasebook.probe_for(area, turn.position), area

    def _advance(self, state: InterviewState) -> list[Action]:
        next_index = len(state.turns)
        if next_index >= len(state.plan.question_ids):
            return self._finish(state, early=False)
        return self._open_turn(state, next_index)

    def _finish(self, state: InterviewState, early: bool) -> list[Action]:
        actions: list[Action] = []
        turn = state.current
        if turn is not None:
            if turn.answer_text().strip():
                turn.status = "answered"
                actions.append(GradeTurn(position=turn.position))
            else:
                turn.status = "unanswered"
        state.status = "finished"
        state.ended_early = early
        return [*actions, self._closing(state)]

    def _closing(self, state: InterviewState) -> Finished:
        message = self.phrasebook.ended_early if state.ended_early else self.phrasebook.closing
        return Finished(message=message, ended_early=state.ended_early)
