"""`mockmle grade`: one answer, or a JSONL batch (mockmle.cli.grading grades them)."""

from __future__ import annotations

import argparse

from mockmle.cli.commands import services_for
from mockmle.cli.options import common, judge
from mockmle.errors import UsageError


def add_parser(commands) -> None:
    grade = commands.add_parser("grade", help="grade one answer, or a JSONL batch")
    grade.set_defaults(func=grade_command)
    which = grade.add_mutually_exclusive_group()
    which.add_argument("--question", help="the question text (matched to the bank ignoring case, spacing, punctuation)")
    which.add_argument("--question-id", help="a bank question id")
    which.add_argument("--batch", metavar="IN.jsonl",
                       help="grade many: one JSON object per line (question or question_id, answer, optional reference); "
                            "prints one grade per line")
    given = grade.add_mutually_exclusive_group()
    given.add_argument("--answer", metavar="TEXT", help="the answer itself, quoted")
    given.add_argument("--answer-file", help="file holding the answer ('-' for standard input)")
    grade.add_argument("--reference", help="what a strong answer says, for questions not in the bank")
    grade.add_argument("--json", action="store_true")
    judge(grade)
    common(grade)


def grade_command(args: argparse.Namespace) -> int:
    from mockmle.cli.loading import load_modules

    # what every grade loads: pydantic, the bank's and the grade's models, the bank cache, the offline judge (which
    # the LLM judge also runs); with the collector paused, then frozen (cli/loading.py)
    load_modules("mockmle.cli.grading", "mockmle.core.bank_cache", "mockmle.core.grading.offline")
    from mockmle.cli.grading import grade_batch, grade_single

    services = services_for(args)
    if args.batch:
        return grade_batch(services, args.batch)
    if not (args.question or args.question_id) or (args.answer is None and not args.answer_file):
        raise UsageError("grade needs --question or --question-id, and --answer or --answer-file (or --batch "
                         "FILE.jsonl)")
    return grade_single(services, args)
