"""How an answer was told, as an interviewer hears it (seed 003), and the reverse stage's red flags.

A STAR story that falls flat gets a request for another example; an answer that rambles gets
steered back to what it left out. Pure and deterministic, so the offline interviewer and the
model-backed one make the same call.
"""

from __future__ import annotations

import zlib

from mockmle.core.bank import Bank
from mockmle.core.bank_models import Question
from mockmle.core.grading.checks import run_check
from mockmle.core.grading.signals import read_signals

STAR_CHECK = "star-structure"
RAMBLE_WORDS = 250  # longer than this and covering under RAMBLE_CREDIT of the areas: steer back
RAMBLE_CREDIT = 0.5


def flat_star(bank: Bank, question: Question, answer: str) -> bool:
    """A behavioural answer with too few STAR parts and nothing measured in it."""
    check = bank.checks.get(STAR_CHECK)
    if not question.behavioural or check is None or not check.parts:
        return False
    parts = run_check(check, answer).result.parts_found
    return len(parts) < max(1, check.min_parts) and read_signals(answer).numbers == 0


def rambles(answer: str, area_credit: float) -> bool:
    """Long, and most of its length spent away from the areas the question is about."""
    return read_signals(answer).word_count > RAMBLE_WORDS and area_credit < RAMBLE_CREDIT


def red_flag_for(question: Question, position: int, seed: int | None) -> str | None:
    """Whether the company's answer to this question hints at a red flag, and which one.

    About one answer in two does. A stable hash (not Python's salted `hash`) of the plan seed,
    question and position, so a resumed or replayed interview makes the same choice.
    """
    if not question.red_flags:
        return None
    digest = zlib.crc32(f"{seed if seed is not None else ''}:{question.id}:{position}".encode())
    if digest % 2:
        return None
    return question.red_flags[(digest >> 1) % len(question.red_flags)]
