"""Options several commands share. Each command module adds its own parser with these (`add_parser`)."""

from __future__ import annotations

import argparse

STAGES_HELP = "screening, work-sample, technical, applied-ml, team-culture, science, reverse"


def common(parser: argparse.ArgumentParser, top: bool = False) -> None:
    # Sub-commands accept the same flags; SUPPRESS keeps them from resetting a value given before the command.
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--home", default=default,
                        help="data home (default: $MOCKMLE_HOME, else sessions/ in a checkout or ~/.local/share/mockmle)")
    parser.add_argument("--bank-dir", default=default, help="extra question packs folder (default: $MOCKMLE_BANK_DIR)")


def judge(parser: argparse.ArgumentParser, top: bool = False) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--judge", choices=["offline", "llm"], default=default,
                        help="who grades (default: llm when OPENAI_API_KEY or OPENAI_BASE_URL is set, else offline)")
    parser.add_argument("--model", default=default,
                        help="model for the interviewer and the judge (default: $MOCKMLE_MODEL, config.toml, "
                             "or the server's first model)")


def action(group, name: str, help: str, handler, positional: str | None = None,
           json: bool = False) -> argparse.ArgumentParser:
    """A (sub-)command with the common options that runs `handler(args)`."""
    parser = group.add_parser(name, help=help)
    parser.set_defaults(func=handler)
    if positional:
        parser.add_argument(positional)
    if json:
        parser.add_argument("--json", action="store_true", help="print JSON")
    common(parser)
    return parser


def playing(parser: argparse.ArgumentParser) -> None:
    """The options of a played interview (interview, drill)."""
    parser.add_argument("--questions", type=int, default=5, help="number of questions (default 5)")
    parser.add_argument("--seed", type=int, help="random seed for the question sample")
    parser.add_argument("--answers-file", help="answers in order, separated by lines containing only ---")
    parser.add_argument("--time-per-question", type=int, help="soft limit in seconds (warns, never cuts off)")
    parser.add_argument("--follow-ups", type=int, default=1, choices=range(0, 4), help="follow-ups per question (default 1)")
    parser.add_argument("--json", action="store_true", help="print the session as JSON")
    judge(parser)
    common(parser)
