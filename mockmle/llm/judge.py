"""The LLM judge: a model grades each answer against the published scorecard, checked by rules.

The model returns `JudgeOutput` (structured output, see `structured.py`): per area and key point
a verbatim quote and a status, any wrong statements, its reasoning, then competency scores and
the overall band last, so the evidence is written before the numbers.

Evidence rule. Every quote is looked up in the answer (`core.grading.evidence`). An area or key
point whose quote is not there is marked missed; one whose quote is under three words counts
as partly at most. Then the band is capped, and the grade marked in `conflicts`, when it rests
on evidence that is not in the answer:
- none of the quotes the model gave for covered or partly items is in the answer: cap 1;
- more than half of them are not in the answer: cap 2;
- the model gives 3 or 4 but quotes nothing at all: cap 2.

Rules beside the model. The offline judge grades the same answer; its rule checks and the
misconceptions it finds are the grade's `checks` and `misconceptions`. Three kinds of finding
cap the model's band, because they are explicit statements no rewording rescues: a rubric
check's red-flag pattern (`flag_patterns` in rubrics/checks.toml), a contrast said the wrong
way round (rubrics/claims.toml), and text instructing the grader (the model being the one
instructed, its own view of that text cannot be trusted). Every other failed check, and an
offline band two or more away from the final band, is only reported in `conflicts`.

Self-consistency: with `judge_samples` n > 1 the model is asked n times; the band is the lower
median, the grade is built from a sample with that band, and `samples` keeps every band.
An empty answer is graded by the offline judge alone, with no model call.

Any model fault (timeouts, refused connections, rate limits, server errors, refusals, replies
still invalid after one corrective retry) gives the offline judge's grade for that turn,
labelled as a fallback with the reason. `grade` never raises for a model fault.
"""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from mockmle.core.bank import Bank
from mockmle.core.bank_models import Question
from mockmle.core.grading.checks import run_check
from mockmle.core.grading.evidence import AnswerText, one_quote_for_many
from mockmle.core.grading.models import AreaResult, AreaStatus, Grade, GradeRequest, MisconceptionFound, Provenance
from mockmle.core.grading.main_answer import bound_by_main
from mockmle.core.grading.offline import OfflineGrader
from mockmle.llm.client import ChatClient, ChatRequest
from mockmle.llm.faults import LLMError
from mockmle.llm.prompts import candidate_block, load_prompt
from mockmle.llm.structured import Structured, StructuredAsker, strict_schema

JUDGE_VERSION = "llm-judge-1"
PROMPT = "judge"
MIN_QUOTE_WORDS = 3
EVIDENCE_CAP = 2
NO_EVIDENCE_CAP = 1
QUOTE_REUSE = 2  # one passage may show this many areas and key points; beyond that it is partly evidence at most
INJECTION_CAP = 1
DISAGREEMENT = 2  # bands apart before the offline judge's view is reported as a conflict
INJECTION_CHECK = "no-grader-instructions"
TOPIC_CHECK = "on-topic"  # core/grading/topicality.py: an answer to another question caps any judge


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemJudgement(_Out):
    id: str = Field(description="The id given in the prompt: A1, A2, ... for areas, K1, K2, ... for key points.")
    evidence: str = Field(description="The shortest passage of the answer showing it, copied word for word; empty when missed.")
    status: AreaStatus


class MisconceptionJudgement(_Out):
    evidence: str = Field(description="The wrong statement, copied word for word from the answer.")
    misconception: str = Field(description="The id of a listed misconception (M1, ...) or a few words naming the error.")


class CompetencyJudgement(_Out):
    id: str = Field(description="A competency id from the scorecard list.")
    score: int = Field(ge=0, le=4)


class JudgeOutput(_Out):
    areas: list[ItemJudgement]
    key_points: list[ItemJudgement]
    misconceptions: list[MisconceptionJudgement]
    reasoning: str = Field(description="Two to four sentences: what the answer shows and lacks, and why that band.")
    strength: str = Field(description="One sentence: the best thing in the answer, or empty.")
    improvement: str = Field(description="One sentence: the most useful thing to add or fix.")
    competencies: list[CompetencyJudgement]
    band: int = Field(ge=0, le=4, description="Overall band 0-4, decided last.")


@dataclass(frozen=True)
class _Cap:
    ceiling: int
    source: str  # what caps: 'rule check "mentions-tests"', 'said the wrong way round', ...
    detail: str
    advice: str = ""  # the improvement line when this cap decides the band; default: the reason

    @property
    def reason(self) -> str:
        return f"{self.source}: {self.detail}"


