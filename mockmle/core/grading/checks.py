"""Run the rule checks defined in rubrics/checks.toml against an answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mockmle.core.bank_models import Question, RuleCheck
from mockmle.core.grading.models import CheckResult
from mockmle.core.text import sentences


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.MULTILINE)


def _search(patterns: list[str], answer: str) -> re.Match[str] | None:
    for pattern in patterns:
        if found := _compiled(pattern).search(answer):
            return found
    return None


def _result(check: RuleCheck, passed: bool, matches: list[re.Match[str]], description: str = "", **extra) -> CheckResult:
    return CheckResult.model_construct(id=check.id, description=description or check.description, passed=passed,
                                       evidence=" … ".join(m.group(0) for m in matches),
                                       spans=[m.span() for m in matches], **extra)


@dataclass(frozen=True)
class CheckOutcome:
    result: CheckResult
    cap: int | None
    reason: str


def _set_before(anchor: list[str], answer: str) -> re.Match[str] | None:
    """The opening sentence, when at least one sentence comes before the first one `anchor` matches."""
    spans = sentences(answer)
    first = next((i for i, span in enumerate(spans) if _search(anchor, span.text) is not None), None)
    if not first:  # None (never matches) or 0 (the answer opens with it)
        return None
    return re.compile(re.escape(spans[0].text)).search(answer)


def _expected(check: RuleCheck, question: Question | None) -> list[str]:
    """The parts an answer is expected to show: all of them, or those the question's rubric names."""
    if not check.parts_the_rubric_names or question is None:
        return list(check.parts)
    rubric = "\n".join((*question.areas, *question.key_points))
    return [name for name, patterns in check.parts.items() if _search(patterns, rubric) is not None]


def _parts(check: RuleCheck, answer: str, question: Question | None = None) -> CheckOutcome:
    found = {name: hit for name, patterns in check.parts.items() if (hit := _search(patterns, answer)) is not None}
    for name, anchor in check.set_before.items():
        if name not in found and anchor in check.parts and (hit := _set_before(check.parts[anchor], answer)) is not None:
            found[name] = hit
    found = {name: found[name] for name in check.parts if name in found}  # in the check's order
    expected = _expected(check, question)
    missing = [name for name in expected if name not in found]
    passed = len(found) >= min(check.min_parts, len(expected))
    description = f"{check.description} ({len(found)} of {len(check.parts)}: {', '.join(found) or 'none'})"
    result = _result(check, passed, list(found.values()), description, parts_found=list(found))
    if passed:
        return CheckOutcome(result, None, "")
    reason = f"{check.description[0].lower()}{check.description[1:]}: missing {', '.join(missing)}"
    return CheckOutcome(result, check.cap_if_missing, reason)


def run_check(check: RuleCheck, answer: str, question: Question | None = None) -> CheckOutcome:
    flagged = _search(check.flag_patterns, answer)
    if flagged is not None:
        reason = check.flag_reason or f"failed check: {check.description.lower()}"
        return CheckOutcome(_result(check, False, [flagged]), check.cap_if_flagged, reason)
    if check.parts:
        return _parts(check, answer, question)
    if not check.pass_patterns:
        return CheckOutcome(_result(check, True, []), None, "")
    shown = _search(check.pass_patterns, answer)
    if shown is not None:
        return CheckOutcome(_result(check, True, [shown]), None, "")
    reason = f"missing: {check.description[0].lower()}{check.description[1:]}"
    return CheckOutcome(_result(check, False, []), check.cap_if_missing, reason)


def run_checks(checks: list[RuleCheck], question: Question | None, answer: str) -> list[CheckOutcome]:
    return [run_check(check, answer, question) for check in checks if check.applies_to(question)]


_WE = re.compile(r"\bwe\b", re.IGNORECASE)


def action_share(check: RuleCheck | None, answer: str) -> float | None:
    """Share of a story's sentences that say what was done, rather than set the scene; None for short answers.

    "We shipped it" is action too: whether the teller says what *they* did is the ownership check's
    question, not this one's.
    """
    spans = sentences(answer)
    if check is None or "action" not in check.parts or len(spans) < 5:
        return None
    acted = [s for s in spans if _search(check.parts["action"], _WE.sub("I", s.text)) is not None]
    return len(acted) / len(spans)
