"""The bank is faithful to the published interview guide (seed 002), plus bank-level invariants.

The seed is parsed with the same parser the one-off importer uses (tools/import_guide.py).
Seed-dependent tests skip when ../shared/seeds is absent (e.g. in an sdist); the invariants
at the bottom need no seed and always run.
"""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

from mockmle.core.bank import load_bank, load_pack
from mockmle.core.bank_models import STAGE_IDS

REPO = Path(__file__).resolve().parents[1]
RUBRICS = REPO / "rubrics"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

QUESTION_STAGES = ("screening", "technical", "applied-ml", "team-culture")
SCORECARD_STAGES = ("screening", "work-sample", "technical", "applied-ml", "team-culture")


def _import_guide():
    spec = importlib.util.spec_from_file_location("import_guide", REPO / "tools" / "import_guide.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bank():
    return load_bank(RUBRICS)


@pytest.fixture(scope="module")
def seed_sections() -> dict[str, list[str]]:
    """Stage id -> the seed's lines for that stage; skips when the seeds are not there."""
    found = sorted(SEEDS.glob("002_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip(f"seed 002 not found under {SEEDS}")
    guide = _import_guide()
    lines = [line.rstrip() for line in found[0].read_text(encoding="utf-8").splitlines()]
    return guide.split_sections(lines)


@pytest.fixture(scope="module")
def guide():
    return _import_guide()


def _first_difference(ours: list[str], seed: list[str]) -> str:
    for index, (a, b) in enumerate(zip(ours, seed, strict=False)):  # lengths are compared after
        if a != b:
            return f"item {index} is {a!r}, the seed has {b!r}"
    return f"{len(ours)} items, the seed has {len(seed)}"


# ---- faithful to seed 002 ----------------------------------------------------------------


def test_seed_parses_into_the_five_published_stages(seed_sections, guide):
    assert set(seed_sections) == set(SCORECARD_STAGES)
    for stage in QUESTION_STAGES:
        assert len(guide.parse_questions(seed_sections[stage])) >= 5, stage


@pytest.mark.parametrize("stage", QUESTION_STAGES)
def test_every_seed_question_is_in_the_bank_verbatim(stage, seed_sections, guide, bank):
    by_text = {q.text: q for q in bank.questions.values()}
    problems = []
    for published in guide.parse_questions(seed_sections[stage]):
        assert published["areas"], f"seed question without areas: {published['text']!r}"
        question = by_text.get(published["text"])
        if question is None:
            problems.append(f"missing: {published['text']!r}")
            continue
        if question.stage != stage:
            problems.append(f"{question.id}: stage {question.stage!r}, published under {stage!r}")
        for field in ("areas", "follow_ups"):
            ours = list(getattr(question, field))
            if ours != published[field]:
                problems.append(f"{question.id}.{field}: {_first_difference(ours, published[field])}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("stage", SCORECARD_STAGES)
def test_stage_scorecard_matches_the_seed(stage, seed_sections, guide, bank):
    rows, _levels = guide.parse_scorecard(seed_sections[stage])
    published = rows[:5]  # the stage's competencies; the rest are the shared desired outcomes
    assert bank.stages[stage].scorecard == stage
    card = bank.scorecards[stage]
    assert [c.name for c in card.competencies] == [row["name"] for row in published]
    for competency, row in zip(card.competencies, published, strict=True):
        assert list(competency.anchors) == row["anchors"], competency.id
        assert len(competency.anchors) == 5


@pytest.mark.parametrize("stage", SCORECARD_STAGES)
def test_common_outcomes_and_recommendation_match_the_seed(stage, seed_sections, guide):
    common = load_pack(RUBRICS / "common.toml").pack
    rows, levels = guide.parse_scorecard(seed_sections[stage])
    outcomes = rows[5:]
    assert len(outcomes) == 5
    assert [(o.name, list(o.anchors)) for o in common.outcomes] == [(row["name"], row["anchors"]) for row in outcomes]
    assert common.recommendation is not None
    assert list(common.recommendation.levels) == levels == ["Strong No Hire", "No Hire", "Hire", "Strong Hire"]


# ---- bank-level invariants (no seed needed) ---------------------------------------------


def test_all_seven_stages_exist(bank):
    assert set(bank.stages) == set(STAGE_IDS)
    assert len(STAGE_IDS) == 7
    for stage_id in STAGE_IDS:
        assert bank.questions_for(stage_id), f"stage {stage_id!r} has no questions"


def test_every_question_has_key_points_misconceptions_and_competencies(bank):
    for question in bank.questions.values():
        assert len(question.key_points) >= 1, question.id
        assert len(question.competencies) >= 1, question.id
        for competency_id in question.competencies:
            assert bank.competency(question.stage, competency_id) is not None, (question.id, competency_id)


def test_every_question_table_writes_its_misconceptions_list():
    for path in sorted(RUBRICS.glob("*.toml")):
        for table in tomllib.loads(path.read_text(encoding="utf-8")).get("questions", []):
            assert isinstance(table.get("misconceptions"), list), f"{path.name}: {table.get('id')} has no misconceptions list"


def test_science_has_data_literacy_questions(bank):
    assert any(c.id == "data-literacy" for c in bank.scorecards["science"].competencies)
    literacy = {q.id: q for q in bank.questions_for("science") if "data-literacy" in q.competencies}
    simpson = literacy.get("science.simpsons-paradox")
    assert simpson is not None
    assert any("Simpson's paradox" in point for point in simpson.key_points)
    joins = literacy.get("science.join-row-counts")
    assert joins is not None
    assert "join" in joins.text.lower()
    assert any("join key is not unique" in point for point in joins.key_points)


def test_behavioural_scorecard_rows(bank):
    ids = {c.id for c in bank.scorecards["behavioural"].competencies}
    assert {"ambiguity", "influence", "complexity", "execution", "star-structure"} <= ids
    for stage_id in ("science", "team-culture"):
        assert "behavioural" in bank.stages[stage_id].extra_scorecards


@pytest.mark.parametrize("stage, question_ids", [
    ("technical", ("technical.decision-forest", "technical.bagging-vs-boosting")),
    ("applied-ml", ("applied-ml.why-tests", "applied-ml.beyond-model-file")),
])
def test_added_questions_are_in_their_stage(stage, question_ids, bank):
    for question_id in question_ids:
        assert question_id in bank.questions, question_id
        assert bank.question(question_id).stage == stage


def test_reverse_stage_is_candidate_led_with_red_flags(bank):
    assert bank.stages["reverse"].candidate_asks is True
    assert [s for s in bank.stages.values() if s.candidate_asks] == [bank.stages["reverse"]]
    reverse = bank.questions_for("reverse")
    assert len(reverse) >= 5
    for question in reverse:
        assert question.red_flags, f"{question.id} has no red_flags"
