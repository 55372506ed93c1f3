"""Fit the offline judge's reference-answer coefficients on the outside datasets and write them into
rubrics/combiner.toml ([combiner.reference]).

    .venv/bin/python tools/fit_reference.py [--write]

Reference-answer mode grades a question outside the bank against a reference answer (`mockmle grade --reference`, a
pack question with a reference). The bank's own coefficients (tools/fit_combiner.py) are fitted on the calibration
set's bank questions and never see these datasets; these are fitted on Mohler and SAF together (tools/eval_data.py
fills the cache), so their figures are only honest cross-validated:

- every answer is graded once with a placeholder, recording its evidence (words, meaning, both, and `aligned`, the
  soft keyword recall of the reference: see mockmle/core/grading/combiner.py);
- for each candidate feature set, 5 folds by question over both datasets (a question's answers are never split):
  least squares of the human band (score / scale x 4) with an intercept and non-negative weights, fitted on four
  folds' answers that say at least one sentence of the reference and that no cap binds, cuts at 0.5, 1.5, 2.5, 3.5;
  the fifth fold's bands follow from its recorded evidence by the combiner's own rules (nothing covered: 0; close
  words but no sentence said: at most 1, with `aligned_floor`, also chosen here, between the two) and any cap that
  bound it (the ablation);
- the best set by the mean of the two datasets' cross-validated Pearson is then checked exactly (each held-out fold
  regraded by the judge with its fold's coefficients) and fitted on everything for the file.
Quote the printed figures, not numbers from memory: `make eval` grades Mohler and SAF with coefficients that saw
them, so only this script's cross-validated Pearson answers "how well on questions it was not fitted on".
"""

from __future__ import annotations

import argparse
import itertools
import sys
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from fit_combiner import MIDPOINT_CUTS, Item, Recording, fold_of, grade_all, to_toml, with_data  # noqa: E402

from mockmle.core.bank import load_bank  # noqa: E402 - after the path is set
from mockmle.core.grading.combiner import Coefficients, CombinerData, band_and_score  # noqa: E402
from mockmle.core.grading.metrics import pearson  # noqa: E402
from mockmle.evaluation import datasets  # noqa: E402
from mockmle.resources import data_dir  # noqa: E402

CANDIDATE_SETS = (("aligned",), ("aligned", "words"), ("aligned", "meaning"), ("aligned", "both"), ("both",),
                  ("meaning", "words"))
FLOORS = (0.0, 0.05, 0.1, 0.15, 0.2)  # candidate `aligned_floor`s
FOLDS = 5


def least_squares(items: list[Item], features: tuple[str, ...]) -> Coefficients:
    """Intercept free, weights non-negative (every subset tried; the best with no negative weight kept), on the
    answers no cap binds and that say at least one of the reference's sentences (the others' band is a rule's)."""
    usable = [i for i in items if not i.capped and i.evidence.both > 0]
    y = np.array([i.target for i in usable])
    best: tuple[float, float, dict[str, float]] | None = None
    for size in range(1, len(features) + 1):
        for subset in itertools.combinations(features, size):
            x = np.array([[1.0, *(i.evidence.values()[f] for f in subset)] for i in usable])
            solution, *_ = np.linalg.lstsq(x, y, rcond=None)
            if (solution[1:] < 0).any():
                continue
            error = float(((x @ solution - y) ** 2).sum())
            if best is None or error < best[0]:
                best = (error, round(float(solution[0]), 4),
                        {f: round(float(w), 4) for f, w in zip(subset, solution[1:], strict=True)})
    assert best is not None
    return Coefficients(intercept=best[1], weights=best[2], cuts=MIDPOINT_CUTS)


def recorded_band(item: Item, coefficients: Coefficients, floor: CombinerData) -> int:
    """The band these coefficients give from the recorded evidence, under any cap that bound the answer."""
    band, _ = band_and_score(item.evidence, floor.model_copy(update={"reference": coefficients}))
    return min(band, item.band) if item.capped else band


def question_of(item: Item) -> str:
    """The answer's question, named with its dataset: question ids repeat across datasets."""
    return f"{item.row.id.split('-')[0]}/{item.row.question_id}"


