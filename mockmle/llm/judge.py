"""The LLM judge: a model grades each answer against the published scorecard.

This module builds the prompt and reads the reply. The model returns `JudgeOutput` (structured
output, see `structured.py`): per area and key point a verbatim quote and a status, any wrong
statements, its reasoning, then competency scores and the overall band last, so the evidence is
written before the numbers. The reply is read into a `ModelVerdict`, and
`core/grading/model_band.py` decides the grade: it checks every quote against the answer and
applies the same caps as the offline judge, with the ceilings of rubrics/grading.toml.

Self-consistency: with `judge_samples` n > 1 the model is asked n times.
An empty answer is graded by the offline judge alone, with no model call.

Any model fault (timeouts, refused connections, rate limits, server errors, refusals, replies
still invalid after one corrective retry) gives the offline judge's grade for that turn,
labelled as a fallback with the reason. `grade` never raises for a model fault.
"""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, ConfigDict, Field

from mockmle.core.bank import Bank
from mockmle.core.bank_models import Question
from mockmle.core.grading.main_answer import bound_by_main
from mockmle.core.grading.model_band import ModelItem, ModelVerdict, combine
from mockmle.core.grading.models import AreaStatus, Grade, GradeRequest, MisconceptionFound, Provenance
from mockmle.core.grading.offline import OfflineGrader
from mockmle.llm.client import ChatClient, ChatRequest
from mockmle.llm.faults import LLMError
from mockmle.llm.prompts import candidate_block, load_prompt
from mockmle.llm.structured import Structured, StructuredAsker, strict_schema

JUDGE_VERSION = "llm-judge-1"
PROMPT = "judge"


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
        # Never asks the server (the app reads this on its main thread): an unnamed model is named by each
        # grade's provenance once the server has said which it is.
        model = self.client.known_model("judge")
        return f"llm:{model}" if model else "llm"

    def grade(self, request: GradeRequest) -> Grade:
        offline = self.offline.grade(request)
        if not request.answer.strip():
            return offline
        try:
            replies, failure = self._ask(request, offline)
        except LLMError as error:
            return self._fallback(offline, error)
        verdicts = [self._read(reply, offline, request.question) for reply in replies]
        provenance = Provenance(judge="", judge_version=JUDGE_VERSION, rubric_version=self.bank.rubric_version,
                                prompt_version=self.template.version)
        combined = combine(self.bank, request, offline, verdicts, max(1, self.client.config.judge_samples),
                           failure is not None, provenance)
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

    # -- reading the reply

    def _read(self, reply: Structured[JudgeOutput], offline: Grade, question: Question | None) -> ModelVerdict:
        output = reply.value
        listed = self._misconceptions(question)
        return ModelVerdict(
            model=reply.result.model, band=output.band, reasoning=output.reasoning, strength=output.strength,
            improvement=output.improvement,
            areas=_by_index("A", [a.area for a in offline.areas], output.areas),
            key_points=_by_index("K", [k.area for k in offline.key_points], output.key_points),
            misconceptions=[MisconceptionFound(misconception=_listed(m.misconception, listed), evidence=m.evidence)
                            for m in output.misconceptions],
            competencies={c.id: c.score for c in output.competencies},
        )

    def _fallback(self, offline: Grade, error: LLMError) -> Grade:
        reason = self.client.config.redact(error.line)
        provenance = offline.provenance.model_copy(update={"fallback": True, "fallback_reason": reason})
        return offline.model_copy(update={"provenance": provenance,
                                          "explanation": [f"graded offline: {reason}", *offline.explanation]})


def _numbered(prefix: str, items: list[str]) -> str:
    return "\n".join(f"{prefix}{i}. {text}" for i, text in enumerate(items, 1)) or "(none listed)"


_ID = re.compile(r"^\s*([A-Za-z])\s*-?\s*(\d+)\b")


def _by_index(prefix: str, targets: list[str], given: list[ItemJudgement]) -> dict[int, ModelItem]:
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
    return {index: ModelItem(status=item.status, evidence=item.evidence) for index, item in found.items()}


def _listed(given: str, listed: list[str]) -> str:
    match = _ID.match(given)
    if match and match.group(1).upper() == "M" and 0 < int(match.group(2)) <= len(listed):
        return listed[int(match.group(2)) - 1]
    return given.strip()
