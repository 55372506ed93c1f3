"""`mockmle calibrate`: how far a judge agrees with human graders, beside plain baselines (make eval)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from mockmle.cli.options import common
from mockmle.errors import UsageError

DATASETS = ("calibration", "mohler", "saf")


def add_parser(commands) -> None:
    calibrate = commands.add_parser("calibrate", help="measure a judge against human grades, beside plain baselines")
    calibrate.set_defaults(func=calibrate_command)
    calibrate.add_argument("--dataset", choices=["calibration", "mohler", "saf", "all"], default="all",
                           help="which labelled answers (default all; a dataset not on this machine is skipped)")
    calibrate.add_argument("--split", choices=["test", "dev", "all"],
                           help="calibration set only: its test part, its dev part (tuned on), or both pooled "
                                "(default: test, then dev, each labelled)")
    calibrate.add_argument("--limit", type=int, metavar="N", help="at most N answers per dataset, spread over it")
    calibrate.add_argument("--data", metavar="DIR", help="outside datasets folder (default: $MOCKMLE_EVAL_DATA, "
                           "else ~/.cache/mockmle/eval; tools/eval_data.py fills it)")
    output = calibrate.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the README)")
    calibrate.add_argument("--judge", choices=["offline", "llm"], default=argparse.SUPPRESS,
                           help="who grades (default offline; llm: the configured model, timed per answer)")
    calibrate.add_argument("--model", default=argparse.SUPPRESS, help="the judge's model, with --judge llm "
                           "(default: $MOCKMLE_MODEL, config.toml, or the server's first model)")
    common(calibrate)


def calibrate_command(args: argparse.Namespace) -> int:
    from mockmle.app.services import Services
    from mockmle.cli.commands import print_json
    from mockmle.evaluation import datasets, report
    from mockmle.evaluation.run import evaluate, sample
    from mockmle.settings import resolve_settings

    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    judge = getattr(args, "judge", None) or "offline"
    services = Services(resolve_settings(home=args.home, bank_dir=args.bank_dir, judge=judge,
                                         model=getattr(args, "model", None)))
    services.on_call = lambda record: None  # evaluation calls stay out of the candidate's call log
    grader = services.grader_for(judge)
    folder = datasets.data_folder(args.data)
    chosen, skipped = [], []
    for name in DATASETS if args.dataset == "all" else (args.dataset,):
        try:
            chosen += _load(name, args.split, folder)
        except datasets.DatasetMissing as missing:
            skipped.append(str(missing))
        except datasets.DatasetError as exc:
            raise UsageError(f"{name}: {exc}") from None
    if not args.json:
        for line in skipped:
            print(f"note: {line}", file=sys.stderr)
    meaning = services.meaning  # the "meaning" baseline: the embedding model alone; skipped if broken or turned off
    evaluations = []
    for dataset in chosen:
        dataset = replace(dataset, rows=sample(dataset.rows, args.limit))
        evaluations.append(evaluate(dataset, grader, services.bank, warm_up=judge == "offline",
                                    progress=_progress(dataset.name), meaning=meaning))
    if not evaluations:
        raise UsageError("no dataset to evaluate (see the notes above)")
    if args.json:
        print_json(report.json_data(evaluations, skipped))
    elif args.markdown:
        print(report.markdown_table(evaluations, skipped))
    else:
        print(report.text_table(evaluations, skipped))
    return 0


def _load(name: str, split: str | None, folder):
    from mockmle.evaluation import datasets

    if name != "calibration":
        return [datasets.load_outside(name, folder)]
    path = datasets.calibration_path()
    if path is None:
        raise datasets.DatasetMissing("calibration: tests/data/calibration.jsonl comes with a source checkout; skipped")
    paraphrases = datasets.paraphrases_path(path)
    return datasets.calibration_parts(datasets.load_calibration(path), split,
                                      datasets.load_paraphrases(paraphrases) if paraphrases else None)


def _progress(name: str):
    """A live count on a terminal's stderr (an LLM judge can take minutes); nothing when piped."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\rgrading {name}: {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show