@dataclass
class _Verified:
    areas: list[AreaResult]
    key_points: list[AreaResult]
    misconceptions: list[MisconceptionFound]
    notes: list[str]
    cap: _Cap | None


class LLMGrader:
    """Grades with a model, the offline judge's rule checks beside it, and the offline judge as fallback."""

    def __init__(self, client: ChatClient, bank: Bank, offline: OfflineGrader | None = None,
                 asker: StructuredAsker | None = None):
        self.client = client
        self.bank = bank
        self.offline = offline or OfflineGrader(bank)
        self.asker = asker or StructuredAsker(client)
        self.template = load_prompt(PROMPT)

    @property
    def name(self) -> str:
        try:
            return f"llm:{self.client.model_for('judge')}"
        except LLMError:
            return "llm"

    def grade(self, request: GradeRequest) -> Grade:
        offline = self.offline.grade(request)
        if not request.answer.strip():
            return offline
        try:
            replies, failure = self._ask(request, offline)
        except LLMError as error:
            return self._fallback(offline, error)
        combined = self._combine(request, offline, replies, failure)
        return bound_by_main(combined, offline.main_band) if offline.main_band is not None else combined

    # -- asking

    def _ask(self, request: GradeRequest, offline: Grade) -> tuple[list[Structured[JudgeOutput]], LLMError | None]:
        """One reply per self-consistency sample; stops at the first fault once one sample has answered."""
        chat = ChatRequest(purpose="judge", role="judge", messages=self._messages(request, offline),
                           prompt_version=self.template.version, session_id=request.session_id,
                           position=request.position)
        instructions = self.template.part("schema_instructions", schema=json.dumps(strict_schema(JudgeOutput)))
        replies: list[Structured[JudgeOutput]] = []
        for _ in range(max(1, self.client.config.judge_samples)):
            try:
                replies.append(self.asker.ask(chat, JudgeOutput, instructions, name="judge_grade"))
            except LLMError as error:
                if not replies:
                    raise
                return replies, error
        return replies, None

    def _messages(self, request: GradeRequest, offline: Grade) -> list[dict]:
        question = request.question
        stage_id = question.stage if question else request.stage
        stage = self.bank.stages.get(stage_id) if stage_id else None
        reference = ""
        if request.reference and question is None:
            reference = self.template.part("reference", text=candidate_block(request.reference)) + "\n"
        return self.template.render(
            bands=self.template.part("bands"),
            question=request.question_text.strip(),
            stage=stage.title if stage else "ad-hoc question",
            scorecard=self._scorecard(question) or self.template.part("no_scorecard"),
            areas=_numbered("A", [a.area for a in offline.areas]),
            key_points=_numbered("K", [k.area for k in offline.key_points]),
            misconceptions=_numbered("M", self._misconceptions(question)),
            reference=reference,
            red_flag=self.template.part("red_flag", text=request.red_flag) + "\n" if request.red_flag else "",
            answer=candidate_block(request.answer),
        )

    def _scorecard(self, question: Question | None) -> str:
        if question is None:
            return ""
        rows = []
        for competency_id in question.competencies:
            competency = self.bank.competency(question.stage, competency_id)
            if competency is not None:
                levels = "\n".join(f"    {level}: {anchor}" for level, anchor in enumerate(competency.anchors))
                rows.append(f"- {competency.id} ({competency.name}):\n{levels}")
        return "\n".join(rows)

    @staticmethod
    def _misconceptions(question: Question | None) -> list[str]:
        return list(question.misconceptions) if question else []

    # -- combining

    def _combine(self, request: GradeRequest, offline: Grade, replies: list[Structured[JudgeOutput]],
                 failure: LLMError | None) -> Grade:
        bands = [r.value.band for r in replies]
        band = statistics.median_low(bands)
        chosen = next(r for r in replies if r.value.band == band)
        output = chosen.value
        model = chosen.result.model
        explanation = [f"the model ({model}) gives band {band}: {output.reasoning.strip()}".rstrip(": ")]
        if len(replies) > 1 or failure is not None:
            wanted = max(1, self.client.config.judge_samples)
            explanation.append(f"self-consistency: {len(replies)} of {wanted} samples gave "
                               f"{', '.join(map(str, bands))}: median {band}, spread {max(bands) - min(bands)}")
        conflicts: list[str] = []
        verified = self._verify(output, offline, request)
        explanation += verified.notes
        caps = [verified.cap] if verified.cap else []
        if verified.cap and verified.cap.ceiling < band:
            conflicts.append(f"the model's band {band} is not supported by its evidence ({verified.cap.detail}): "
                             f"capped at {verified.cap.ceiling}")
        hard = self._hard_caps(request, offline)
        for cap in hard:
            if cap.ceiling < band:
                conflicts.append(f"{cap.source} caps the model's band {band} at {cap.ceiling}: {cap.detail}")
        caps += hard
        final = band
        for cap in caps:
            if cap.ceiling < final:
                final = cap.ceiling
                explanation.append(f"capped at {cap.ceiling}: {cap.reason}")
        conflicts += self._soft_conflicts(request, offline, final, hard)
        explanation.append(f"the offline judge, beside it, gives band {offline.band}")

        ceiling = min((c.ceiling for c in caps), default=4)
        scores = {c.id: c.score for c in output.competencies}
        competencies = {cid: min(scores.get(cid, final), ceiling, 4) for cid in offline.competencies}
        decisive = min((c for c in hard if c.ceiling < band), key=lambda c: c.ceiling, default=None)
        improvement = f"Fix this first: {decisive.advice or decisive.reason}." if decisive else output.improvement.strip()
        misconceptions = list(offline.misconceptions)
        said = {m.misconception for m in misconceptions}
        misconceptions += [m for m in verified.misconceptions if m.misconception not in said]
        return Grade(
            band=final, competencies=competencies, areas=verified.areas, key_points=verified.key_points,
            checks=offline.checks, misconceptions=misconceptions, strength=output.strength.strip(),
            improvement=improvement, explanation=explanation, conflicts=conflicts,
            samples=bands if len(replies) > 1 or failure is not None else [],
            provenance=Provenance(judge=model, judge_version=JUDGE_VERSION, rubric_version=self.bank.rubric_version,
                                  prompt_version=self.template.version),
        )

    def _verify(self, output: JudgeOutput, offline: Grade, request: GradeRequest) -> _Verified:
        answer = AnswerText(request.answer)
        notes: list[str] = []
        cited = supported = 0
        not_found: list[str] = []
        results: dict[str, list[AreaResult]] = {}
        for prefix, targets, given in (("A", offline.areas, output.areas), ("K", offline.key_points, output.key_points)):
            by_index = _by_index(prefix, [t.area for t in targets], given)
            items = []
            for index, target in enumerate(targets):
                judged = by_index.get(index)
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
                status = judged.status if match.words >= MIN_QUOTE_WORDS else "partly"
                items.append(AreaResult(area=target.area, status=status, evidence=match.excerpt))
            results[prefix] = items
        reused = one_quote_for_many(results, self.bank.weights, QUOTE_REUSE)
        if reused:
            notes.append(f"evidence check: one passage was quoted for {reused} areas and key points; it counts as "
                         "partly for all but the one it speaks to best")
        if not_found:
            notes.append(f"evidence check: {len(not_found)} of {cited} quotes are not in the answer; "
                         f"marked missed: {', '.join(not_found)}")
        listed = self._misconceptions(request.question)
        misconceptions, dropped = [], 0
        for item in output.misconceptions:
            match = answer.find(item.evidence)
            if not match.found:
                dropped += 1
                continue
            name = _listed(item.misconception, listed)
            misconceptions.append(MisconceptionFound(misconception=name, evidence=match.excerpt))
        if dropped:
            notes.append(f"evidence check: {dropped} wrong statement(s) the model reported are not in the answer; dropped")
        cap = None
        if cited and not supported:
            cap = _Cap(NO_EVIDENCE_CAP, "evidence check", f"none of the {cited} quotes the model gave as evidence is in the answer")
        elif len(not_found) * 2 > cited:
            cap = _Cap(EVIDENCE_CAP, "evidence check", f"{len(not_found)} of {cited} quotes the model gave as evidence are not in the answer")
        elif not cited and output.band >= 3:
            cap = _Cap(EVIDENCE_CAP, "evidence check", "the model quotes no evidence from the answer")
        elif reused and reused * 2 > supported:
            cap = _Cap(EVIDENCE_CAP, "evidence check", f"one passage is the evidence for {reused} of the {supported} "
                       "areas and key points the model found")
        return _Verified(results["A"], results["K"], misconceptions, notes, cap)

    def _hard_caps(self, request: GradeRequest, offline: Grade) -> list[_Cap]:
        answer = request.answer.strip()
        caps = []
        for check in self.bank.checks.values():
            if check.applies_to(request.question) and _flagged(check.flag_patterns, answer):
                outcome = run_check(check, answer)
                if outcome.cap is not None:
                    caps.append(_Cap(outcome.cap, f'rule check "{check.id}"', outcome.reason, outcome.reason))
        contrast_caps = {c.misconception: c.cap for c in self.bank.contrasts.values()}
        for found in offline.misconceptions:
            caps.append(_Cap(contrast_caps.get(found.misconception, 1), "said the wrong way round",
                             f"{found.misconception[0].lower()}{found.misconception[1:]}"))
        off_topic = next((c for c in offline.checks if c.id == TOPIC_CHECK and not c.passed), None)
        if off_topic is not None:
            reason = next((line.split(": ", 1)[1] for line in offline.explanation if "off topic" in line), "off topic")
            caps.append(_Cap(min(1, offline.band), "topicality", reason, reason))
        injection = _injection(offline)
        if injection is not None:
            caps.append(_Cap(INJECTION_CAP, "an instruction to the grader", f'the answer says "{injection.evidence}"',
                             f'the answer tries to instruct the grader ("{injection.evidence}")'))
        return caps

    def _soft_conflicts(self, request: GradeRequest, offline: Grade, final: int, hard: list[_Cap]) -> list[str]:
        lines = []
        answer = request.answer.strip()
        for check in self.bank.checks.values():
            if not check.applies_to(request.question) or _flagged(check.flag_patterns, answer):
                continue
            outcome = run_check(check, answer)
            if outcome.cap is not None and outcome.cap < final:
                lines.append(f'rule check "{check.id}" would cap at {outcome.cap}, the model\'s band {final} stands: '
                             f"{outcome.reason}")
        if offline.band < final:
            for result in offline.checks:
                hard = result.id == TOPIC_CHECK or (result.id == INJECTION_CHECK and _injection(offline) is not None)
                if not result.passed and result.id not in self.bank.checks and not hard:
                    lines.append(f'offline check "{result.id}" failed, the model\'s band {final} stands: '
                                 f"{result.description[0].lower()}{result.description[1:]}")
        if abs(offline.band - final) >= DISAGREEMENT:
            why = next((line for line in reversed(offline.explanation) if line.startswith("capped at")),
                       offline.explanation[-1] if offline.explanation else "")
            lines.append(f"the offline judge gives band {offline.band} and the model {final}, "
                         f"{abs(offline.band - final)} bands apart; the model's band stands (offline: {why})")
        return lines

    def _fallback(self, offline: Grade, error: LLMError) -> Grade:
        reason = self.client.config.redact(error.line)
        provenance = offline.provenance.model_copy(update={"fallback": True, "fallback_reason": reason})
        return offline.model_copy(update={"provenance": provenance,
                                          "explanation": [f"graded offline: {reason}", *offline.explanation]})


