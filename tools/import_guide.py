"""One-off importer: turn the interview guide seed (002) into rubric TOML skeletons.

Run once when the seed changes; the output is then edited by hand (key points,
misconceptions, competencies are written in our own words). Usage:

    python tools/import_guide.py ../shared/seeds/002_*.txt OUTDIR
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

STAGES = {
    "Screening Interview": "screening",
    "Technical Assessment (Work Sample)": "work-sample",
    "Technical Interview": "technical",
    "Applied ML Interview": "applied-ml",
    "Team & Culture Interview": "team-culture",
}
END = "Debrief Meeting"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def split_sections(lines: list[str]) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in lines:
        if line in STAGES:
            current = STAGES[line]
            sections[current] = []
        elif line == END:
            current = None
        elif current:
            sections[current].append(line)
    return sections


def parse_questions(body: list[str]) -> list[dict]:
    questions, i = [], 0
    while i < len(body):
        if i + 1 < len(body) and body[i + 1] == "Areas to Cover":
            question = {"text": body[i], "areas": [], "follow_ups": []}
            i += 2
            while body[i].startswith("- "):
                question["areas"].append(body[i][2:])
                i += 1
            assert body[i] == "Possible Follow-up Questions", body[i]
            i += 1
            while i < len(body) and body[i].startswith("- "):
                question["follow_ups"].append(body[i][2:])
                i += 1
            questions.append(question)
        else:
            i += 1
    return questions


def parse_scorecard(body: list[str]) -> tuple[list[dict], list[str]]:
    start = body.index("Interview Scorecard") + 1
    rows, i = [], start
    while body[i] != "Hiring Recommendation":
        name = body[i]
        anchors = [re.sub(r"^- \d: ", "", line) for line in body[i + 1 : i + 6]]
        rows.append({"name": name, "anchors": anchors})
        i += 6
    levels = [re.sub(r"^- \d: ", "", line) for line in body[i + 1 : i + 5]]
    return rows, levels


def main(seed: Path, out: Path) -> None:
    lines = [line.rstrip() for line in seed.read_text(encoding="utf-8").splitlines()]
    out.mkdir(parents=True, exist_ok=True)
    for stage, body in split_sections(lines).items():
        rows, levels = parse_scorecard(body)
        competencies, outcomes = rows[:5], rows[5:]
        text = ["format = 1", ""]
        text += ["[[scorecards]]", f"id = {q(stage)}", "title = \"\"", 'source = "002"']
        for row in competencies:
            text += ["", "[[scorecards.competencies]]", f"id = {q(slug(row['name']))}", f"name = {q(row['name'])}"]
            text += ["anchors = ["] + [f"  {q(a)}," for a in row["anchors"]] + ["]"]
        text += ["", f"# outcomes: {[o['name'] for o in outcomes]}", f"# recommendation: {levels}", ""]
        for question in parse_questions(body):
            text += ["[[questions]]", f"id = {q(stage + '.' + slug(question['text'])[:40])}", f"stage = {q(stage)}"]
            text += [f"text = {q(question['text'])}", "areas = ["]
            text += [f"  {q(a)}," for a in question["areas"]] + ["]", "follow_ups = ["]
            text += [f"  {q(f)}," for f in question["follow_ups"]] + ["]", 'source = "002"', ""]
        (out / f"{stage}.toml").write_text("\n".join(text) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
