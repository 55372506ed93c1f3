"""Acceptance: a candidate's evening on the command line, checked for what each command shows.

One session per stage (strong, weak, misconception, skip, hint; see acceptance_answers.py), played
with the real `python -m mockmle` into one data home; then everything a candidate runs next:
`sessions show` and `export`, `progress` (text and JSON), `report` (HTML and Markdown) and a `drill`.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from acceptance_answers import (
    FOLLOW_UP_REPLY,
    HINTS_ASKED,
    HIRING,
    Script,
    bank_items,
    mentions,
    ok,
    restates_question,
    run_cli,
    script_for,
    stage_ids,
    strong_answer,
)
from mockmle.core.bank import load_bank
from mockmle.resources import data_dir

STAGES = stage_ids(load_bank(data_dir("rubrics")))


@dataclass
class Played:
    script: Script
    result: object  # the CompletedProcess of `mockmle interview --json`

    @property
    def data(self) -> dict:
        return json.loads(ok(self.result))

    def turn(self, role: str) -> dict:
        return self.data["turns"][self.script.position(role)]


@dataclass
class Evening:
    home: Path
    played: dict[str, Played]
    shown: dict[str, str] = field(default_factory=dict)  # `sessions show` of each stage's session, once

    def recorded_misconceptions(self) -> set[str]:
        return {m["misconception"] for p in self.played.values() for t in p.data["turns"] if t["grade"]
                for m in t["grade"]["misconceptions"]}


def play(home: Path, script: Script, *extra: str):
    answers = home.parent / f"answers-{script.stage}.txt"
    answers.write_text(script.answers_file(), encoding="utf-8")
    return run_cli(home, "interview", "--question-ids", ",".join(script.question_ids), "--answers-file", str(answers),
                   "--judge", "offline", *extra)


@pytest.fixture(scope="module")
def evening(tmp_path_factory, bank) -> Evening:
    home = tmp_path_factory.mktemp("cli-evening") / "home"
    played = {}
    for stage in STAGES:
        script = script_for(bank, stage)
        played[stage] = Played(script, play(home, script, "--json", "--follow-ups", "0"))
    return Evening(home, played)


def session_md(evening: Evening, stage: str) -> str:
    if stage not in evening.shown:
        evening.shown[stage] = ok(run_cli(evening.home, "sessions", "show", evening.played[stage].data["session_id"]))
    return evening.shown[stage]


# ---- the sessions themselves -------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
def test_every_answer_is_kept_as_given(evening, stage):
    played = evening.played[stage]
    data = played.data
    assert data["status"] == "finished" and data["plan"]["question_ids"] == played.script.question_ids
    for turn, step in zip(data["turns"], played.script.steps, strict=True):
        assert turn["status"] == ("skipped" if step.role == "skip" else "answered"), step.role
        if step.answer is not None:
            assert turn["exchanges"][0]["answer"] == step.answer.strip()
    assert len(played.turn("hint")["hints"]) == HINTS_ASKED


@pytest.mark.parametrize("stage", STAGES)
def test_scores_follow_the_answers(evening, stage):
    played = evening.played[stage]
    strong, weak, hinted = played.turn("strong"), played.turn("weak"), played.turn("hint")
    assert strong["grade"]["band"] >= 3, strong["grade"]["explanation"]
    assert weak["grade"]["band"] <= 1, weak["grade"]["explanation"]
    assert played.turn("skip")["score"] == 0
    assert hinted["score"] == max(0.0, hinted["grade"]["band"] - 0.5 * len(hinted["hints"]))
    assert played.data["report"]["overall"] < strong["score"]


@pytest.mark.parametrize("stage", STAGES)
def test_the_misconception_is_recorded_and_caps_the_band(evening, stage):
    played = evening.played[stage]
    contrast = played.script.step("misconception").contrast
    grade = played.turn("misconception")["grade"]
    assert contrast.misconception in [m["misconception"] for m in grade["misconceptions"]]
    assert grade["band"] <= contrast.cap


@pytest.mark.parametrize("stage", STAGES)
def test_hints_point_at_something_new_from_the_bank(evening, stage, bank):
    """Issue 14.12: a hint names a concrete thing not yet covered, from the bank, and the second is another one."""
    played = evening.played[stage]
    question = bank.question(played.script.step("hint").question_id)
    first, second = played.turn("hint")["hints"]
    assert first != second
    for hint in (first, second):
        assert mentions(hint, bank_items(question)), f"the hint {hint!r} is not from the bank's lines for the question"
        assert not restates_question(hint, question), f"the hint {hint!r} only restates {question.prompt!r}"


@pytest.mark.parametrize("stage", STAGES)
def test_sessions_show_tells_the_whole_session(evening, stage, bank):
    played = evening.played[stage]
    shown = session_md(evening, stage)
    for turn in played.data["turns"]:
        assert turn["question"] in shown
    for step in played.script.steps:
        if step.answer:
            assert step.answer.splitlines()[0][:60] in shown
    assert played.script.step("misconception").contrast.misconception in shown
    assert "skipped" in shown
    assert f"Band {played.turn('strong')['grade']['band']}/4" in shown


@pytest.mark.parametrize("stage", STAGES)
def test_competency_scores_are_shown_as_the_mean_they_are(evening, stage):
    """Issue 14.4: one number per competency, the same everywhere: its mean, to one decimal."""
    shown = session_md(evening, stage)
    for card in evening.played[stage].data["report"]["scorecards"]:
        for row in card["competencies"]:
            if row["mean"] is not None:
                line = next(line for line in shown.splitlines() if line.startswith(f"| {row['name']} |"))
                assert f"{row['mean']:.1f}" in line, line


@pytest.mark.parametrize("stage", STAGES)
def test_sessions_export_writes_the_file_it_names(evening, stage):
    played = evening.played[stage]
    session_id = played.data["session_id"]
    path = Path(ok(run_cli(evening.home, "sessions", "export", session_id)).strip())
    assert path.is_file() and path.parent == evening.home / "transcripts"
    text = path.read_text(encoding="utf-8")
    assert played.turn("strong")["question"] in text and played.script.step("weak").answer in text


def test_sessions_show_and_export_as_json(evening):
    played = evening.played["technical"]
    session_id = played.data["session_id"]
    shown = json.loads(ok(run_cli(evening.home, "sessions", "show", session_id, "--json")))
    assert [t["status"] for t in shown["turns"]] == [t["status"] for t in played.data["turns"]]
    path = Path(ok(run_cli(evening.home, "sessions", "export", session_id, "--format", "json")).strip())
    assert path.parent == evening.home / "transcripts"
    assert json.loads(path.read_text(encoding="utf-8"))["turns"] == shown["turns"]


# ---- what comes next: progress, reports, a drill -------------------------------------------


def test_progress_names_the_misconceptions_and_what_to_practise(evening):
    """Issue 14.1: `mockmle progress` crashed with KeyError 'first_at' once a misconception was recorded."""
    shown = ok(run_cli(evening.home, "progress"))
    assert f"{len(STAGES)} sessions" in shown
    assert "Misconceptions seen" in shown
    for misconception in evening.recorded_misconceptions():
        assert " ".join(misconception.split()[:6]) in " ".join(shown.split())
    assert "Weakest areas" in shown and "Key points to learn" in shown
    assert "mockmle drill" in shown


def test_progress_json_counts_what_was_played(evening):
    view = json.loads(ok(run_cli(evening.home, "progress", "--json")))
    assert view["sessions"] == len(STAGES)
    assert view["answers"] >= 4 * len(STAGES)
    seen = {m["misconception"]: m for m in view["misconceptions"]}
    assert set(seen) == evening.recorded_misconceptions()
    assert all(m["count"] >= 1 and m["first_at"] <= m["last_at"] for m in seen.values())
    assert view["competencies"] and all(0 <= c["level"] <= 4 for c in view["competencies"])
    assert view["weakest"] and all(w["key_points"] and w["evidence"] for w in view["weakest"])
    assert view["due"]


def test_history_report_as_html_and_markdown(evening, bank):
    for fmt in ("html", "md"):
        path = Path(ok(run_cli(evening.home, "report", "--format", fmt)).strip())
        assert path.is_file() and path.suffix == f".{fmt}" and path.parent == evening.home / "reports"
        text = path.read_text(encoding="utf-8")
        if fmt == "html":
            assert text.lstrip().lower().startswith("<!doctype html")
            text = html.unescape(re.sub(r"<[^>]+>", " ", text))
        flat = " ".join(text.split())
        for misconception in evening.recorded_misconceptions():
            assert misconception in flat, (fmt, misconception)
        competency = bank.scorecards_for("technical")[0].competencies[0].name
        assert competency in flat, fmt
        assert str(len(STAGES)) in flat


def test_one_session_report_shows_its_questions_and_answers(evening):
    played = evening.played["technical"]
    session_id = played.data["session_id"]
    text = ok(run_cli(evening.home, "report", "--format", "md", "--session", session_id, "--output", "-"))
    assert played.turn("strong")["question"] in text
    assert played.script.step("weak").answer in text
    assert played.script.step("misconception").contrast.misconception in text


def test_drill_practises_what_is_due_and_ends_without_a_hiring_verdict(evening, bank, tmp_path):
    """Issue 14.1 (drill crashed) and 14.8 (a drill ends with a practice summary, not a hiring recommendation)."""
    from mockmle.app.drills import drill_plan
    from mockmle.app.services import Services
    from mockmle.settings import Settings

    home = tmp_path / "home"
    shutil.copytree(evening.home, home)  # the evening's history, without changing it for the other tests
    expected = drill_plan(Services(Settings(home=home)), count=3, seed=1).question_ids
    answers = tmp_path / "drill.txt"
    answers.write_text("\n---\n".join(strong_answer(bank.question(q)) for q in expected) + "\n", encoding="utf-8")
    shown = ok(run_cli(home, "drill", "--questions", "3", "--seed", "1", "--answers-file", str(answers),
                       "--judge", "offline", "--follow-ups", "0"))
    session_id = re.search(r"Saved as session (\w+)", shown).group(1)
    data = json.loads(ok(run_cli(home, "sessions", "show", session_id, "--json")))
    assert data["plan"]["kind"] == "drill" and len(data["turns"]) == 3
    assert shown.count("(Drill: ") == 3
    flat = " ".join(shown.split())
    for turn in data["turns"]:
        assert " ".join(turn["question"].split()) in flat
    assert not HIRING.search(shown), "a drill ends with a practice summary, not a hiring recommendation"
    assert re.search(r"\b(weak|due|improved)\b", shown.split("Saved as session")[0].rsplit("Your answers", 1)[-1])
    assert not HIRING.search(ok(run_cli(home, "sessions", "show", session_id)))


# ---- single points, each in its own data home ---------------------------------------------


def test_a_reverse_practice_opens_as_a_first_question_and_ends_without_a_verdict(cli, bank, tmp_path):
    """Issue 14.7 and 14.8: a session that starts with the reverse stage does not open "That's all my questions"."""
    script = script_for(bank, "reverse")
    answers = tmp_path / "reverse.txt"
    answers.write_text(script.answers_file(), encoding="utf-8")
    shown = ok(cli("interview", "--question-ids", ",".join(script.question_ids), "--answers-file", str(answers),
                   "--judge", "offline", "--follow-ups", "0"))
    opening = " ".join(shown.split("Question 2 of")[0].split())  # the stage's opening and its first question
    assert not re.search(r"(all|end of) my questions", opening, re.IGNORECASE), f"opens with: {opening}"
    assert not HIRING.search(shown), "a reverse practice ends with a practice summary, not a hiring recommendation"


def test_the_follow_up_to_a_wrong_statement_probes_it_first(cli, bank, tmp_path):
    """Issue 14.13: when the judge finds a misconception, the follow-up asks about that statement."""
    script = script_for(bank, "technical")
    step = script.step("misconception")
    answers = tmp_path / "answers.txt"
    answers.write_text(f"{step.answer}\n---\n{FOLLOW_UP_REPLY}\n", encoding="utf-8")
    data = json.loads(ok(cli("interview", "--question-ids", step.question_id, "--answers-file", str(answers),
                             "--judge", "offline", "--json", "--follow-ups", "1")))
    exchanges = data["turns"][0]["exchanges"]
    assert len(exchanges) == 2 and exchanges[1]["kind"] == "follow_up"
    contrast = step.contrast
    assert mentions(exchanges[1]["prompt"], [*contrast.a, *contrast.b]), exchanges[1]["prompt"]
