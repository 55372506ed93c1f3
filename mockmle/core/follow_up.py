"""What a model needs to word one follow-up (or, in the reverse stage, the company's answer).

Built from the interview state after the engine has opened a follow-up: the engine decides
*whether* and *why* to follow up; the model only decides the words. Earlier turns are kept as
one line each and trimmed to a token budget, so every call's prompt is bounded and prompt
tokens over an interview grow linearly with the number of questions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mockmle.core.bank import Bank
from mockmle.core.coverage import cover
from mockmle.core.interview import InterviewState, Turn
from mockmle.core.text import content_terms, words
from mockmle.core.tokens import fit_recent

HISTORY_BUDGET = 400  # tokens for the one-line summaries of earlier questions
ANSWER_WORDS = 300  # an answer longer than this is clipped in the prompt (the start says what it is about)
LINE_WORDS = 24  # a question or company answer quoted in a history line is clipped to this
LINE_AREAS = 3  # areas named per history line; the rest are counted


def approx_tokens(text: str) -> int:
    """About four characters a token: enough to keep a budget without loading a tokenizer."""
    return max(1, (len(text) + 3) // 4)


@dataclass(frozen=True)
class FollowUpContext:
    stage_id: str
    stage_title: str
    candidate_asks: bool
    position: int
    question_id: str
    question: str
    dialogue: tuple[tuple[str, str], ...]  # (what the interviewer asked, what the candidate answered), this turn
    covered_areas: tuple[str, ...]
    missed_areas: tuple[str, ...]
    reason: str | None  # why the engine followed up: missed_area, another_example, steer_back, company, misconception
    target_area: str | None
    statement: str | None  # misconception: the candidate's sentence to probe
    misconception: str | None  # misconception: the wrong idea it states, when the bank names it
    offline_prompt: str  # what the offline interviewer would say; kept if the model fails
    asked: tuple[str, ...]  # every prompt already put to the candidate this session (for `is_repeat`)
    red_flags: tuple[str, ...]  # reverse stage: the warning signs this topic can show
    red_flag: str | None  # reverse stage: the one the company's answer should hint at, if any
    history: tuple[str, ...]  # earlier questions, one line each, most recent last
    history_omitted: int  # how many older lines the budget left out

    @property
    def answers(self) -> list[str]:
        return [answer for _, answer in self.dialogue]


def follow_up_context(bank: Bank, state: InterviewState, position: int | None = None,
                      count: Callable[[str], int] = approx_tokens, budget: int = HISTORY_BUDGET) -> FollowUpContext:
    """Context for the open, unanswered follow-up of the turn at `position` (default: the open turn)."""
    turn = state.current if position is None else state.turns[position]
    if turn is None:
        raise ValueError("no open question to follow up")
    exchange = turn.exchanges[-1]
    if exchange.kind != "follow_up" or exchange.answer is not None:
        raise ValueError(f"question {turn.position + 1} has no open follow-up")
    question = bank.question(turn.question_id)
    stage = bank.stage(question.stage)
    results = cover(question.areas, turn.answer_text(), bank.weights)
    lines = [_history_line(bank, t) for t in state.turns if t.position < turn.position]
    history, omitted = fit_recent(lines, budget, count)
    asked = [e.prompt for t in state.turns for e in t.exchanges if e is not exchange]
    return FollowUpContext(
        stage_id=stage.id,
        stage_title=stage.title,
        candidate_asks=stage.candidate_asks,
        position=turn.position,
        question_id=question.id,
        question=question.prompt,
        dialogue=tuple((e.prompt, clip_words(e.answer, ANSWER_WORDS)) for e in turn.exchanges if e.answer),
        covered_areas=tuple(r.area for r in results if r.status == "covered"),
        missed_areas=tuple(r.area for r in results if r.status == "missed"),
        reason=exchange.reason,
        target_area=exchange.target_area,
        statement=exchange.statement,
        misconception=exchange.misconception,
        offline_prompt=exchange.offline_prompt or exchange.prompt,
        asked=tuple(dict.fromkeys(asked)),
        red_flags=tuple(question.red_flags) if stage.candidate_asks else (),
        red_flag=exchange.red_flag if stage.candidate_asks else None,
        history=tuple(history),
        history_omitted=omitted,
    )


def _history_line(bank: Bank, turn: Turn) -> str:
    question = bank.question(turn.question_id)
    line = f"Q{turn.position + 1} {clip_words(question.prompt, LINE_WORDS)} — "
    if turn.status != "answered":
        return line + {"skipped": "skipped", "open": "in progress"}.get(turn.status, "not answered")
    results = cover(question.areas, turn.answer_text(), bank.weights)
    covered = [r.area for r in results if r.status == "covered"]
    missed = [r.area for r in results if r.status == "missed"]
    line += "answered"
    if covered:
        line += "; covered " + _some(covered)
    if missed:
        line += "; missed " + _some(missed)
    said = [e.prompt for e in turn.exchanges if e.reason == "company" and e.source is not None]
    if said:  # so the company stays consistent with what it already told the candidate
        line += f'; we told them: "{clip_words(said[0], LINE_WORDS)}"'
    return line


def _some(areas: list[str]) -> str:
    shown = ", ".join(areas[:LINE_AREAS])
    return shown + (f" and {len(areas) - LINE_AREAS} more" if len(areas) > LINE_AREAS else "")


def clip_words(text: str, limit: int) -> str:
    parts = text.split()
    return text.strip() if len(parts) <= limit else " ".join(parts[:limit]) + " […]"


def _terms(text: str) -> set[str]:
    return set(content_terms(text))


def is_repeat(text: str, asked: tuple[str, ...] | list[str], threshold: float = 0.8) -> bool:
    """True when `text` asks again what an earlier prompt asked: the same words once normalised,
    content-word overlap (Jaccard) of at least `threshold`, or an earlier question of four or more
    content words restated whole inside it. A new question that merely shares a topic word with
    the original question (it probes an area the question named) is not a repeat."""
    normal = " ".join(words(text))
    mine = _terms(text)
    for prompt in asked:
        if " ".join(words(prompt)) == normal:
            return True
        theirs = _terms(prompt)
        if not mine or not theirs:
            continue
        shared = len(mine & theirs)
        if shared / len(mine | theirs) >= threshold:
            return True
        if len(theirs) >= 4 and shared / len(theirs) >= 0.9:
            return True
    return False
