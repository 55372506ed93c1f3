"""A command line naming a command builds only that command's parser: the same parse, help and errors."""

from __future__ import annotations

import argparse
import contextlib
import io
from importlib import import_module

import pytest

from mockmle.cli import COMMAND_MODULES, COMMANDS, build_parser, named_command


def test_each_command_is_mapped_to_the_module_that_adds_it():
    whole = next(a for a in build_parser()._actions if a.dest == "command").choices  # argparse's subparsers
    for module in COMMANDS:
        lone = argparse.ArgumentParser().add_subparsers(dest="command")
        import_module(f"mockmle.cli.{module}").add_parser(lone)
        assert {name for name, owner in COMMAND_MODULES.items() if owner == module} == set(lone.choices)
    assert set(COMMAND_MODULES) == set(whole)


@pytest.mark.parametrize("argv, command", [
    (["grade", "--question-id", "q"], "grade"),
    (["--home", "/h", "--judge", "llm", "sessions", "list"], "sessions"),
    (["--home=/h", "drill"], "drill"),
    (["--model", "grade", "bank", "list"], "bank"),  # a value that looks like a command is the option's
    (["frobnicate"], None),
    (["--help"], None),
    ([], None),
])
def test_named_command(argv, command):
    assert named_command(argv) == command


@pytest.mark.parametrize("argv", [
    ["grade", "--question-id", "q", "--answer-file", "-", "--json"],
    ["--judge", "llm", "interview", "--questions", "3", "--follow-ups", "2"],
    ["sessions", "regrade", "x", "--model", "b"],
    ["grade", "--help"],
    ["bank"],
    ["grade", "--nonsense"],
])
def test_one_commands_parser_parses_and_speaks_as_the_whole_one(argv):
    def outcome(parser):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                namespace = vars(parser.parse_args(argv))
                namespace.pop("func")
                code = None
            except SystemExit as exc:
                namespace, code = None, exc.code
        return namespace, code, out.getvalue(), err.getvalue()

    assert outcome(build_parser(argv)) == outcome(build_parser())
