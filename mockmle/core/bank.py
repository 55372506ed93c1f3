"""Load and validate question packs and scorecards into one Bank."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from mockmle.core.bank_models import (
    Competency,
    Contrast,
    Pack,
    Question,
    Recommendation,
    RuleCheck,
    Scorecard,
    Stage,
    normalise_question_text,
)
from mockmle.core.coverage import TermWeights
from mockmle.core.grading.combiner import CombinerData
from mockmle.core.grading.rules import GradingRules
from mockmle.core.toml_locate import locate
from mockmle.errors import UsageError


class BankError(UsageError):
    """A malformed rubric file: names the file, the line where known, and the field."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, field_path: str = ""):
        self.path, self.line_number, self.field_path, self.detail = str(path), line, field_path, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {field_path + ': ' if field_path else ''}{message}")


@dataclass
class _Loaded:
    path: Path
    text: str
    pack: Pack


_Item = TypeVar("_Item", Scorecard, Stage, Question, RuleCheck, Contrast)  # what a pack lists by id


def _field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, str) and not re.fullmatch(r"[A-Za-z0-9_-]+", part):
            part = json.dumps(part)  # a quoted TOML key: keep control characters (newlines) out of the one-line message
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _tidy(message: str) -> str:
    return re.sub(r"^(Value error|Assertion failed), ", "", message).rstrip(".")