def fold(item: Item) -> int:
    return fold_of(question_of(item))


def cross_validated(items: list[Item], features: tuple[str, ...], floor: CombinerData) -> dict[str, int]:
    bands = {}
    for k in range(FOLDS):
        fitted = least_squares([i for i in items if fold(i) != k], features)
        bands.update({i.row.id: recorded_band(i, fitted, floor) for i in items if fold(i) == k})
    return bands


def questions(items: list[Item]) -> int:
    return len({question_of(i) for i in items})


def by_dataset(items_by_set: dict[str, list[Item]], bands: dict[str, int]) -> dict[str, float]:
    return {name: pearson([i.row.human for i in items], [bands[i.row.id] for i in items])
            for name, items in items_by_set.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write [combiner.reference] into rubrics/combiner.toml")
    args = parser.parse_args()

    from mockmle.semantic.meaning import SemanticMeaning

    bank = load_bank(data_dir("rubrics"))
    shipped = bank.combiner
    assert shipped is not None, "rubrics/combiner.toml is missing"
    folder = datasets.data_folder()
    outside = {name: datasets.load_outside(name, folder) for name in datasets.OUTSIDE}
    placeholder = Coefficients(intercept=0.0, weights={"aligned": 1.0}, cuts=MIDPOINT_CUTS)
    grader = Recording(with_data(bank, shipped.model_copy(update={"reference": placeholder})), SemanticMeaning())
    items_by_set = {name: grade_all(grader, dataset.rows) for name, dataset in outside.items()}
    items = [i for part in items_by_set.values() for i in part]
    print(f"{len(items)} answers to {questions(items)} questions "
          f"({', '.join(f'{n} {len(p)}' for n, p in items_by_set.items())}); the judge's bands before: "
          + ", ".join(f"{n} Pearson {pearson([i.row.human for i in p], [i.band for i in p]):.3f}"
                      for n, p in items_by_set.items()))

    print(f"\nAblation, {FOLDS}-fold cross-validated by question (bands from the recorded evidence):")
    scored = {}
    for features, aligned_floor in itertools.product(CANDIDATE_SETS, FLOORS):
        floor = shipped.model_copy(update={"aligned_floor": aligned_floor})
        figures = by_dataset(items_by_set, cross_validated(items, features, floor))
        scored[features, aligned_floor] = sum(figures.values()) / len(figures)
        print(f"- {' + '.join(features):18} floor {aligned_floor:.2f}  "
              + "  ".join(f"{n} Pearson {v:.3f}" for n, v in figures.items()))
    chosen, aligned_floor = max(scored, key=lambda key: scored[key])
    print(f"chosen: {' + '.join(chosen)}, aligned floor {aligned_floor}")
    floor = shipped.model_copy(update={"aligned_floor": aligned_floor})

    exact: dict[str, int] = {}
    for k in range(FOLDS):
        fitted = least_squares([i for i in items if fold(i) != k], chosen)
        with_data(bank, floor.model_copy(update={"reference": fitted}))
        held_out = [i.row for i in items if fold(i) == k]
        exact.update({item.row.id: item.band for item in grade_all(grader, held_out)})
    figures = by_dataset(items_by_set, exact)
    print("exact (each held-out fold regraded by the judge): "
          + "  ".join(f"{n} Pearson {v:.3f}" for n, v in figures.items()))

    final = least_squares(items, chosen)
    print(f"fitted on all: {final.weights} + {final.intercept}")
    note = (f"Mohler and SAF, {len(items)} answers to {questions(items)} questions, least squares "
            f"with an intercept, tools/fit_reference.py, {date.today().isoformat()}; {FOLDS}-fold cross-validated by "
            f"question: " + ", ".join(f"{n} Pearson {v:.3f}" for n, v in figures.items()))
    if args.write:
        target = ROOT / "rubrics" / "combiner.toml"
        target.write_text(to_toml(floor.model_copy(update={"reference": final, "reference_fitted_on": note,
                                                            "reference_datasets": list(outside)})))
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
