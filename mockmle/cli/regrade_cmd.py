"""`mockmle sessions regrade ID`: a second opinion from the configured model on the grades the offline judge
was unsure of. Each new grade is saved as it comes; the scorecard is rebuilt at the end."""

from __future__ import annotations

import argparse

from mockmle.app.second_opinion import SecondOpinion, model_label, unsure_summary
from mockmle.app.services import Services
from mockmle.cli.commands import print_json


def regrade(services: Services, args: argparse.Namespace) -> int:
    opinion = SecondOpinion(services, args.id)
    session_id = opinion.session_id
    if not opinion.positions:
        if args.json:
            print_json({"session_id": session_id, "regraded": []})
        else:
            print(f"Session {session_id} has no unsure grades from the offline judge: nothing to re-grade.")
        return 0
    model = model_label(services)
    if not args.json:
        print(f"Session {session_id}: {unsure_summary(opinion.positions)}. Asking {model} for a second opinion…",
              flush=True)
    outcomes = opinion.run()
    if args.json:
        print_json({"session_id": session_id, "regraded": [
            {"position": o.position, "before": o.before.band, "after": o.after.band if o.after else None,
             "judge": o.after.provenance.judge if o.after else None, "problem": o.problem} for o in outcomes]})
        return 0
    for outcome in outcomes:
        print(f"  {outcome.line()}")
    print(f"See the session with: mockmle sessions show {session_id}")
    return 0
