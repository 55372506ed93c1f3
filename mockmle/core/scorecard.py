"""From graded turns to the stage scorecard, a 1-4 hiring recommendation and a short debrief.

A drill or a reverse-interview practice gets no recommendation: it ends with a practice summary
(core/practice.py) instead. Every competency is shown as one number everywhere: the mean of the
answers that informed it, with one decimal, described by the anchor of the nearest level.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from mockmle.core.bank import Bank
from mockmle.core.bank_models import Competency
from mockmle.core.grading.models import Grade
from mockmle.core.interview import InterviewState, Turn
from mockmle.core.plan import Plan
from mockmle.core.practice import Earlier, PracticeSummary, practice_summary

HINT_PENALTY = 0.5


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CompetencyScore(Model):
    id: str
    name: str
    scorecard: str
    score: int = Field(ge=0, le=4, description="0 = not enough information gathered.")
    mean: float | None
    anchor: str
    informed_by: list[str] = Field(default_factory=list)

    @property
    def shown(self) -> str:
        """The row's one number wherever it is shown: its mean with one decimal, or a dash when unassessed."""
        return f"{self.mean:.1f}" if self.mean is not None else "\u2013"


class StageScorecard(Model):
    stage: str
    title: str
    competencies: list[CompetencyScore]
    outcomes: list[CompetencyScore]


class RecommendationResult(Model):
    level: int = Field(ge=1, le=4)
    label: str
    reasons: list[str]


class TurnSummary(Model):
    position: int
    question_id: str
    question: str
    score: float


class Debrief(Model):
    strongest: TurnSummary | None
    weakest: TurnSummary | None
    missed_areas: dict[str, list[str]] = Field(default_factory=dict)
    skipped: list[str] = Field(default_factory=list)
    hints_used: int = 0
    written: str | None = Field(None, description="The model interviewer's debrief, written from these facts.")
    written_by: str | None = None


class Report(Model):
    scorecards: list[StageScorecard]
    recommendation: RecommendationResult | None = Field(None, description="None for a practice session.")
    practice: PracticeSummary | None = Field(None, description="A drill or reverse practice: what changed, instead of a verdict.")
    debrief: Debrief
    overall: float | None = Field(None, description="Mean turn score, 0-4.")
    answered: int
    planned: int


def turn_score(turn: Turn, grade: Grade | None) -> float | None:
    """The band minus the cost of hints; skipped counts 0; unanswered is not scored."""
    if turn.status == "skipped":
        return 0.0
    if grade is None:
        return None
    return max(0.0, grade.band - HINT_PENALTY * len(turn.hints))


def _score_row(row: Competency, scorecard: str, samples: list[tuple[str, float]]) -> CompetencyScore:
    if not samples:
        return CompetencyScore(id=row.id, name=row.name, scorecard=scorecard, score=0, mean=None, anchor=row.anchors[0])
    mean = sum(s for _, s in samples) / len(samples)
    level = min(4, max(1, int(mean + 0.5)))
    return CompetencyScore(id=row.id, name=row.name, scorecard=scorecard, score=level, mean=round(mean, 2),
                           anchor=row.anchors[level], informed_by=[qid for qid, _ in samples])


def is_practice(bank: Bank, plan: Plan) -> bool:
    """A drill, or a session of reverse-interview stages only: practice, not evidence for a hire."""
    known = [bank.stages[s] for s in plan.stages if s in bank.stages]
    return plan.kind == "drill" or (bool(known) and all(stage.candidate_asks for stage in known))


