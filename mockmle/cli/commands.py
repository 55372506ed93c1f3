"""What each command does. Parsing lives in mockmle.cli; interviews in mockmle.cli.play."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mockmle.errors import MockmleError, UsageError
from mockmle.app.services import BackgroundWarmUp, Services
from mockmle.settings import resolve_settings


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def services_for(args: argparse.Namespace) -> Services:
    return Services(resolve_settings(home=args.home, bank_dir=args.bank_dir, judge=getattr(args, "judge", None),
                                     model=getattr(args, "model", None)))


def read_text_file(path: str, what: str) -> str:
    if path == "-":
        try:  # strictly: the text stream would turn bad bytes into lone surrogates that fail much later
            return sys.stdin.buffer.read().decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{what} on standard input: not UTF-8 text") from None
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{what} {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{what} {path}: cannot read ({exc})") from None


def dispatch(args: argparse.Namespace) -> int:
    if args.command is None:
        return app(services_for(args))
    from mockmle.cli import calibrate_cmd, progress_cmds, transcribe_cmd

    handler = {"bank": bank, "interview": interview, "grade": grade, "sessions": sessions, "doctor": doctor,
               "progress": progress_cmds.progress, "drill": progress_cmds.drill, "report": progress_cmds.report,
               "data": progress_cmds.data, "transcribe": transcribe_cmd.transcribe,
               "calibrate": calibrate_cmd.calibrate}[args.command]
    return handler(args)


def app(services: Services) -> int:
    """`mockmle` with no command: the full-screen app."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the app needs a terminal; for scripted use try `mockmle interview --answers-file FILE` (see --help)")
    services.bank, services.store  # load and migrate now, so a bad pack or database is one line, not a crash inside the app
    from mockmle.tui.app import build_app

    # The meaning model loads and embeds the rubric once Home is on screen (importing it would hold up the first
    # paint), so the first answer is graded at full speed. A model that cannot load is said once, with the first grade.
    warm_up = BackgroundWarmUp(services)
    tui = build_app(services, after_start=warm_up.start)
    try:
        tui.run()
    finally:
        warm_up.stop()
    if tui.return_code:  # Textual has printed the error above; say what it means for the candidate's work
        print("mockmle: the app stopped on an unexpected error (above). Everything answered so far is saved; "
              "run mockmle again and choose Resume.", file=sys.stderr)
    return tui.return_code or 0


def doctor(args: argparse.Namespace) -> int:
    from mockmle.app.doctor import run_checks

    checks = run_checks(services_for(args))
    if args.json:
        print_json([c.as_dict() for c in checks])
    else:
        marks = {"ok": "ok  ", "warn": "warn", "fail": "FAIL", "info": "    "}
        for check in checks:
            print(f"{marks[check.status]}  {check.name:<18} {check.detail}")
    return 1 if any(c.status == "fail" for c in checks) else 0


# ---- bank -------------------------------------------------------------------------------


def bank(args: argparse.Namespace) -> int:
    services = services_for(args)
    if args.bank_command == "validate":
        return validate(services, Path(args.path))
    the_bank = services.bank
    if args.bank_command == "stages":
        rows = [{"id": s.id, "title": s.title, "description": s.description, "questions": len(the_bank.questions_for(s.id))} for s in the_bank.stages.values()]
        if args.json:
            print_json(rows)
        else:
            for row in rows:
                print(f"{row['id']:<13} {row['questions']:>3} questions  {row['description']}")
        return 0
    if args.bank_command == "list":
        questions = the_bank.questions_for(the_bank.stage(args.stage).id) if args.stage else list(the_bank.questions.values())
        if args.json:
            print_json([{"id": q.id, "stage": q.stage, "text": q.text, "competencies": q.competencies, "tags": q.tags} for q in questions])
        else:
            for question in questions:
                print(f"{question.id:<40} {question.text}")
        return 0
    question = the_bank.question(args.id)
    if args.json:
        print_json(question.model_dump())
        return 0
    sections = [("Areas to cover", question.areas), ("Follow-ups", question.follow_ups), ("Key points of a strong answer", question.key_points),
                ("Common misconceptions", question.misconceptions), ("Red flags", question.red_flags), ("Competencies", question.competencies)]
    print(f"{question.id}  [{question.stage}]\n\n{question.text}")
    for title, items in sections:
        if items:
            print(f"\n{title}:")
            for item in items:
                print(f"  - {item}")
    return 0


def validate(services: Services, path: Path) -> int:
    from mockmle.core.bank import load_bank, pack_files
    from mockmle.resources import data_dir

    builtin = data_dir("rubrics").resolve()
    inside_builtin = path.resolve() == builtin or path.resolve().parent == builtin
    sources = [builtin] if inside_builtin else [builtin, path]
    the_bank = load_bank(*sources)
    files = {f.resolve() for f in pack_files(path)}
    own = [q for q in the_bank.questions.values() if the_bank.origins[f"questions:{q.id}"].resolve() in files]
    print(f"{path}: ok ({len(files)} file{'s' if len(files) != 1 else ''}, {len(own)} questions)")
    return 0


# ---- grade ------------------------------------------------------------------------------


def grade(args: argparse.Namespace) -> int:
    from mockmle.cli.grading import grade_batch, grade_single

    services = services_for(args)
    if args.batch:
        return grade_batch(services, args.batch)
    if not (args.question or args.question_id) or not args.answer_file:
        raise UsageError("grade needs --question or --question-id, and --answer-file (or --batch FILE.jsonl)")
    return grade_single(services, args)


# ---- interview and sessions -------------------------------------------------------------


def interview(args: argparse.Namespace) -> int:
    from mockmle.cli.play import play_new

    return play_new(services_for(args), args)


def sessions(args: argparse.Namespace) -> int:
    from mockmle.app.export import write_export
    from mockmle.reporting.session import session_data, session_markdown

    services = services_for(args)
    store = services.store
    action = args.sessions_command
    if action == "list":
        rows = store.list()
        if args.json:
            print_json(rows)
        elif not rows:
            print("No sessions yet. Start one with `mockmle` or `mockmle interview`.")
        else:
            print(f"{'id':<9} {'date':<20} {'stages':<24} {'judge':<8} {'answered':>8} {'overall':>7}  status")
            for row in rows:
                overall = f"{row['overall']:.1f}" if row["overall"] is not None else "-"
                answered = f"{row['answered']}/{row['question_count']}"
                stages = f"drill: {row['stages']}" if row["kind"] == "drill" else row["stages"]
                print(f"{row['id']:<9} {row['created_at'][:19]:<20} {stages:<24} {row['judge']:<8} {answered:>8} {overall:>7}  {row['status']}")
        return 0
    if action == "resume":
        from mockmle.cli.play import play_resume

        return play_resume(services, args)
    if action == "regrade":
        from mockmle.cli.regrade_cmd import regrade

        return regrade(services, args)
    if action == "delete":
        from mockmle.cli.delete_cmd import delete_session

        return delete_session(services, args)
    session_id = store.resolve(args.id)
    record = store.get(session_id)
    if action == "show":
        if args.json:
            print_json(session_data(record))
        else:
            print(session_markdown(record), end="")
        return 0
    try:
        print(write_export(record, services.settings.transcripts_dir, args.format))
    except OSError as exc:
        raise MockmleError(f"cannot write the export: {exc}") from None
    return 0
