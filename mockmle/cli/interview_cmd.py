"""`mockmle interview` and `mockmle drill`: play an interview in this terminal, or from an answers file
(mockmle.cli.play plays it)."""

from __future__ import annotations

import argparse

from mockmle.cli.commands import services_for
from mockmle.cli.options import STAGES_HELP, playing


def add_parser(commands) -> None:
    interview = commands.add_parser("interview", help="play an interview (scripted with --answers-file, else in this terminal)")
    interview.set_defaults(func=interview_command)
    interview.add_argument("--stage", action="append", help=f"stage to draw from; repeat or comma-separate ({STAGES_HELP})")
    interview.add_argument("--question-ids", help="play exactly these questions, comma-separated")
    playing(interview)

    drill = commands.add_parser("drill", help="practise what is due and what is weak (spaced repetition), mixed with new questions")
    drill.set_defaults(func=drill_command)
    playing(drill)


def interview_command(args: argparse.Namespace) -> int:
    from mockmle.cli.play import play_new

    return play_new(services_for(args), args)


def drill_command(args: argparse.Namespace) -> int:
    from mockmle.app.drills import drill_plan
    from mockmle.cli.play import play_plan

    services = services_for(args)
    plan = drill_plan(services, count=args.questions, seed=args.seed, time_per_question=args.time_per_question,
                      max_follow_ups=args.follow_ups)
    return play_plan(services, plan, args)
