"""`mockmle doctor`: checks the model endpoint, streaming, structured output, tokens and audio."""

from __future__ import annotations

import argparse

from mockmle.cli.commands import print_json, services_for
from mockmle.cli.options import action, judge


def add_parser(commands) -> None:
    doctor = action(commands, "doctor", "check the model endpoint, streaming, structured output, tokens and audio",
                    run_doctor, json=True)
    judge(doctor)


def run_doctor(args: argparse.Namespace) -> int:
    from mockmle.app.doctor import run_checks

    checks = run_checks(services_for(args))
    if args.json:
        print_json([c.as_dict() for c in checks])
    else:
        marks = {"ok": "ok  ", "warn": "warn", "fail": "FAIL", "info": "    "}
        for check in checks:
            print(f"{marks[check.status]}  {check.name:<18} {check.detail}")
    return 1 if any(c.status == "fail" for c in checks) else 0
