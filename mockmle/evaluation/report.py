"""The evaluation table: plain text for a terminal, Markdown for the README, or JSON."""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import asdict
from typing import Any

from mockmle.evaluation.baselines import NAMES
from mockmle.evaluation.run import Evaluation, Figures, ParaphraseGap
from mockmle.resources import checkout_root

COLUMNS = ("Dataset", "Questions", "Answers", "Scorer", "Spearman", "Pearson", "QWK", "Exact", "Within 1", "Adversarial ≤ 1", "Speed")
RIGHT = {"Questions", "Answers", "Spearman", "Pearson", "QWK", "Exact", "Within 1", "Adversarial ≤ 1", "Speed"}
HOW = ("Agreement on the graded answers against the human score (Spearman, Pearson) and the human band: "
       "the score as a share of its scale, times 4, rounded half up (QWK, exact, within 1). "
       "Adversarial ≤ 1: share of the answers written to game the judge that it graded 0 or 1. "
       "Baselines fit nothing and give no band: TF-IDF cosine and keyword recall (the share of the reference's "
       "words the answer uses) compare the answer with the reference answer, or for a bank question with its "
       "areas and key points.")
JUDGE_PATHS = ("mockmle/core", "mockmle/llm", "rubrics", "prompts")  # what a grade depends on


def commit() -> str | None:
    """The checkout's commit, marked when what a grade depends on (JUDGE_PATHS) has uncommitted changes."""
    root = checkout_root()
    if root is None:
        return None
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", *JUDGE_PATHS], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head} + uncommitted changes" if dirty else head


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _cells(figures: Figures) -> list[str]:
    return [_num(figures.spearman), _num(figures.pearson), _num(figures.qwk), _pct(figures.exact), _pct(figures.within_one)]


def _speed(evaluation: Evaluation) -> str:
    if evaluation.judge.startswith("llm"):
        return f"{evaluation.seconds_per_answer:.1f} s/answer"
    return f"{evaluation.per_second:.0f} answers/s"


def table_rows(evaluations: list[Evaluation]) -> list[list[str]]:
    rows = []
    for e in evaluations:
        graded, adversarial = len(e.graded), len(e.adversarial)
        answers = f"{graded} + {adversarial} adv." if adversarial else str(graded)
        questions = str(len({r.question_id for r in e.dataset.rows}))
        rows.append([e.dataset.name, questions, answers, f"judge: {e.judge}", *_cells(e.judge_figures()), _pct(e.adversarial_pass_rate),
                     _speed(e)])
        second = e.second_grader_figures()
        if second is not None:
            rows.append(["", "", "", "human: grader 2 vs 1", *_cells(second), "—", ""])
        for key, label in NAMES.items():
            if key in e.baselines:
                rows.append(["", "", "", f"baseline: {label}", *_cells(e.baseline_figures(key)), "—", ""])
    return rows


def _header(evaluations: list[Evaluation]) -> str:
    judge = evaluations[0].judge if evaluations else "?"
    version = evaluations[0].judge_version if evaluations else ""
    when = datetime.date.today().isoformat()
    return f"Judge {judge} ({version}), {when}, commit {commit() or 'unknown'}."


def _paraphrase_note(name: str, gap: ParaphraseGap) -> str:
    recall = ("" if gap.recall_drop is None else
              f"; keyword recall falls by {gap.recall_drop:.0%} ({gap.original_recall:.2f} -> {gap.paraphrase_recall:.2f})")
    return (f"{name}: paraphrase gap {gap.bands:+.2f} bands (0 is ideal): the judge's mean band is "
            f"{gap.original_band:.2f} on {gap.pairs} answers and {gap.paraphrase_band:.2f} on the same answers "
            f"reworded away from the rubric's words{recall}.")


def _notes(evaluations: list[Evaluation], skipped: list[str]) -> list[str]:
    notes = [f"{e.dataset.name}: {e.dataset.about}." for e in evaluations]
    notes += [_paraphrase_note(e.dataset.name, e.paraphrase) for e in evaluations if e.paraphrase]
    notes += [f"{e.dataset.name}: in sample for the judge, whose reference-answer coefficients were fitted on it "
              f"({e.fitted_on_it})" for e in evaluations if e.fitted_on_it]
    notes += [f"{e.dataset.name}: {e.fallbacks} of {len(e.bands)} answers graded by the offline judge after a model "
              "fault (timeout, server error, or a reply still invalid after a retry)." for e in evaluations if e.fallbacks]
    return notes + [f"note: {line}" for line in skipped]


def text_table(evaluations: list[Evaluation], skipped: list[str]) -> str:
    rows = [list(COLUMNS), *table_rows(evaluations)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [_header(evaluations), ""]
    for row in rows:
        lines.append("  ".join(cell.rjust(w) if COLUMNS[i] in RIGHT else cell.ljust(w)
                               for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip())
    return "\n".join([*lines, "", HOW, *_notes(evaluations, skipped)])


def markdown_table(evaluations: list[Evaluation], skipped: list[str]) -> str:
    lines = [_header(evaluations), "", "| " + " | ".join(COLUMNS) + " |",
             "|" + "|".join("---:" if c in RIGHT else "---" for c in COLUMNS) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table_rows(evaluations)]
    return "\n".join([*lines, "", HOW, "", *(f"- {n}" for n in _notes(evaluations, skipped))])


def json_data(evaluations: list[Evaluation], skipped: list[str]) -> dict[str, Any]:
    def one(e: Evaluation) -> dict[str, Any]:
        second, gap = e.second_grader_figures(), e.paraphrase
        return {"dataset": e.dataset.name, "about": e.dataset.about, "answers": len(e.graded),
                "adversarial": len(e.adversarial), "questions": len({r.question_id for r in e.dataset.rows}),
                "judge": {"name": e.judge, "version": e.judge_version, **asdict(e.judge_figures()),
                          "adversarial_pass_rate": e.adversarial_pass_rate, "seconds": round(e.seconds, 3),
                          "answers_per_second": round(e.per_second, 1),
                          "seconds_per_answer": round(e.seconds_per_answer, 4), "fallbacks": e.fallbacks,
                          "fitted_on_it": e.fitted_on_it or None},
                "second_grader": asdict(second) if second else None,
                "baselines": {key: {"label": label, **asdict(e.baseline_figures(key))} for key, label in NAMES.items()
                              if key in e.baselines},
                "paraphrase": {**asdict(gap), "gap": gap.bands, "recall_drop": gap.recall_drop} if gap else None}

    return {"date": datetime.date.today().isoformat(), "commit": commit(),
            "datasets": [one(e) for e in evaluations], "skipped": skipped}
