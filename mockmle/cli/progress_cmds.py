"""`progress`, `report` and `data wipe`: the candidate's history as a whole."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from mockmle.cli.commands import print_json, services_for
from mockmle.cli.options import action
from mockmle.errors import MockmleError, UsageError

if TYPE_CHECKING:
    from mockmle.core.progress_models import Progress


def add_parser(commands) -> None:
    progress_parser = action(commands, "progress", "competency levels and trends, the weakest areas, and what is due",
                             progress, json=True)
    progress_parser.epilog = ("Levels weigh recent answers more; confidence grows with the number of answers. What is due "
                              "is scheduled by FSRS; --fit fits its parameters to your own answers (512 or more given "
                              "a day or more apart; needs the optional fsrs[optimizer], which brings PyTorch).")
    progress_parser.add_argument("--fit", action="store_true",
                                 help="fit the scheduler's parameters to your own answers, then reschedule")

    report_parser = action(commands, "report", "write your history, or one session, as Markdown or a standalone HTML page",
                           report)
    report_parser.add_argument("--format", choices=["md", "html"],
                               help="default: md when --output ends in .md or .markdown, else html")
    report_parser.add_argument("--session", metavar="ID", help="one session instead of the whole history")
    report_parser.add_argument("--output", metavar="PATH",
                               help="where to write it ('-' for standard output; default: reports/ in the data home)")

    data_parser = commands.add_parser("data", help="manage the data home")
    data_commands = data_parser.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    wipe = action(data_commands, "wipe", "delete every session, grade, export and report (asks first; config.toml is kept)",
                  wipe_data)
    wipe.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def progress(args: argparse.Namespace) -> int:
    from mockmle.app.progress_view import build_progress

    services = services_for(args)
    if args.fit:
        from mockmle.app.scheduling import fit_schedule

        reviews = fit_schedule(services.store.progress)
        print(f"Fitted the scheduler to {reviews} of your answers; what is due is rescheduled with them.",
              file=sys.stderr if args.json else sys.stdout)
    view = build_progress(services.store.progress, services.bank)
    if args.json:
        print_json(view.model_dump())
    else:
        print(progress_text(view), end="")
    return 0


def progress_text(view: Progress) -> str:
    from mockmle.cli.report_text import wrap
    from mockmle.reporting.text import plural as _plural

    if not view.answers:
        return ("No graded answers yet. Play an interview (`mockmle`, or `mockmle interview`) and your progress "
                "will show here.\n")
    lines = [f"Progress over {_plural(view.sessions, 'session')} and {_plural(view.answers, 'answer')} "
             f"(as of {view.generated_at[:10]})", "", "Competencies: level 0-4 \u00b1 how sure, recent answers weigh more"]
    for c in view.competencies:
        name = c.name if len(c.name) <= 32 else c.name[:31] + "\u2026"
        lines.append(f"  {name:<32} {c.level:>3.1f} \u00b1{c.spread:.1f}  {c.trend_label:<9} "
                     f"{_plural(c.answers, 'answer')}, {c.confidence} confidence")
    lines += ["", "Weakest areas" if view.weakest else "Weakest areas: none below 60% coverage. Well done."]
    for rank, area in enumerate(view.weakest, 1):
        lines.append(wrap(f"{rank}. {area.area}", "     ", first="  "))
        lines.append(wrap(f"covered {area.coverage:.0%} over {_plural(area.answers, 'answer')}, "
                          f"{area.confidence} confidence, {area.trend_label}; questions: {', '.join(area.question_ids)}",
                          "     "))
        for e in area.evidence:
            band = f"band {e.band}" if e.band is not None else "skipped"
            lines.append(f"     {e.at[:10]}  session {e.session_id} Q{e.position + 1}  {e.status:<7} {band}")
        if area.key_points:
            lines.append("     Key points to learn:")
            lines += [wrap(point, "         ", first="       - ") for point in area.key_points[:4]]
    if view.due:
        lines += ["", f"Due for a drill ({len(view.due)}): recall is FSRS's predicted chance you recall it now"]
        for item in view.due[:10]:
            lines.append(wrap(f"{item.kind:<8} {item.recall_text:<11}  {item.label}", " " * 24, first="  "))
        if len(view.due) > 10:
            lines.append(f"  \u2026 and {len(view.due) - 10} more")
    failing = [c for c in view.checks if c.pass_rate < 0.6]
    if failing:
        lines += ["", "Rule checks you miss most"]
        lines += [wrap(f"{c.pass_rate:>4.0%} passed over {_plural(c.answers, 'answer')}: {c.description}", "      ", first="  ")
                  for c in failing[:5]]
    if view.delivery:
        lines += ["", "Spoken answers: how you said them"]
        lines += [wrap(f"{c.pass_rate:>4.0%} met over {_plural(c.answers, 'answer')}, {c.trend_label}: {c.description}",
                       "      ", first="  ") for c in view.delivery]
    if view.misconceptions:
        lines += ["", "Misconceptions seen"]
        lines += [wrap(f"{m.count}\u00d7  {m.misconception} (last {m.last_at[:10]})", "      ", first="  ")
                  for m in view.misconceptions[:5]]
    if view.due or view.weakest:
        lines += ["", "Practise them with: mockmle drill"]
    return "\n".join(lines) + "\n"


def report(args: argparse.Namespace) -> int:
    from mockmle.app.output_format import format_for
    from mockmle.app.reports import FORMATS, write_report

    services = services_for(args)
    try:
        path = write_report(services, fmt=args.format or format_for(args.output, FORMATS, "html"), session_id=args.session,
                            output=args.output)
    except OSError as exc:
        raise MockmleError(f"cannot write the report: {exc}") from None
    if path is not None:
        print(path)
    return 0


def wipe_data(args: argparse.Namespace) -> int:
    from mockmle.app import data_home

    services = services_for(args)
    settings = services.settings
    summary = data_home.describe_data(services)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("wiping needs a confirmation: run it in a terminal, or pass --yes")
        print(f"This deletes {summary} from {settings.home}.")
        print("Your config.toml (model settings and key) is kept." if settings.config_path.exists() else
              "Nothing else is kept.")
        try:
            answer = input("Type 'wipe' to confirm: ")
        except EOFError:
            answer = ""
        if answer.strip().lower() != "wipe":
            print("Nothing deleted.")
            return 1
    data_home.wipe_data(services)
    print(f"Deleted {summary}.")
    return 0
