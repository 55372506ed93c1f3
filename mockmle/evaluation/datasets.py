"""The rows a judge is measured on: an answer, what it answers, and the human score.

Human scores stay on each dataset's own scale for Pearson and Spearman. For QWK, exact and
within-one agreement they become 0-4 bands the same way everywhere: the score as a share of its
scale's top, times 4, rounded half up (Mohler 3.5 of 5 -> 2.8 -> 3; SAF 0.375 of 1 -> 1.5 -> 2).

The calibration set (tests/data/calibration.jsonl, in a source checkout) is split by question,
never by answer, with `held_out_questions`. Beside it, tests/data/paraphrases.jsonl rewords its band
3-4 answers in plain words, away from the rubric's vocabulary: each part carries the paraphrases of
its own answers, so the judge can be measured on the same content in other words. The outside
datasets come from a cache folder that a developer fills with tools/eval_data.py; they are never
part of the repository.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockmle.errors import UsageError
from mockmle.resources import checkout_root

# A question is in the test part when the first 8 hex digits of sha256(its id), read as a fraction of
# 2**32, fall under TEST_SHARE; a stage left with no test question gives its lowest-hash question to the
# test part. Decided before any number was looked at; tests/test_evaluation.py pins the result.
TEST_SHARE = 0.4
OUTSIDE = ("mohler", "saf")


class DatasetMissing(UsageError):
    """A dataset that is not on this machine: the harness skips it with this one-line note."""


class DatasetError(UsageError):
    """A dataset that is there but not in the expected format."""


@dataclass(frozen=True)
class Row:
    id: str
    question_id: str
    question_text: str
    answer: str
    human: float  # on the dataset's own scale; the graders' average where there are several
    scale: float  # the top of that scale
    reference: str | None = None  # outside datasets: the reference answer (None: a bank question)
    adversarial: bool = False  # written to game the judge; counted in the pass rate, not in agreement
    graders: tuple[float, ...] = ()  # each grader's score on the same scale, when published
    note: str = ""
    of: str = ""  # a paraphrase: the id of the row it rewords

    @property
    def band(self) -> int:
        return human_band(self.human, self.scale)


@dataclass(frozen=True)
class Dataset:
    name: str  # e.g. "calibration (test)"
    rows: list[Row]
    about: str  # where the human score comes from, in one line
    paraphrases: list[Row] = field(default_factory=list)  # rewordings of some of `rows` (Row.of)


def human_band(score: float, scale: float) -> int:
    return min(4, max(0, int(score / scale * 4 + 0.5)))


def data_folder(given: str | Path | None = None) -> Path:
    """--data, else $MOCKMLE_EVAL_DATA, else $XDG_CACHE_HOME/mockmle/eval (~/.cache/mockmle/eval)."""
    if given:
        return Path(given).expanduser()
    if os.environ.get("MOCKMLE_EVAL_DATA"):
        return Path(os.environ["MOCKMLE_EVAL_DATA"]).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "mockmle" / "eval"


# ---- the calibration set ---------------------------------------------------------------------

def calibration_path() -> Path | None:
    root = checkout_root()
    path = root / "tests" / "data" / "calibration.jsonl" if root else None
    return path if path and path.is_file() else None


def _fraction(question_id: str) -> float:
    return int(hashlib.sha256(question_id.encode()).hexdigest()[:8], 16) / 2**32


def held_out_questions(question_ids: Iterable[str]) -> set[str]:
    """The calibration questions whose answers form the test part (see TEST_SHARE)."""
    ids = sorted(set(question_ids))
    test = {q for q in ids if _fraction(q) < TEST_SHARE}
    for stage in {q.split(".", 1)[0] for q in ids}:
        in_stage = [q for q in ids if q.split(".", 1)[0] == stage]
        if not test.intersection(in_stage):
            test.add(min(in_stage, key=_fraction))
    return test


def paraphrases_path(calibration: Path) -> Path | None:
    path = calibration.with_name("paraphrases.jsonl")
    return path if path.is_file() else None


def _items(path: Path, what: str, make: Callable[[dict[str, Any]], Row]) -> list[Row]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(make(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            raise DatasetError(f"{path}:{number}: not a {what} ({exc})") from None
    return rows


def load_calibration(path: Path) -> list[Row]:
    return _items(path, "calibration item", lambda item: Row(
        id=item["id"], question_id=item["question_id"], question_text="", answer=item["answer"],
        human=float(item["band"]), scale=4.0, adversarial=item["kind"] == "adversarial", note=item.get("note", "")))


def load_paraphrases(path: Path) -> list[Row]:
    """Rows with `of`, the id of the calibration answer each one rewords, and that answer's band."""
    return _items(path, "paraphrase", lambda item: Row(
        id=item["id"], question_id=item["question_id"], question_text="", answer=item["answer"],
        human=float(item["band"]), scale=4.0, of=item["of"]))