def build_report(bank: Bank, state: InterviewState, grades: dict[int, Grade], earlier: Earlier | None = None) -> Report:
    """`earlier`: for a practice session, the candidate's results before it (read by the caller)."""
    scored: list[tuple[Turn, float]] = []
    for turn in state.turns:
        score = turn_score(turn, grades.get(turn.position))
        if score is not None:
            scored.append((turn, score))

    def samples_for(stage_id: str, competency_id: str) -> list[tuple[str, float]]:
        out = []
        for turn, score in scored:
            question = bank.question(turn.question_id)
            if question.stage == stage_id and competency_id in question.competencies:
                out.append((question.id, score))
        return out

    cards = []
    for stage_id in state.plan.stages:
        stage = bank.stage(stage_id)
        rows = [_score_row(c, card.title, samples_for(stage_id, c.id)) for card in bank.scorecards_for(stage_id) for c in card.competencies]
        outcomes = [_score_row(o, "Desired outcomes", samples_for(stage_id, o.id)) for o in bank.outcomes]
        cards.append(StageScorecard(stage=stage_id, title=stage.title, competencies=rows, outcomes=outcomes))

    summaries = [TurnSummary(position=t.position, question_id=t.question_id, question=bank.question(t.question_id).prompt,
                             score=s) for t, s in scored]
    answered = [s for s in summaries if state.turns[s.position].status == "answered"]
    strongest = max(answered, key=lambda s: s.score, default=None)
    weakest = min(answered, key=lambda s: s.score, default=None)
    debrief = Debrief(
        strongest=strongest,
        weakest=weakest if weakest and strongest and weakest.score < strongest.score else None,  # else it says nothing new
        missed_areas={state.turns[p].question_id: g.missed_areas() for p, g in sorted(grades.items()) if g.missed_areas()},
        skipped=[t.question_id for t in state.turns if t.status == "skipped"],
        hints_used=sum(len(t.hints) for t in state.turns),
    )
    overall = round(sum(s for _, s in scored) / len(scored), 2) if scored else None
    practice = is_practice(bank, state.plan)
    return Report(
        scorecards=cards,
        recommendation=None if practice else recommend(bank, cards, len(answered), len(state.plan.question_ids)),
        practice=practice_summary(bank, state, grades, {t.position: s for t, s in scored}, earlier or Earlier())
        if practice else None,
        debrief=debrief,
        overall=overall,
        answered=len(answered),
        planned=len(state.plan.question_ids),
    )


def recommend(bank: Bank, cards: list[StageScorecard], answered: int, planned: int) -> RecommendationResult:
    assert bank.recommendation is not None
    informed = [c for card in cards for c in card.competencies if c.mean is not None]
    if not informed:
        level = 1
        reasons = ["No answered question informed any competency: not enough information to recommend a hire."]
        return RecommendationResult(level=level, label=bank.recommendation.label(level), reasons=reasons)
    mean = sum(c.mean or 0.0 for c in informed) / len(informed)
    lowest = min(c.mean or 0.0 for c in informed)
    if mean >= 3.25 and lowest >= 2.5:
        level = 4
    elif mean >= 2.5 and lowest >= 1.5:
        level = 3
    elif mean >= 1.5:
        level = 2
    else:
        level = 1
    assessed = f"{len(informed)} assessed competenc{'y' if len(informed) == 1 else 'ies'}"
    reasons = [f"Average across {assessed}: {mean:.1f} of 4."]
    best = max(informed, key=lambda c: c.mean or 0.0)
    worst = min(informed, key=lambda c: c.mean or 0.0)
    if (worst.mean or 0.0) < (best.mean or 0.0):
        reasons += [f"Strongest: {best.name} ({best.shown} of 4).", f"Weakest: {worst.name} ({worst.shown} of 4)."]
    if level == 3 and mean >= 3.25:
        reasons.append(f"Held at Hire: {worst.name} is {worst.shown}, below 2.5.")
    if answered * 2 < planned and level > 2:
        level = 2
        reasons.append(f"Only {answered} of {planned} questions answered: too little evidence for a hire.")
    unassessed = [c.name for card in cards for c in card.competencies if c.mean is None]
    if unassessed:
        reasons.append("Not assessed: " + ", ".join(unassessed) + ".")
    return RecommendationResult(level=level, label=bank.recommendation.label(level), reasons=reasons)
