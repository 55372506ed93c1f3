"""`mockmle grade`: one answer, or a JSONL batch graded in one process."""

from __future__ import annotations

import argparse
import json
import sys

from mockmle.app.services import Services
from mockmle.cli.commands import print_json, read_text_file
from mockmle.core.bank_models import Question
from mockmle.core.grading.models import Grade, GradeRequest, as_data
from mockmle.errors import UsageError


def build_request(services: Services, answer: str, question_id: str | None = None, question_text: str | None = None,
                  reference: str | None = None) -> GradeRequest:
    bank = services.bank
    question: Question | None
    if question_id:
        question = bank.question(question_id)
        text = question.prompt
    else:
        question = bank.find_by_text(question_text or "")
        text = question_text or ""
    # not validated: every value is already of its field's type (the batch's are checked line by line), and
    # validating would build the request's schema, which holds the bank Question's (see GradeRequest)
    return GradeRequest.model_construct(question_text=text, question=question, answer=answer, reference=reference,
                                        stage=question.stage if question else None)


def grade_data(request: GradeRequest, result: Grade) -> dict:
    return {
        "question_id": request.question.id if request.question else None,
        "matched_bank": request.question is not None,
        "score": result.band,
        "judge": result.provenance.judge,
        **{name: value for name, value in as_data(result).items() if name != "band"},
    }


def grade_single(services: Services, args: argparse.Namespace) -> int:
    answer = args.answer if args.answer is not None else read_text_file(args.answer_file, "answer file")
    request = build_request(services, answer, args.question_id, args.question, args.reference)
    result = services.grader.grade(request)
    if args.json:
        print_json(grade_data(request, result))
    else:
        from mockmle.reporting.grade_text import grade_markdown  # the report's modules: not needed for --json

        where = request.question.id if request.question else "question not in the bank"
        print(f"{where}: {request.question_text}\n")
        print("\n".join(grade_markdown(result, heading="")).lstrip())
    return 0


def _parse_batch(text: str, path: str) -> list[tuple[dict, int]]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(item, dict):
            raise UsageError(f"{path}:{number}: each line must be a JSON object")
        if not isinstance(item.get("answer"), str):
            raise UsageError(f"{path}:{number}: answer: a string is required")
        if not isinstance(item.get("question_id") or item.get("question"), str):
            raise UsageError(f"{path}:{number}: question or question_id: a string is required")
        for key in ("question", "question_id", "answer", "reference", "id"):
            value = item.get(key)
            if key == "id" and not isinstance(value, str):
                continue  # any JSON value, echoed as it came
            if (problem := _text_problem(value)) is not None:
                raise UsageError(f"{path}:{number}: {key}: {problem}")
        items.append((item, number))
    return items


_JSON_KINDS = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "an object"}


def _text_problem(value: object) -> str | None:
    """Why an optional text field cannot be graded, or None when it can."""
    if value is None:
        return None
    if not isinstance(value, str):
        return f"a string is required, not {_JSON_KINDS.get(type(value), 'an object')}"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate (\ud800): JSON allows it, text tools do not
        return f"not valid Unicode text (a lone surrogate at character {exc.start + 1})"
    return None


def grade_batch(services: Services, path: str) -> int:
    items = _parse_batch(read_text_file(path, "batch file"), path)
    requests = []
    for item, number in items:
        try:
            requests.append(build_request(services, item["answer"], item.get("question_id"), item.get("question"), item.get("reference")))
        except UsageError as exc:
            raise UsageError(f"{path}:{number}: {exc}") from None
    grader = services.grader
    out = sys.stdout
    for (item, _), request in zip(items, requests, strict=True):
        data = grade_data(request, grader.grade(request))
        if "id" in item:
            data = {"id": item["id"], **data}
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
    return 0
