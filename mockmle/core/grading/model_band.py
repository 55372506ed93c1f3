"""How a model's band and the rule checks are combined into one grade (any model, any server).

`llm/judge.py` asks the model and reads its reply into a `ModelVerdict`; everything after that
happens here, with the ceilings of rubrics/grading.toml.

Evidence rule. Every quote is looked up in the answer (`evidence.AnswerText`). An area or key
point whose quote is not there is marked missed; one whose quote is under `min_quote_words`
words counts as partly at most; one passage quoted for more than `quote_reuse` items counts as
partly for all but the one it speaks to best. Then the band is capped when it rests on evidence
that is not in the answer: none of the quotes found, more than half not found, a 3 or 4 with no
quote at all, or one passage carrying most of the grade.

Rules beside the model. The offline judge grades the same answer; its checks and misconceptions
are the grade's. Hard caps bind the model's band, because they are explicit statements no
rewording rescues or findings the model cannot be trusted on: a rubric check's red-flag pattern,
a listed misconception stated, an answer to another question, a behavioural answer told only as
what the candidate would do, and text addressed to the grader (the model being the one addressed).
Every other failed check, and an offline band `disagreement` or more bands away, is shown beside
the grade in `conflicts`, with both bands and the offline judge's reason.

Self-consistency: with several samples the band is the lower median, and the grade is built from
a sample with that band.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from mockmle.core.bank import Bank
from mockmle.core.grading.caps import Cap, CapLedger
from mockmle.core.grading.checks import run_check
from mockmle.core.grading.evidence import AnswerText, off_topic_quotes, one_quote_for_many
from mockmle.core.grading.misconceptions import find_misconceptions
from mockmle.core.grading.models import AreaResult, AreaStatus, Grade, GradeRequest, MisconceptionFound, Provenance
from mockmle.core.grading.story import HYPOTHETICAL_CHECK

INJECTION_CHECK = "no-grader-instructions"
TOPIC_CHECK = "on-topic"  # core/grading/topicality.py: an answer to another question caps any judge


@dataclass(frozen=True)
class ModelItem:
    status: AreaStatus
    evidence: str


@dataclass(frozen=True)
class ModelVerdict:
    """One reply of the model, read: items by their index in the offline grade's areas and key points."""

    model: str
    band: int
    reasoning: str = ""
    strength: str = ""
    improvement: str = ""
    areas: dict[int, ModelItem] = field(default_factory=dict)
    key_points: dict[int, ModelItem] = field(default_factory=dict)
    misconceptions: list[MisconceptionFound] = field(default_factory=list)  # evidence as the model quoted it
    competencies: dict[str, int] = field(default_factory=dict)


@dataclass
class _Verified:
    areas: list[AreaResult]
    key_points: list[AreaResult]
    misconceptions: list[MisconceptionFound]
    notes: list[str]
    cap: Cap | None