def load_pack(path: Path) -> _Loaded:
    if path.exists() and not (path.is_file() or path.is_dir()):  # a FIFO or a device: the read would block or never end
        raise BankError(path, "not a regular file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BankError(path, f"cannot read file ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BankError(path, "not UTF-8 text", line=raw.count(b"\n", 0, exc.start) + 1) from None
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise BankError(path, "invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise BankError(path, f"invalid TOML: {message}", line=int(match.group(1)) if match else None) from None
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        extra = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise BankError(path, _tidy(error["msg"]) + extra, line=locate(text, loc), field_path=_field_path(loc)) from None
    return _Loaded(path, text, pack)


@dataclass
class Bank:
    """Every stage, scorecard and question, cross-checked."""

    rubric_version: str = "unversioned"
    recommendation: Recommendation | None = None
    outcomes: list[Competency] = field(default_factory=list)
    stages: dict[str, Stage] = field(default_factory=dict)
    scorecards: dict[str, Scorecard] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    checks: dict[str, RuleCheck] = field(default_factory=dict)
    contrasts: dict[str, Contrast] = field(default_factory=dict)
    synonyms: list[list[str]] = field(default_factory=list)
    grading: GradingRules = field(default_factory=GradingRules)
    combiner: CombinerData | None = None  # None: the hand thresholds in `grading.bands`
    origins: dict[str, Path] = field(default_factory=dict)

    def question(self, question_id: str) -> Question:
        try:
            return self.questions[question_id]
        except KeyError:
            raise UsageError(f"unknown question id {question_id!r} (see `mockmle bank list`)") from None

    def stage(self, stage_id: str) -> Stage:
        try:
            return self.stages[stage_id]
        except KeyError:
            known = ", ".join(self.stages)
            raise UsageError(f"unknown stage {stage_id!r} (known: {known})") from None

    def questions_for(self, stage_id: str) -> list[Question]:
        return [q for q in self.questions.values() if q.stage == stage_id]

    def scorecards_for(self, stage_id: str) -> list[Scorecard]:
        stage = self.stage(stage_id)
        return [self.scorecards[sid] for sid in (stage.scorecard, *stage.extra_scorecards)]

    def competency(self, stage_id: str, competency_id: str) -> Competency | None:
        for card in self.scorecards_for(stage_id):
            if found := card.competency(competency_id):
                return found
        return next((o for o in self.outcomes if o.id == competency_id), None)

    def find_by_text(self, text: str) -> Question | None:
        wanted = normalise_question_text(text)
        return next((q for q in self.questions.values()
                     if wanted in (normalise_question_text(q.text), normalise_question_text(q.prompt))), None)

    @cached_property
    def weights(self) -> TermWeights:
        documents = [text for q in self.questions.values() for text in (q.text, *q.areas, *q.key_points, *q.follow_ups)]
        return TermWeights.build(documents, self.synonyms)

    def _add(self, loaded: _Loaded) -> None:
        pack = loaded.pack
        if pack.rubric_version:
            self.rubric_version = pack.rubric_version
        if pack.recommendation:
            self.recommendation = pack.recommendation
        if pack.outcomes:
            self.outcomes = list(pack.outcomes)
        self.synonyms.extend(pack.synonyms)
        if pack.grading:
            self.grading = pack.grading
        if pack.combiner:
            self.combiner = pack.combiner
        self._add_items(loaded, "scorecards", pack.scorecards, self.scorecards)
        self._add_items(loaded, "stages", pack.stages, self.stages)
        self._add_items(loaded, "questions", pack.questions, self.questions)
        self._add_items(loaded, "checks", pack.checks, self.checks)
        self._add_items(loaded, "contrasts", pack.contrasts, self.contrasts)

    def _add_items(self, loaded: _Loaded, kind: str, items: Sequence[_Item], target: dict[str, _Item]) -> None:
        for index, item in enumerate(items):
            key = f"{kind}:{item.id}"
            if item.id in target:
                first = self.origins[key]
                line = locate(loaded.text, (kind, index, "id"))
                raise BankError(loaded.path, f"duplicate id {item.id!r} (already defined in {first})", line,
                                f"{kind}[{index}].id")
            target[item.id] = item
            self.origins[key] = loaded.path

    def _check(self, texts: dict[Path, str]) -> None:
        def fail(kind: str, item_id: str, field_name: str, message: str) -> None:
            path = self.origins[f"{kind}:{item_id}"]
            text = texts.get(path, "")
            index = _index_in_file(text, kind, item_id)
            loc = (kind, index, field_name) if index is not None else (kind,)
            raise BankError(path, message, locate(text, loc), f"{kind}[{index}].{field_name}" if index is not None else kind)

        for stage in self.stages.values():
            for card_id in (stage.scorecard, *stage.extra_scorecards):
                if card_id not in self.scorecards:
                    field_name = "scorecard" if card_id == stage.scorecard else "extra_scorecards"
                    fail("stages", stage.id, field_name, f"stage {stage.id!r} refers to unknown scorecard {card_id!r}")
        for question in self.questions.values():
            if question.stage not in self.stages:
                fail("questions", question.id, "stage", f"unknown stage {question.stage!r} (known: {', '.join(self.stages)})")
            for competency_id in question.competencies:
                if self.competency(question.stage, competency_id) is None:
                    fail("questions", question.id, "competencies",
                         f"competency {competency_id!r} is not on the {question.stage!r} scorecards or the shared outcomes")


def _index_in_file(text: str, kind: str, item_id: str) -> int | None:
    try:
        items = tomllib.loads(text).get(kind, [])
    except tomllib.TOMLDecodeError:
        return None
    return next((i for i, item in enumerate(items) if isinstance(item, dict) and item.get("id") == item_id), None)


def pack_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.toml"))
    if path.exists():
        return [path]
    raise UsageError(f"{path}: no such file or folder")


def load_bank(*sources: Path) -> Bank:
    """Load the packs from each source (a .toml file or a folder of them), in order, then cross-check."""
    bank = Bank()
    texts: dict[Path, str] = {}
    for source in sources:
        for path in pack_files(Path(source)):
            loaded = load_pack(path)
            texts[path] = loaded.text
            bank._add(loaded)
    if bank.recommendation is None:
        raise BankError(sources[0] if sources else "rubrics", "no [recommendation] defined by any pack")
    bank._check(texts)
    bank.stages = dict(sorted(bank.stages.items(), key=lambda item: (item[1].order, item[0])))
    return bank