def calibration_parts(rows: list[Row], split: str | None, paraphrases: list[Row] | None = None) -> list[Dataset]:
    """split: 'test', 'dev', 'all' (the whole set pooled) or None (test, then dev, each labelled).
    Each part carries the paraphrases of its own rows: the split follows the original's question."""
    test = held_out_questions(r.question_id for r in rows)
    about = "one label per answer, bands 0-4 (written for this project)"

    def part(name: str, chosen: list[Row]) -> Dataset:
        ids = {r.id for r in chosen}
        return Dataset(name, chosen, about, [p for p in paraphrases or [] if p.of in ids])

    parts = {"test": part("calibration (test)", [r for r in rows if r.question_id in test]),
             "dev": part("calibration (dev, tuned on)", [r for r in rows if r.question_id not in test]),
             "all": part("calibration (all, dev + test)", rows)}
    return [parts[name] for name in ([split] if split else ["test", "dev"])]


# ---- outside datasets ------------------------------------------------------------------------

def read_text(path: Path) -> str:
    """UTF-8, else Latin-1: a few of Mohler's answer files are not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{path}: missing") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE))).strip()


def _by_id(text: str) -> dict[str, str]:
    """Lines such as '1.1 What is a variable?' as {'1.1': 'What is a variable?'}."""
    pairs = (line.strip().split(None, 1) for line in text.splitlines() if line.strip())
    return {p[0]: _clean(p[1]) if len(p) > 1 else "" for p in pairs}


def _lines(path: Path) -> list[str]:
    lines = read_text(path).splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _scores(path: Path) -> list[float]:
    try:
        return [float(line) for line in _lines(path)]
    except ValueError as exc:
        raise DatasetError(f"{path}: not a list of scores ({exc})") from None


def load_mohler(folder: Path) -> list[Row]:
    """UNT short answers v2.0 (Mohler, Bunescu, Mihalcea 2011): `folder` holds its README and data/.

    Questions commented out with '#' in data/docs/files are left out, as in the authors' work.
    Each grader's raw score is read (assignments 11 and 12 were graded out of 10) and put on 0-5;
    the human score is their average."""
    data = folder / "data"
    listed = [line.strip() for line in _lines(data / "docs" / "files") if line.strip()]
    questions, references = _by_id(read_text(data / "raw" / "questions")), _by_id(read_text(data / "raw" / "answers"))
    rows = []
    for question_id in (q for q in listed if not q.startswith("#")):
        top = 10.0 if int(question_id.split(".")[0]) >= 11 else 5.0
        answers = _lines(data / "raw" / question_id)
        first, second = _scores(data / "scores" / question_id / "me"), _scores(data / "scores" / question_id / "other")
        if not len(answers) == len(first) == len(second):
            raise DatasetError(f"mohler {question_id}: {len(answers)} answers but {len(first)} and {len(second)} scores")
        if question_id not in questions or question_id not in references:
            raise DatasetError(f"mohler {question_id}: no question or reference answer in data/raw")
        for index, (line, a, b) in enumerate(zip(answers, first, second, strict=True)):
            answer = line.split(None, 1)[1] if line.startswith(question_id + " ") else line
            graders = (a * 5 / top, b * 5 / top)
            rows.append(Row(id=f"mohler-{question_id}.{index}", question_id=question_id,
                            question_text=questions[question_id], reference=references[question_id],
                            answer=_clean(answer), human=sum(graders) / 2, scale=5.0, graders=graders))
    return rows


SAF_SPLITS = ("training", "unseen_answers", "unseen_questions")


def load_saf(folder: Path) -> list[Row]:
    """SAF (Filighera et al. 2022), English: `folder` holds data/<split>/english/*.xml for every split.

    One final score per answer (0-1), agreed by its annotators."""
    rows = []
    for split in SAF_SPLITS:
        for path in sorted((folder / "data" / split / "english").glob("*.xml")):
            try:
                root = ElementTree.fromstring(read_text(path))
                question_id = root.get("id") or path.stem
                question = _clean(root.findtext("questionText") or "")
                reference = "\n".join((r.text or "").strip() for r in root.iter("referenceAnswer"))
                for answer in root.iter("studentAnswer"):
                    rows.append(Row(id=f"saf-{split}-{answer.get('id')}", question_id=question_id,
                                    question_text=question, reference=reference,
                                    answer=(answer.findtext("response") or "").strip(),
                                    human=float(answer.findtext("score") or ""), scale=1.0))
            except (ElementTree.ParseError, ValueError) as exc:
                raise DatasetError(f"{path}: not a SAF question file ({exc})") from None
    return rows


LOADERS = {"mohler": (load_mohler, "mean of two graders, 0-5 (exams out of 10 put on 0-5)"),
           "saf": (load_saf, "one agreed score per answer, 0-1")}
FILLS = "python tools/eval_data.py fills it"


def load_outside(name: str, folder: Path) -> Dataset:
    load, about = LOADERS[name]
    where = folder / name
    if not where.is_dir():
        raise DatasetMissing(f"{name}: not found in {where} ({FILLS}); skipped")
    rows = load(where)
    if not rows:
        raise DatasetMissing(f"{name}: no answers in {where} ({FILLS}); skipped")
    return Dataset(name, rows, about)
