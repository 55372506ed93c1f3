"""`mockmle cards`: the key points missed and the misconceptions stated, as flashcards for Anki."""

from __future__ import annotations

import argparse

from mockmle.cli.commands import services_for
from mockmle.cli.options import action


def add_parser(commands) -> None:
    parser = action(commands, "cards", "write what you missed as flashcards for Anki (.apkg deck or CSV)", cards)
    parser.add_argument("--format", choices=["apkg", "csv"], help="default: csv when --output ends in .csv, else apkg")
    parser.add_argument("--session", metavar="ID", help="one session instead of the whole history")
    parser.add_argument("--output", metavar="PATH", help="where to write them (default: cards/ in the data home)")
    parser.epilog = ("One card per key point an answer missed and per misconception it stated, with your own words on "
                     "the back. Cards keep their ids: importing a newer export updates them in Anki, never doubles them.")


def cards(args: argparse.Namespace) -> int:
    from mockmle.app.cards import FORMATS, NOTHING_YET, write_cards
    from mockmle.app.output_format import format_for

    fmt = args.format or format_for(args.output, FORMATS, "apkg")
    written = write_cards(services_for(args), fmt=fmt, session_id=args.session, output=args.output)
    if written is None:
        print(NOTHING_YET)
        return 0
    print(f"Wrote {written.count} card{'' if written.count == 1 else 's'} to {written.path}")
    return 0
