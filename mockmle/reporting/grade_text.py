"""One grade as text: who graded it and how (provenance), why it is unsure, and its Markdown (the areas, key
points and checks with the evidence quoted). Used under every answer in exports and reports, by `mockmle grade`
and by the app's answer cards; it needs none of the session's or scorecard's modules, so `grade` starts fast."""

from __future__ import annotations

from mockmle.core.grading.main_answer import main_band_note
from mockmle.core.grading.models import Grade
from mockmle.core.safe_text import markdown_inline as md

_MARK = {"covered": "[x]", "partly": "[~]", "missed": "[ ]"}


def provenance_line(grade: Grade) -> str:
    """Who graded, with which versions, how answers were matched, and whether it was a fallback: shown under
    every grade. A grade stored before the meaning model and the combiner existed reads as it always did."""
    source = grade.provenance
    judge = "the offline judge" if source.judge == "offline" else f"model {source.judge}"
    line = f"graded by {judge} ({source.judge_version}), rubric {source.rubric_version}"
    if source.prompt_version:
        line += f", prompt {source.prompt_version}"
    if source.meaning:
        line += f", matched by meaning ({source.meaning})"
    if source.combiner:
        line += f", {source.combiner}" if source.combiner.startswith("combiner") else f", combiner {source.combiner}"
    if grade.samples:
        line += f", bands sampled {', '.join(map(str, grade.samples))}"
    if source.meaning_unavailable:
        line += f"; words only: {source.meaning_unavailable}"
    if source.fallback:
        line += f"; fallback: {source.fallback_reason or 'the model failed'}"
    return line


UNSURE_MARK = " \u00b7 unsure"


def unsure_line(grade: Grade) -> str:
    """Why the judge is unsure of this band, in one sentence; "" when it is sure (or did not say)."""
    if not grade.unsure:
        return ""
    reason = grade.confidence_reason.strip().rstrip(".")
    return f"Unsure of this band: {reason}." if reason else "Unsure of this band."


def grade_markdown(grade: Grade, heading: str = "####") -> list[str]:
    note = f" ({md(main_band_note(grade))})" if main_band_note(grade) else ""
    mark = UNSURE_MARK if grade.unsure else ""
    lines = [f"{heading} Band {grade.band}/4{note}{mark}", ""]
    if grade.unsure:
        lines += [md(unsure_line(grade)), ""]
    lines += [f"_{md(provenance_line(grade))}_", ""]
    lines += [f"- {md(step)}" for step in grade.explanation]
    if grade.conflicts:
        lines += ["", "Where the model and the rule checks disagree:"] + [f"- {md(c)}" for c in grade.conflicts]
    if grade.areas:
        lines += ["", "Areas to cover:"]
        for area in grade.areas:
            quote = f' — "{md(area.evidence)}"' if area.evidence else ""
            lines.append(f"- {_MARK[area.status]} {md(area.area)}{quote}")
    if grade.checks:
        lines += ["", "Checks:"]
        for check in grade.checks:
            quote = f' — "{md(check.evidence)}"' if check.evidence else ""
            lines.append(f"- {'pass' if check.passed else 'FAIL'} {md(check.id)}: {md(check.description)}{quote}")
    if grade.misconceptions:
        lines += ["", "Misconceptions:"] + [f'- {md(m.misconception)} — "{md(m.evidence)}"' for m in grade.misconceptions]
    if grade.strength:
        lines += ["", f"Strength: {md(grade.strength)}"]
    if grade.improvement:
        lines += [f"Improve: {md(grade.improvement)}"]
    if grade.key_points:
        lines += ["", "A strong answer would say:"] + [f"- {_MARK[k.status]} {md(k.area)}" for k in grade.key_points]
    return lines
