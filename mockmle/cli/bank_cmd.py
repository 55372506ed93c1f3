"""`mockmle bank list|show|validate|stages`: browse and validate the question bank."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from mockmle.cli.commands import print_json, services_for
from mockmle.cli.options import STAGES_HELP, action


def add_parser(commands) -> None:
    bank = commands.add_parser("bank", help="browse and validate the question bank")
    actions = bank.add_subparsers(dest="bank_command", metavar="ACTION", required=True)
    listing = action(actions, "list", "list questions", list_questions, json=True)
    listing.add_argument("--stage", help=f"only this stage ({STAGES_HELP})")
    shown = action(actions, "show", "show one question with its areas, follow-ups, key points and a model answer", show,
                   "id", json=True)
    shown.add_argument("--guide", action="store_true",
                       help="the model answer built from the interview guide, without asking a configured model")
    action(actions, "validate", "check a pack file or folder; exit code 2 when malformed", validate, "path")
    action(actions, "stages", "list the interview stages", stages, json=True)


def list_questions(args: argparse.Namespace) -> int:
    the_bank = services_for(args).bank
    questions = the_bank.questions_for(the_bank.stage(args.stage).id) if args.stage else list(the_bank.questions.values())
    if args.json:
        print_json([{"id": q.id, "stage": q.stage, "text": q.text, "competencies": q.competencies, "tags": q.tags}
                    for q in questions])
    else:
        for question in questions:
            print(f"{question.id:<40} {question.text}")
    return 0


def show(args: argparse.Namespace) -> int:
    services = services_for(args)
    question = services.bank.question(args.id)
    answers = services.model_answers
    answer = answers.guide(question.id) if args.guide else answers.answer(question.id)
    if args.json:
        print_json({**question.model_dump(), "model_answer": {
            "text": answer.text, "source": answer.source, "label": answer.label, "model": answer.model,
            "judge": answer.judge, "band": answer.band, "note": answer.note}})
        return 0
    sections = [("Areas to cover", question.areas), ("Follow-ups", question.follow_ups),
                ("Key points of a strong answer", question.key_points), ("Common misconceptions", question.misconceptions),
                ("Red flags", question.red_flags), ("Competencies", question.competencies)]
    print(f"{question.id}  [{question.stage}]\n\n{question.text}")
    corrections = dict(zip(question.misconceptions, question.corrections, strict=False))
    for title, items in sections:
        if items:
            print(f"\n{title}:")
            for item in items:
                print(f"  - {item}")
                if items is question.misconceptions and item in corrections:
                    print(f"    Correction: {corrections[item]}")
    print(f"\nModel answer ({answer.label}):")
    if answer.note:
        print(f"  ({answer.note})")
    print("\n\n".join(textwrap.fill(p, width=100, initial_indent="  ", subsequent_indent="  ")
                      for p in answer.text.split("\n\n")))
    return 0


def stages(args: argparse.Namespace) -> int:
    the_bank = services_for(args).bank
    rows = [{"id": s.id, "title": s.title, "description": s.description, "questions": len(the_bank.questions_for(s.id))}
            for s in the_bank.stages.values()]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']:<13} {row['questions']:>3} questions  {row['description']}")
    return 0


def validate(args: argparse.Namespace) -> int:
    from mockmle.core.bank import load_bank, pack_files
    settings = services_for(args).settings  # read first: a bad config.toml is said before the pack is
    path = Path(args.path)
    builtin = settings.builtin_bank.resolve()
    inside_builtin = path.resolve() == builtin or path.resolve().parent == builtin
    sources = [builtin] if inside_builtin else [builtin, path]
    the_bank = load_bank(*sources)
    files = {f.resolve() for f in pack_files(path)}
    own = [q for q in the_bank.questions.values() if the_bank.origins[f"questions:{q.id}"].resolve() in files]
    print(f"{path}: ok ({len(files)} file{'s' if len(files) != 1 else ''}, {len(own)} questions)")
    return 0