def combine(bank: Bank, request: GradeRequest, offline: Grade, verdicts: list[ModelVerdict], samples_wanted: int,
            sample_failed: bool, provenance: Provenance) -> Grade:
    """The grade: the model's band, checked against its evidence and capped by the hard rules."""
    bands = [v.band for v in verdicts]
    band = statistics.median_low(bands)
    verdict = next(v for v in verdicts if v.band == band)
    explanation = [f"the model ({verdict.model}) gives band {band}: {verdict.reasoning.strip()}".rstrip(": ")]
    if len(verdicts) > 1 or sample_failed:
        explanation.append(f"self-consistency: {len(verdicts)} of {samples_wanted} samples gave "
                           f"{', '.join(map(str, bands))}: median {band}, spread {max(bands) - min(bands)}")
    verified = _verify(bank, verdict, offline, request)
    explanation += verified.notes
    conflicts: list[str] = []
    if verified.cap and verified.cap.ceiling < band:
        conflicts.append(f"the model's band {band} is not supported by its evidence ({verified.cap.detail}): "
                         f"capped at {verified.cap.ceiling}")
    hard = hard_caps(bank, request, offline)
    conflicts += [f"{cap.source} caps the model's band {band} at {cap.ceiling}: {cap.detail}" for cap in hard
                  if cap.ceiling < band]
    binding = ([verified.cap] if verified.cap else []) + hard
    ledger = CapLedger(band, explanation)
    for cap in binding:
        if cap.ceiling < ledger.band:
            ledger.apply(cap)
    final = ledger.band
    conflicts += _soft_conflicts(bank, request, offline, final)
    explanation.append(f"the offline judge, beside it, gives band {offline.band}")

    ceiling = min((c.ceiling for c in binding), default=4)
    competencies = {cid: min(verdict.competencies.get(cid, final), ceiling, 4) for cid in offline.competencies}
    decisive = min((c for c in hard if c.ceiling < band), key=lambda c: c.ceiling, default=None)
    improvement = f"Fix this first: {decisive.advice or decisive.reason}." if decisive else verdict.improvement.strip()
    misconceptions = list(offline.misconceptions)
    said = {m.misconception for m in misconceptions}
    misconceptions += [m for m in verified.misconceptions if m.misconception not in said]
    return Grade(
        band=final, competencies=competencies, areas=verified.areas, key_points=verified.key_points,
        checks=offline.checks, misconceptions=misconceptions, strength=verdict.strength.strip(),
        improvement=improvement, explanation=explanation, conflicts=conflicts,
        samples=bands if len(verdicts) > 1 or sample_failed else [],
        provenance=provenance.model_copy(update={"judge": verdict.model}),
    )


def _verify(bank: Bank, verdict: ModelVerdict, offline: Grade, request: GradeRequest) -> _Verified:
    rules, ceilings = bank.grading, bank.grading.ceilings
    answer = AnswerText(request.answer)
    notes: list[str] = []
    cited = supported = 0
    not_found: list[str] = []
    results: dict[str, list[AreaResult]] = {}
    for prefix, targets, given in (("A", offline.areas, verdict.areas), ("K", offline.key_points, verdict.key_points)):
        items = []
        for index, target in enumerate(targets):
            judged = given.get(index)
            if judged is None or judged.status == "missed":
                items.append(AreaResult(area=target.area, status="missed"))
                continue
            cited += 1
            match = answer.find(judged.evidence)
            if not match.found:
                not_found.append(f"{prefix}{index + 1}")
                items.append(AreaResult(area=target.area, status="missed"))
                continue
            supported += 1
            status = judged.status if match.words >= rules.min_quote_words else "partly"
            items.append(AreaResult(area=target.area, status=status, evidence=match.excerpt))
        results[prefix] = items
    vocabulary = set().union(*(bank.weights.terms(text) for text in
                               (request.question_text, *(r.area for r in (*offline.areas, *offline.key_points)))))
    unrelated = off_topic_quotes(results, vocabulary, bank.weights)
    if unrelated:
        notes.append(f"evidence check: {unrelated} quote(s) share nothing with the question, its areas or key points; "
                     "counted as partly at most")
    reused = one_quote_for_many(results, bank.weights, rules.quote_reuse)
    if reused:
        notes.append(f"evidence check: one passage was quoted for {reused} areas and key points; it counts as "
                     "partly for all but the one it speaks to best")
    if not_found:
        notes.append(f"evidence check: {len(not_found)} of {cited} quotes are not in the answer; "
                     f"marked missed: {', '.join(not_found)}")
    misconceptions, dropped = [], 0
    for item in verdict.misconceptions:
        match = answer.find(item.evidence)
        if not match.found:
            dropped += 1
            continue
        misconceptions.append(MisconceptionFound(misconception=item.misconception, evidence=match.excerpt))
    if dropped:
        notes.append(f"evidence check: {dropped} wrong statement(s) the model reported are not in the answer; dropped")
    cap = None
    if cited and not supported:
        cap = Cap(ceilings.no_quote_found, "evidence check",
                  f"none of the {cited} quotes the model gave as evidence is in the answer")
    elif len(not_found) * 2 > cited:
        cap = Cap(ceilings.quotes_not_found, "evidence check",
                  f"{len(not_found)} of {cited} quotes the model gave as evidence are not in the answer")
    elif not cited and verdict.band >= 3:
        cap = Cap(ceilings.unquoted_top_band, "evidence check", "the model quotes no evidence from the answer")
    elif unrelated * 2 > supported:
        cap = Cap(ceilings.unrelated_quotes, "evidence check",
                  f"{unrelated} of the {supported} quotes the model gave share nothing with what the question asks")
    elif reused and reused * 2 > supported:
        cap = Cap(ceilings.one_quote_for_most, "evidence check",
                  f"one passage is the evidence for {reused} of the {supported} areas and key points the model found")
    return _Verified(results["A"], results["K"], misconceptions, notes, cap)


