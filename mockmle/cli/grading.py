"""`mockmle grade`: one answer, or a JSONL batch graded in one process."""

from __future__ import annotations

import argparse
import json
import sys

from mockmle.cli.commands import print_json, read_text_file
from mockmle.core.grading.models import Grade, GradeRequest
from mockmle.errors import UsageError
from mockmle.export import grade_markdown
from mockmle.services import Services


def build_request(services: Services, answer: str, question_id: str | None = None, question_text: str | None = None,
                  reference: str | None = None) -> GradeRequest:
    bank = services.bank
    if question_id:
        question = bank.question(question_id)
        text = question.prompt
    else:
        question = bank.find_by_text(question_text or "")
        text = question_text or ""
    return GradeRequest(question_text=text, question=question, answer=answer, reference=reference,
                        stage=question.stage if question else None)


def grade_data(request: GradeRequest, result: Grade) -> dict:
    return {
        "question_id": request.question.id if request.question else None,
        "matched_bank": request.question is not None,
        "score": result.band,
        "judge": result.provenance.judge,
        **result.model_dump(exclude={"band"}),
    }


def grade_single(services: Services, args: argparse.Namespace) -> int:
    answer = read_text_file(args.answer_file, "answer file")
    request = build_request(services, answer, args.question_id, args.question, args.reference)
    result = services.grader.grade(request)
    if args.json:
        print_json(grade_data(request, result))
    else:
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
        items.append((item, number))
    return items


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