def _numbered(prefix: str, items: list[str]) -> str:
    return "\n".join(f"{prefix}{i}. {text}" for i, text in enumerate(items, 1)) or "(none listed)"


_ID = re.compile(r"^\s*([A-Za-z])\s*-?\s*(\d+)\b")


def _by_index(prefix: str, targets: list[str], given: list[ItemJudgement]) -> dict[int, ItemJudgement]:
    """The model's judgements by target index, matched on the id (A3) or, failing that, the exact text."""
    texts = {t.casefold().strip(): i for i, t in enumerate(targets)}
    found: dict[int, ItemJudgement] = {}
    for item in given:
        match = _ID.match(item.id)
        if match and match.group(1).upper() == prefix:
            index = int(match.group(2)) - 1
        else:
            index = texts.get(item.id.casefold().strip(), -1)
        if 0 <= index < len(targets) and (index not in found or found[index].status == "missed"):
            found[index] = item
    return found


def _listed(given: str, listed: list[str]) -> str:
    match = _ID.match(given)
    if match and match.group(1).upper() == "M" and 0 < int(match.group(2)) <= len(listed):
        return listed[int(match.group(2)) - 1]
    return given.strip()


def _injection(offline: Grade):
    """The offline judge's failed grader-instruction check, if it failed."""
    return next((c for c in offline.checks if c.id == INJECTION_CHECK and not c.passed), None)


def _flagged(patterns: list[str], answer: str) -> bool:
    return any(re.search(p, answer, re.IGNORECASE | re.MULTILINE) for p in patterns)