def hard_caps(bank: Bank, request: GradeRequest, offline: Grade) -> list[Cap]:
    """The findings that bind a model's band as they bind the offline judge's."""
    ceilings = bank.grading.ceilings
    answer = request.answer.strip()
    caps = []
    for check in bank.checks.values():
        if check.applies_to(request.question) and _flagged(check.flag_patterns, answer):
            outcome = run_check(check, answer, request.question)
            if outcome.cap is not None:
                caps.append(Cap(outcome.cap, f'rule check "{check.id}"', outcome.reason, outcome.reason))
    caps += _misconception_caps(bank, request)
    off_topic = _failed(offline, TOPIC_CHECK)
    if off_topic is not None:
        reason = next((line.split(": ", 1)[1] for line in offline.explanation if "off topic" in line), "off topic")
        caps.append(Cap(min(ceilings.off_topic, offline.band), "topicality", reason, reason))
    imagined = _failed(offline, HYPOTHETICAL_CHECK)
    if imagined is not None:
        caps.append(Cap(ceilings.no_example, "a hypothetical", f'the story is told as what you would do ("{imagined.evidence}"), '
                        "not what you did", "tell what you did in a real situation, not what you would do"))
    injection = _failed(offline, INJECTION_CHECK)
    if injection is not None:
        caps.append(Cap(ceilings.grader_instructions, "an instruction to the grader",
                        f'the answer says "{injection.evidence}"',
                        f'the answer tries to instruct the grader ("{injection.evidence}")'))
    return caps


def _misconception_caps(bank: Bank, request: GradeRequest) -> list[Cap]:
    """Each listed misconception the answer states, at the ceiling its finder sets."""
    caps = []
    for found in find_misconceptions(bank, request.question, request.answer):
        source, _, detail = found.reason.partition(": ")
        caps.append(Cap(found.cap, source, detail) if detail else Cap(found.cap, "a wrong statement", found.reason))
    return caps


def _soft_conflicts(bank: Bank, request: GradeRequest, offline: Grade, final: int) -> list[str]:
    lines = []
    answer = request.answer.strip()
    for check in bank.checks.values():
        if not check.applies_to(request.question) or _flagged(check.flag_patterns, answer):
            continue
        outcome = run_check(check, answer, request.question)
        if outcome.cap is not None and outcome.cap < final:
            lines.append(f'rule check "{check.id}" would cap at {outcome.cap}, the model\'s band {final} stands: '
                         f"{outcome.reason}")
    if offline.band < final:
        for result in offline.checks:
            hard = result.id in (TOPIC_CHECK, INJECTION_CHECK, HYPOTHETICAL_CHECK)
            if not result.passed and result.id not in bank.checks and not hard:
                lines.append(f'offline check "{result.id}" failed, the model\'s band {final} stands: '
                             f"{result.description[0].lower()}{result.description[1:]}")
    if abs(offline.band - final) >= bank.grading.disagreement:
        why = next((line for line in reversed(offline.explanation) if line.startswith("capped at")),
                   offline.explanation[-1] if offline.explanation else "")
        lines.append(f"the offline judge gives band {offline.band} and the model {final}, "
                     f"{abs(offline.band - final)} bands apart; the model's band stands (offline: {why})")
    return lines


def _failed(offline: Grade, check_id: str):
    return next((c for c in offline.checks if c.id == check_id and not c.passed), None)


def _flagged(patterns: list[str], answer: str) -> bool:
    return any(re.search(p, answer, re.IGNORECASE | re.MULTILINE) for p in patterns)
