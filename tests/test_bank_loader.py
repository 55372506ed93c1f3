"""The question-bank loader and `mockmle bank validate|list|show`.

A malformed pack must give exit code 2 and ONE stderr line naming the file, the line (where the
format allows) and the field, never a traceback. Each malformed case below is checked twice: in
process through load_bank (the BankError's attributes) and end to end through the real CLI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from mockmle.core.bank import BankError, load_bank, load_pack
from mockmle.core.bank_models import STAGE_IDS
from mockmle.core.toml_locate import locate
from mockmle.errors import UsageError

REPO = Path(__file__).resolve().parents[1]
RUBRICS = REPO / "rubrics"


# ---- helpers ----------------------------------------------------------------------------


def question(
    qid: str = "technical.user-pack-one",
    stage: str = "technical",
    text: str = "How would you explain a user-pack question to a colleague?",
    competency: str = "machine-learning-fundamentals",
) -> str:
    """One valid [[questions]] table, one field per line (so tests can find each field's line)."""
    return f'''[[questions]]
id = "{qid}"
stage = "{stage}"
text = "{text}"
areas = [
  "First area to cover",
  "Second area to cover",
  "Third area to cover",
]
follow_ups = ["What would you try next?"]
key_points = ["States the main point clearly"]
misconceptions = ["Confuses the two ideas"]
competencies = ["{competency}"]
source = "user pack"
'''


def pack(*blocks: str) -> str:
    return "format = 1\n\n" + "\n".join(blocks)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based number of the nth line containing needle."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} occurs {len(hits)} times in the test file"
    return hits[nth - 1]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def run_mockmle(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real CLI in a subprocess, with the data home in tmp_path and no inherited MOCKMLE_* settings."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKMLE_")}
    full_env["MOCKMLE_HOME"] = str(tmp_path / "home")
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "mockmle", *args], capture_output=True, text=True,
                          env=full_env, cwd=tmp_path, timeout=120)


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """Assert the CLI failed as a usage error with exactly one stderr line, and return that line."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip("\n").split("\n")
    assert len(lines) == 1, f"expected one stderr line, got {len(lines)}: {result.stderr!r}"
    assert lines[0].startswith("mockmle: error: "), lines[0]
    return lines[0]


# ---- the malformed cases ----------------------------------------------------------------

TWO_COMPETENCY_CARD = '''[[scorecards]]
id = "user-card"
title = "User scorecard"

[[scorecards.competencies]]
id = "first-skill"
name = "First skill"
anchors = ["n/a", "weak", "basic", "strong", "exceptional"]

[[scorecards.competencies]]
id = "second-skill"
name = "Second skill"
anchors = ["n/a", "weak", "basic", "strong"]
'''

USER_STAGE = '''[[stages]]
id = "user-stage"
title = "User stage"
description = "A stage from a user pack"
scorecard = "{scorecard}"
extra_scorecards = [{extra}]
'''


@dataclass
class Case:
    name: str
    content: str | bytes
    line_marker: str | int | None  # the line the error must point at (a number, or its first line containing this), or None
    field: str  # the field path the message must name ("" when there is none)
    message: str  # a fragment of the explanation
    marker_nth: int = 1

    def expected_line(self) -> int | None:
        if self.line_marker is None or isinstance(self.line_marker, int):
            return self.line_marker
        text = self.content.decode("utf-8", "replace") if isinstance(self.content, bytes) else self.content
        return line_of(text, self.line_marker, self.marker_nth)


def _cases() -> list[Case]:
    good = pack(question())
    second = question(text="A second question with the same id?")
    return [
        Case("syntax", good.replace('source = "user pack"', 'source = "user pack'),
             'source = "user pack', "", "invalid TOML"),
        Case("unknown-field", good.replace('source = "user pack"', 'colour = "red"'),
             "colour =", "questions[0].colour", "Extra inputs are not permitted"),
        Case("missing-key-points", good.replace('key_points = ["States the main point clearly"]\n', ""),
             "[[questions]]", "questions[0]", "needs key_points or a reference answer"),
        Case("empty-key-points", good.replace('key_points = ["States the main point clearly"]', "key_points = []"),
             "[[questions]]", "questions[0]", "needs key_points or a reference answer"),
        Case("areas-is-a-string",
             good.replace('areas = [\n  "First area to cover",\n  "Second area to cover",\n  "Third area to cover",\n]',
                          'areas = "just one string"'),
             'areas = "just one string"', "questions[0].areas", "valid list"),
        Case("blank-area-item", good.replace('"Second area to cover"', '"   "'),
             '"   "', "questions[0].areas[1]", "at least 1 character"),
        Case("competency-not-a-string", good.replace('competencies = ["machine-learning-fundamentals"]', "competencies = [7]"),
             "competencies = [7]", "questions[0].competencies[0]", "valid string"),
        Case("four-anchors", pack(TWO_COMPETENCY_CARD),
             'anchors = ["n/a", "weak", "basic", "strong"]', "scorecards[0].competencies[1].anchors",
             "needs exactly 5 anchors (levels 0-4), got 4"),
        Case("duplicate-competency-in-card", pack(TWO_COMPETENCY_CARD.replace('"second-skill"', '"first-skill"').replace(
             '"basic", "strong"]', '"basic", "strong", "exceptional"]')),
             "[[scorecards]]", "scorecards[0]", "duplicate competency id 'first-skill'"),
        Case("three-recommendation-levels", pack('[recommendation]\n# hiring levels\nlevels = ["No", "Maybe", "Yes"]\n'),
             "levels =", "recommendation.levels", "needs exactly 4 levels (1-4), got 3"),
        Case("bad-id-pattern", pack(question(qid="technical.User_One")),
             'id = "technical.User_One"', "questions[0].id", "should match pattern"),
        Case("id-without-dot", pack(question(qid="technical")),
             'id = "technical"', "questions[0].id", "should match pattern"),
        Case("id-not-prefixed-by-stage", pack(question(qid="screening.user-pack-one")),
             "[[questions]]", "questions[0]", "id 'screening.user-pack-one' must start with its stage 'technical'"),
        Case("duplicate-id-in-file", pack(question(), second),
             'id = "technical.user-pack-one"', "questions[1].id", "duplicate id 'technical.user-pack-one' (already defined in",
             marker_nth=2),
        Case("two-corrections-for-one-misconception",
             good.replace('competencies = [', 'corrections = ["It holds one way", "And another"]\ncompetencies = ['),
             "[[questions]]", "questions[0]",
             "question 'technical.user-pack-one' has 2 corrections for 1 misconceptions: give one per misconception"),
        Case("unknown-stage", pack(question(qid="nostage.user-pack-one", stage="nostage")),
             'stage = "nostage"', "questions[0].stage", "unknown stage 'nostage' (known: "),
        Case("unknown-competency", pack(question(competency="no-such-skill")),
             'competencies = ["no-such-skill"]', "questions[0].competencies",
             "competency 'no-such-skill' is not on the 'technical' scorecards or the shared outcomes"),
        Case("competency-from-another-stage", pack(question(competency="ml-system-design")),
             'competencies = ["ml-system-design"]', "questions[0].competencies", "'ml-system-design' is not on the 'technical'"),
        Case("stage-unknown-scorecard", pack(USER_STAGE.format(scorecard="no-such-card", extra="")),
             'scorecard = "no-such-card"', "stages[0].scorecard", "stage 'user-stage' refers to unknown scorecard 'no-such-card'"),
        Case("stage-unknown-extra-scorecard", pack(USER_STAGE.format(scorecard="technical", extra='"no-such-card"')),
             "extra_scorecards =", "stages[0].extra_scorecards", "refers to unknown scorecard 'no-such-card'"),
        Case("invalid-regex", pack('[[checks]]\nid = "user-check"\ndescription = "A broken check"\n'
                                   "pass_patterns = ['\\bfine\\b', '(unclosed']\n"),
             "pass_patterns =", "checks[0].pass_patterns", "pattern '(unclosed' is not a valid regular expression"),
        Case("cap-out-of-range", pack('[[checks]]\nid = "user-check"\ndescription = "A check"\ncap_if_flagged = 9\n'),
             "cap_if_flagged = 9", "checks[0].cap_if_flagged", "less than or equal to 4"),
        Case("format-2", pack(question()).replace("format = 1", "format = 2"),
             "format = 2", "format", "Input should be 1"),
        Case("questions-as-table", 'format = 1\n\n[questions]\nid = "technical.x"\n',
             "[questions]", "questions", "valid list"),
        Case("intro-after-without-intro", pack(USER_STAGE.format(scorecard="technical", extra="")
                                               + 'intro_after = "Next, the user stage."\n'),
             "[[stages]]", "stages[0]", "intro_after needs an intro too"),
        Case("stage-wrong-bool", pack(USER_STAGE.format(scorecard="technical", extra="") + 'candidate_asks = "maybe"\n'),
             "candidate_asks =", "stages[0].candidate_asks", "valid boolean"),
        Case("non-utf8", pack(question()).encode().replace(b"States the main", b"States \xff\xfe main"),
             "key_points =", "", "not UTF-8 text"),
        Case("utf16", pack(question()).encode("utf-16"), 1, "", "not UTF-8 text"),
        Case("byte-order-mark", "\ufeff" + pack(question()), "format", "", "invalid TOML"),
        Case("newline-in-unknown-key", 'format = 1\n"bad\\nkey" = 1\n', None, '"bad\\nkey"', "Extra inputs are not permitted"),
        Case("several-errors", pack(question()).replace('stage = "technical"\n', "").replace(
             'competencies = ["machine-learning-fundamentals"]\n', ""),
             "[[questions]]", "questions[0].stage", "Field required (and 1 more)"),
    ]


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_pack_raises_bank_error_with_file_line_and_field(case: Case, tmp_path):
    path = write(tmp_path / "packs", f"{case.name}.toml", case.content)
    with pytest.raises(BankError) as caught:
        load_bank(RUBRICS, path)
    error = caught.value
    assert error.path == str(path)
    assert error.line_number == case.expected_line()
    assert error.field_path == case.field
    assert case.message in error.detail
    assert "\n" not in str(error)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_validate_malformed_is_one_line_exit_2(case: Case, tmp_path):
    path = write(tmp_path / "packs", f"{case.name}.toml", case.content)
    result = run_mockmle(tmp_path, "bank", "validate", str(path))
    line = one_error_line(result)
    assert result.stdout == ""
    expected_line = case.expected_line()
    where = f"{path}:{expected_line}: " if expected_line else f"{path}: "
    assert line.startswith(f"mockmle: error: {where}"), line
    if case.field:
        assert f": {case.field}: " in line, line
    assert case.message in line


# ---- other malformed inputs -------------------------------------------------------------


def test_duplicate_id_across_files_names_the_first_file(tmp_path):
    folder = tmp_path / "packs"
    first = write(folder, "a_first.toml", pack(question()))
    second = write(folder, "b_second.toml", pack(question(text="Same id, other file?")))
    result = run_mockmle(tmp_path, "bank", "validate", str(folder))
    line = one_error_line(result)
    assert f"{second}:{line_of(second.read_text(), 'id = ')}: questions[0].id: " in line
    assert f"duplicate id 'technical.user-pack-one' (already defined in {first})" in line


def test_duplicate_of_a_builtin_question_names_the_builtin_file(tmp_path):
    path = write(tmp_path / "packs", "clash.toml", pack(question(qid="technical.learning-paradigms")))
    with pytest.raises(BankError) as caught:
        load_bank(RUBRICS, path)
    assert caught.value.path == str(path)
    assert caught.value.field_path == "questions[0].id"
    assert f"already defined in {RUBRICS / 'technical.toml'}" in caught.value.detail


def test_directory_with_one_bad_file_among_good_ones_names_the_bad_file(tmp_path):
    folder = tmp_path / "packs"
    write(folder, "a_good.toml", pack(question(qid="technical.user-a")))
    bad = write(folder, "b_bad.toml", pack(question(qid="technical.user-b")).replace('source = "user pack"', "oops = 1"))
    write(folder, "c_good.toml", pack(question(qid="technical.user-c")))
    result = run_mockmle(tmp_path, "bank", "validate", str(folder))
    line = one_error_line(result)
    assert f"{bad}:{line_of(bad.read_text(), 'oops = 1')}: questions[0].oops: Extra inputs are not permitted" in line
    assert "a_good.toml" not in line and "c_good.toml" not in line


def test_missing_path(tmp_path):
    missing = tmp_path / "no-such-pack.toml"
    result = run_mockmle(tmp_path, "bank", "validate", str(missing))
    line = one_error_line(result)
    assert line == f"mockmle: error: {missing}: no such file or folder"


def test_a_folder_named_like_a_pack_is_reported_not_crashed_on(tmp_path):
    folder = tmp_path / "packs"
    write(folder, "good.toml", pack(question()))
    (folder / "sub.toml").mkdir()
    result = run_mockmle(tmp_path, "bank", "validate", str(folder))
    line = one_error_line(result)
    assert f"{folder / 'sub.toml'}: cannot read file" in line


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "format = 1\n"],
                         ids=["empty", "blank-lines", "comment", "format-only"])
def test_empty_pack_is_accepted_as_holding_nothing(content, tmp_path):
    path = write(tmp_path / "packs", "empty.toml", content)
    result = run_mockmle(tmp_path, "bank", "validate", str(path))
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{path}: ok (1 file, 0 questions)"
    assert load_pack(path).pack.questions == []


def test_bad_pack_in_bank_dir_env_breaks_bank_list_with_one_line(tmp_path):
    folder = tmp_path / "packs"
    bad = write(folder, "bad.toml", pack(question(competency="no-such-skill")))
    result = run_mockmle(tmp_path, "bank", "list", env={"MOCKMLE_BANK_DIR": str(folder)})
    line = one_error_line(result)
    assert f"{bad}:" in line and "questions[0].competencies" in line and "'no-such-skill'" in line


def test_missing_bank_dir_is_one_line_exit_2(tmp_path):
    missing = tmp_path / "no-such-folder"
    result = run_mockmle(tmp_path, "bank", "list", "--bank-dir", str(missing))
    line = one_error_line(result)
    assert str(missing) in line and "no such file or folder" in line


def test_validate_a_single_builtin_file(tmp_path):
    result = run_mockmle(tmp_path, "bank", "validate", str(RUBRICS / "technical.toml"))
    assert result.returncode == 0, result.stderr
    technical = len(load_bank(RUBRICS).questions_for("technical"))
    assert result.stdout.strip().endswith(f"ok (1 file, {technical} questions)")


# ---- valid packs and the bank commands ---------------------------------------------------


def test_builtin_rubrics_validate(tmp_path):
    result = run_mockmle(tmp_path, "bank", "validate", str(RUBRICS))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    files = len(list(RUBRICS.glob("*.toml")))
    questions = len(load_bank(RUBRICS).questions)
    assert result.stdout.strip() == f"{RUBRICS}: ok ({files} files, {questions} questions)"


def test_every_builtin_misconception_has_one_correction():
    questions = [q for q in load_bank(RUBRICS).questions.values() if q.misconceptions]
    assert len(questions) > 50
    missing = [q.id for q in questions if len(q.corrections) != len(q.misconceptions)]
    assert missing == []
    pairs = [(m, c) for q in questions for m, c in zip(q.misconceptions, q.corrections, strict=True)]
    assert all(m != c for m, c in pairs), "a correction says what is true, not the misconception again"


def test_a_user_pack_may_leave_corrections_out_or_give_one_each(tmp_path):
    folder = tmp_path / "packs"
    write(folder, "one.toml", pack(question(qid="technical.user-a"), question(qid="technical.user-b").replace(
        "competencies = [", 'corrections = ["The two ideas differ"]\ncompetencies = [')))
    bank = load_bank(RUBRICS, folder)
    assert bank.question("technical.user-a").corrections == []
    assert bank.question("technical.user-b").corrections == ["The two ideas differ"]


def test_valid_user_pack_validates_and_counts_only_its_own_questions(tmp_path):
    folder = tmp_path / "packs"
    write(folder, "one.toml", pack(question(qid="technical.user-a"), question(qid="technical.user-b", text="Second one?")))
    write(folder, "two.toml", pack(question(qid="applied-ml.user-c", stage="applied-ml", competency="ml-system-design")))
    result = run_mockmle(tmp_path, "bank", "validate", str(folder))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{folder}: ok (2 files, 3 questions)"


def test_user_pack_with_its_own_stage_scorecard_and_builtin_references(tmp_path):
    card = TWO_COMPETENCY_CARD.replace('"basic", "strong"]', '"basic", "strong", "exceptional"]')
    stage = USER_STAGE.format(scorecard="user-card", extra='"behavioural"')
    uses_outcome = question(qid="user-stage.outcome", stage="user-stage", competency="monitoring")
    uses_extra = question(qid="user-stage.extra", stage="user-stage", competency="star-structure", text="Extra card?")
    uses_own = question(qid="user-stage.own", stage="user-stage", competency="second-skill", text="Own card?")
    path = write(tmp_path / "packs", "custom.toml", pack(card, stage, uses_outcome, uses_extra, uses_own))
    the_bank = load_bank(RUBRICS, path)
    assert [q.id for q in the_bank.questions_for("user-stage")] == ["user-stage.outcome", "user-stage.extra", "user-stage.own"]
    assert [c.id for c in the_bank.scorecards_for("user-stage")] == ["user-card", "behavioural"]
    assert the_bank.competency("user-stage", "monitoring").name == "Implement robust monitoring systems"
    assert the_bank.origins["stages:user-stage"] == path
    result = run_mockmle(tmp_path, "bank", "validate", str(path))
    assert result.returncode == 0, result.stderr
    assert "ok (1 file, 3 questions)" in result.stdout


def _listed_ids(result: subprocess.CompletedProcess) -> list[str]:
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert all(row["stage"] == "technical" for row in rows)
    return [row["id"] for row in rows]


def test_user_pack_question_is_listed_via_bank_dir_flag_and_env(tmp_path):
    folder = tmp_path / "packs"
    write(folder, "extra.toml", pack(question()))
    plain = _listed_ids(run_mockmle(tmp_path, "bank", "list", "--stage", "technical", "--json"))
    assert "technical.learning-paradigms" in plain and "technical.user-pack-one" not in plain
    by_flag = _listed_ids(run_mockmle(tmp_path, "bank", "list", "--stage", "technical", "--json", "--bank-dir", str(folder)))
    by_env = _listed_ids(run_mockmle(tmp_path, "bank", "list", "--stage", "technical", "--json",
                                     env={"MOCKMLE_BANK_DIR": str(folder)}))
    assert by_flag == by_env == plain + ["technical.user-pack-one"]


def test_bank_dir_env_takes_several_folders(tmp_path):
    first, second = tmp_path / "p1", tmp_path / "p2"
    write(first, "a.toml", pack(question(qid="technical.from-first")))
    write(second, "b.toml", pack(question(qid="technical.from-second", text="From the second folder?")))
    result = run_mockmle(tmp_path, "bank", "list", "--stage", "technical", "--json",
                         env={"MOCKMLE_BANK_DIR": os.pathsep.join([str(first), str(second)])})
    ids = _listed_ids(result)
    assert ids[-2:] == ["technical.from-first", "technical.from-second"]


def test_bank_show_json_returns_the_user_question(tmp_path):
    folder = tmp_path / "packs"
    write(folder, "extra.toml", pack(question()))
    result = run_mockmle(tmp_path, "bank", "show", "technical.user-pack-one", "--json", "--bank-dir", str(folder))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "technical.user-pack-one" and data["stage"] == "technical"
    assert data["areas"] == ["First area to cover", "Second area to cover", "Third area to cover"]
    assert data["key_points"] == ["States the main point clearly"]
    assert data["competencies"] == ["machine-learning-fundamentals"]


def test_bank_show_json_returns_a_builtin_question(tmp_path):
    result = run_mockmle(tmp_path, "bank", "show", "technical.bagging-vs-boosting", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = load_bank(RUBRICS).question("technical.bagging-vs-boosting")
    assert data.pop("model_answer")["source"] == "guide"  # tests/test_model_answer_cli.py
    assert data == json.loads(json.dumps(expected.model_dump()))


def test_bank_show_text_lists_areas_and_key_points(tmp_path):
    result = run_mockmle(tmp_path, "bank", "show", "applied-ml.why-tests")
    assert result.returncode == 0, result.stderr
    expected = load_bank(RUBRICS).question("applied-ml.why-tests")
    assert result.stdout.startswith(f"applied-ml.why-tests  [applied-ml]\n\n{expected.text}\n")
    assert f"  - {expected.areas[0]}" in result.stdout and f"  - {expected.key_points[-1]}" in result.stdout


def test_bank_show_unknown_id(tmp_path):
    line = one_error_line(run_mockmle(tmp_path, "bank", "show", "nope"))
    assert "unknown question id 'nope'" in line


def test_bank_list_unknown_stage(tmp_path):
    line = one_error_line(run_mockmle(tmp_path, "bank", "list", "--stage", "nope"))
    assert "unknown stage 'nope'" in line
    for stage_id in STAGE_IDS:
        assert stage_id in line


def test_bank_stages_json_lists_all_seven_with_counts(tmp_path):
    result = run_mockmle(tmp_path, "bank", "stages", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row["questions"] for row in json.loads(result.stdout)}
    the_bank = load_bank(RUBRICS)
    assert rows == {stage_id: len(the_bank.questions_for(stage_id)) for stage_id in STAGE_IDS}


# ---- loader units -----------------------------------------------------------------------


def test_load_pack_reads_a_valid_pack(tmp_path):
    path = write(tmp_path, "one.toml", pack(question()))
    loaded = load_pack(path)
    assert loaded.path == path and loaded.text == path.read_text()
    (only,) = loaded.pack.questions
    assert only.id == "technical.user-pack-one" and only.follow_ups == ["What would you try next?"]
    assert only.hints == [] and only.behavioural is False and only.red_flags == []


def test_load_bank_builtin_has_everything_cross_checked():
    the_bank = load_bank(RUBRICS)
    assert set(the_bank.stages) == set(STAGE_IDS)
    assert the_bank.recommendation is not None and len(the_bank.recommendation.levels) == 4
    assert the_bank.rubric_version != "unversioned"
    assert len(the_bank.outcomes) == 5
    for question_id in the_bank.questions:
        assert the_bank.origins[f"questions:{question_id}"].parent == RUBRICS


def test_load_bank_without_a_recommendation_is_an_error(tmp_path):
    path = write(tmp_path, "alone.toml", pack(question()))
    with pytest.raises(BankError, match="no \\[recommendation\\] defined by any pack"):
        load_bank(path)


def test_user_pack_order_is_kept_and_later_recommendation_wins(tmp_path):
    path = write(tmp_path, "rec.toml", 'format = 1\n[recommendation]\nlevels = ["A", "B", "C", "D"]\n')
    the_bank = load_bank(RUBRICS, path)
    assert the_bank.recommendation.levels == ["A", "B", "C", "D"]
    assert the_bank.recommendation.label(4) == "D"


def test_bank_lookups_raise_usage_errors_with_exit_code_2():
    the_bank = load_bank(RUBRICS)
    with pytest.raises(UsageError, match="unknown question id 'nope'") as caught:
        the_bank.question("nope")
    assert caught.value.exit_code == 2
    with pytest.raises(UsageError, match="unknown stage 'nope'"):
        the_bank.stage("nope")
    assert BankError("x.toml", "m").exit_code == 2


def test_find_by_text_ignores_case_spacing_and_punctuation():
    the_bank = load_bank(RUBRICS)
    wanted = the_bank.question("technical.bagging-vs-boosting")
    assert the_bank.find_by_text("  WHAT is the difference between bagging and boosting and which kind of error "
                                 "does each one mainly reduce  ") is wanted
    assert the_bank.find_by_text("What is the difference between bagging and stacking?") is None


def test_bank_error_message_shape():
    assert str(BankError("p.toml", "bad thing", 7, "questions[0].id")) == "p.toml:7: questions[0].id: bad thing"
    assert str(BankError("p.toml", "bad thing")) == "p.toml: bad thing"


# ---- toml_locate ------------------------------------------------------------------------

TWO_QUESTIONS = pack(question(qid="technical.user-a"), question(qid="technical.user-b", text="Second?"))


def test_locate_nested_array_item_in_second_table():
    # ("questions", 1, "areas", 2): the third area of the second question
    assert locate(TWO_QUESTIONS, ("questions", 1, "areas", 2)) == line_of(TWO_QUESTIONS, "Third area to cover", 2)
    assert locate(TWO_QUESTIONS, ("questions", 0, "areas", 0)) == line_of(TWO_QUESTIONS, "First area to cover", 1)


def test_locate_keys_and_headers():
    assert locate(TWO_QUESTIONS, ("format",)) == 1
    assert locate(TWO_QUESTIONS, ("questions", 1)) == line_of(TWO_QUESTIONS, "[[questions]]", 2)
    assert locate(TWO_QUESTIONS, ("questions", 1, "stage")) == line_of(TWO_QUESTIONS, 'stage = "technical"', 2)
    assert locate(TWO_QUESTIONS, ("questions", 1, "competencies", 0)) == line_of(TWO_QUESTIONS, "competencies =", 2)
    # a key the table lacks: the table's header
    assert locate(TWO_QUESTIONS, ("questions", 1, "red_flags")) == line_of(TWO_QUESTIONS, "[[questions]]", 2)


def test_locate_gives_up_rather_than_guessing():
    assert locate(TWO_QUESTIONS, ("questions", 5, "id")) is None
    assert locate(TWO_QUESTIONS, ("scorecards", 0, "id")) is None
    assert locate("", ("format",)) is None


def test_locate_sub_tables():
    text = pack(TWO_COMPETENCY_CARD)
    assert locate(text, ("scorecards", 0, "competencies", 1, "anchors")) == line_of(text, "anchors =", 2)
    assert locate(text, ("scorecards", 0, "competencies", 1, "id")) == line_of(text, 'id = "second-skill"')
    assert locate(text, ("scorecards", 0, "title")) == line_of(text, "title =")


def test_locate_missing_key_does_not_land_in_a_sub_table():
    text = pack(TWO_COMPETENCY_CARD.replace('id = "user-card"\n', ""))
    # the scorecard has no id of its own; its competencies' ids must not be mistaken for it
    assert locate(text, ("scorecards", 0, "id")) == line_of(text, "[[scorecards]]")


def test_locate_descends_into_a_plain_table():
    text = 'format = 1\n\n[recommendation]\n# four levels\nlevels = ["a", "b", "c"]\n'
    assert locate(text, ("recommendation", "levels")) == 5
    assert locate(text, ("recommendation",)) == 3


def test_locate_array_items_only_when_one_per_line():
    opened_with_item = 'format = 1\nsynonyms = [["a", "b"],\n  ["c", "d"],\n  ["e", "f"]]\n'
    # items share lines with the brackets: fall back to the key's line rather than a wrong one
    assert locate(opened_with_item, ("synonyms", 1)) == 2
    two_per_line = 'format = 1\nsynonyms = [\n  ["a", "b"], ["c", "d"],\n  ["e", "f"],\n]\n'
    assert locate(two_per_line, ("synonyms", 2)) == 2
    with_comments = 'format = 1\nsynonyms = [\n  # first group\n  ["a", "b"],\n\n  ["c", "d"],\n]\n'
    assert locate(with_comments, ("synonyms", 1)) == 6
    single_line = 'format = 1\nsynonyms = [["a", "b"], ["c", "d"]]\n'
    assert locate(single_line, ("synonyms", 1)) == 2


def test_locate_inline_array_of_tables():
    text = 'format = 1\nquestions = [\n  { id = "a.b" },\n  { id = "a.c" },\n]\n'
    assert locate(text, ("questions", 1, "id")) == 4
