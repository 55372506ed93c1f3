"""Play an interview without the TUI: answers from a file, or typed in this terminal."""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterator

from mockmle.app.runner import InterviewRunner
from mockmle.app.second_opinion import unsure_offline, unsure_summary
from mockmle.app.services import Services
from mockmle.cli.commands import print_json, read_text_file
from mockmle.cli.report_text import report_text, wrap
from mockmle.core.grading.main_answer import main_band_note
from mockmle.core.interview import Action, Answer, Ask, End, Event, Finished, Hint, Repeat, ShowHint, Skip, build_plan
from mockmle.core.plan import Plan
from mockmle.errors import UsageError
from mockmle.reporting.session import session_data

COMMANDS: dict[str, type] = {"/skip": Skip, "/hint": Hint, "/repeat": Repeat, "/end": End}
_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)


def split_answers(text: str) -> list[str]:
    """Answers separated by lines containing only `---`; a trailing separator adds nothing."""
    chunks = [chunk.strip() for chunk in _SEPARATOR.split(text)]
    if chunks and not chunks[-1]:
        chunks.pop()
    return chunks


def command_event(text: str) -> Event | None:
    """The event for `/skip`, `/hint`, `/repeat` or `/end`; None for anything else."""
    command = COMMANDS.get(text.strip().lower())
    return command() if command else None


def to_event(chunk: str) -> Event:
    return command_event(chunk) or Answer(text=chunk)


class ScriptedAnswers:
    def __init__(self, chunks: list[str]):
        self._chunks: Iterator[str] = iter(chunks)

    def next(self) -> Event | None:
        chunk = next(self._chunks, None)
        return None if chunk is None else to_event(chunk)


class TerminalAnswers:
    """Reads an answer typed at the prompt; a blank line sends it."""

    HELP = "Type your answer; press Enter on an empty line to send. Commands: /hint /skip /repeat /end"

    def __init__(self, time_limit: int | None):
        self.time_limit = time_limit

    def next(self) -> Event | None:
        started = time.monotonic()
        lines: list[str] = []
        while True:
            try:
                line = input("> " if not lines else "  ")
            except EOFError:
                break
            if not line.strip():
                if lines:
                    break
                continue
            if not lines and (command := command_event(line)) is not None:
                return command
            if not lines and line.strip().lower() in ("/help", "/?"):
                print(self.HELP)
                continue
            lines.append(line)
        if not lines:
            return None
        seconds = time.monotonic() - started
        if self.time_limit and seconds > self.time_limit:
            print(f"(That took {seconds:.0f} s, over the {self.time_limit} s guide. Everything you wrote is kept.)")
        return Answer(text="\n".join(lines), seconds=round(seconds, 1))


def _show(action: Action, runner: InterviewRunner) -> None:
    total = len(runner.state.plan.question_ids)
    if isinstance(action, Ask):
        if action.intro:
            print("\n" + wrap(action.intro))
        if action.exchange == "question" and not action.repeated:
            stage = action.question_id.split(".", 1)[0]
            print(f"\nQuestion {action.position + 1} of {total} [{stage}]")
            if reason := runner.state.plan.reasons.get(action.question_id):
                print(wrap(f"(Drill: {reason}.)"))
            print(f"{wrap(action.prompt)}\n")
        elif action.exchange == "follow_up" and not action.repeated:
            print("\n" + wrap(f"Follow-up: {action.prompt}") + "\n")
        else:
            print("\n" + wrap(action.prompt) + "\n")
    elif isinstance(action, ShowHint):
        cost = f" (hints cost half a band each; used {action.hints_used})" if action.given else ""
        print(wrap(action.text + cost))
    elif isinstance(action, Finished):
        print("\n" + wrap(action.message))


class ModelNotes:
    """Lines about the model's failures, each printed once; once the client stops calling a failing server
    (its circuit breaker opens), one line says so and the calls it refuses are not reported one by one."""

    def __init__(self, runner: InterviewRunner, quiet: bool):
        configured = runner.services.settings.llm.configured
        self.breaker = getattr(runner.services.llm, "breaker", None) if configured else None
        self.quiet = quiet
        self.announced = False

    def note(self, line: str, newline: bool = False) -> None:
        if self.breaker is not None and self.breaker.line in line:
            self.announce(newline)
            return
        self._print(line, newline)
        self.announce()

    def announce(self, newline: bool = False) -> None:
        if self.breaker is not None and self.breaker.is_open and not self.announced:
            self.announced = True
            self._print(self.breaker.line, newline)

    def _print(self, line: str, newline: bool) -> None:
        if not self.quiet:
            print(("\n" if newline else "") + wrap(f"({line}.)"))


def drive(runner: InterviewRunner, answers: ScriptedAnswers | TerminalAnswers, quiet: bool,
          notes: ModelNotes | None = None) -> None:
    streamed: list[str] = []
    notes = notes or ModelNotes(runner, quiet)

    def note(line: str) -> None:
        notes.note(line, newline=bool(streamed))

    def stream(piece: str) -> None:  # the model's follow-up, printed as it arrives
        if not quiet:
            print(("\nFollow-up: " if not streamed else "") + piece, end="", flush=True)
        streamed.append(piece)

    actions = runner.start()
    while True:
        for action in actions:
            if isinstance(action, Ask) and action.exchange == "follow_up" and streamed:
                if not quiet:
                    print("\n")
                continue  # already on screen
            if not quiet:
                _show(action, runner)
        for position, grade in runner.handle_grading(actions):
            if grade.provenance.fallback:
                note(f"question {position + 1} was graded offline: {grade.provenance.fallback_reason}")
        if runner.finished:
            return
        event = answers.next()
        streamed.clear()
        actions = runner.reword_follow_ups(runner.send(event if event is not None else End()), on_problem=note,
                                           on_delta=stream)
        if streamed and not any(isinstance(a, Ask) and a.exchange == "follow_up" and a.reworded for a in actions):
            streamed.clear()  # the model's text was rejected: the offline follow-up is shown instead


def _finish(runner: InterviewRunner, as_json: bool, notes: ModelNotes | None = None) -> int:
    notes = notes or ModelNotes(runner, as_json)
    report = runner.report()
    notes.announce()  # the last grade may have been the failure that took the model offline
    text, problem = runner.write_debrief(report)
    if text:
        report = runner.save_debrief(report, text)
    elif problem:
        notes.note(f"No written debrief: {problem}")
    if as_json:
        data = session_data(runner.services.store.get(runner.session_id))
        data["llm_usage"] = runner.services.calls.totals(runner.session_id)
        print_json(data)
        return 0
    print("\nYour answers")
    for turn in runner.state.turns:
        grade = runner.grades.get(turn.position)
        band = f"band {grade.band}/4" if grade else turn.status
        if grade and (note := main_band_note(grade)):
            band += f" ({note})"
        if grade and grade.unsure:
            band += ", unsure"
        print(f"  Q{turn.position + 1}  {band:<10} {turn.question_id}")
        if grade and grade.improvement:
            print(wrap(grade.improvement, "        ", first="        "))
    if unsure := unsure_offline(runner.grades):
        ask = (f"`mockmle sessions regrade {runner.session_id}` asks the configured model for a second opinion"
               if runner.services.settings.llm.configured else "a configured model can give a second opinion")
        print(wrap(f"({unsure_summary(unsure)}; {ask}.)"))
    print(report_text(report))
    print(f"\nSaved as session {runner.session_id}. See it again with: mockmle sessions show {runner.session_id}")
    return 0


def _answers(args: argparse.Namespace, time_limit: int | None) -> ScriptedAnswers | TerminalAnswers:
    if args.answers_file:
        return ScriptedAnswers(split_answers(read_text_file(args.answers_file, "answers file")))
    if not sys.stdin.isatty() and args.json:
        raise UsageError("--json needs --answers-file (there is no one to type the answers)")
    print(wrap(TerminalAnswers.HELP))
    return TerminalAnswers(time_limit)


def _stages(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [s.strip() for value in values for s in value.split(",") if s.strip()]


def play_new(services: Services, args: argparse.Namespace) -> int:
    ids = [q.strip() for q in args.question_ids.split(",") if q.strip()] if args.question_ids else None
    plan = build_plan(services.bank, stages=_stages(args.stage), count=args.questions, seed=args.seed,
                      question_ids=ids, time_per_question=args.time_per_question, max_follow_ups=args.follow_ups)
    return play_plan(services, plan, args)


def play_plan(services: Services, plan: Plan, args: argparse.Namespace) -> int:
    answers = _answers(args, plan.time_per_question)
    runner = InterviewRunner.create(services, plan)
    notes = ModelNotes(runner, args.json)
    drive(runner, answers, quiet=args.json, notes=notes)
    return _finish(runner, args.json, notes)


def play_resume(services: Services, args: argparse.Namespace) -> int:
    if (record := services.store.get(args.id)).status == "finished":  # a finished one killed before its scorecard is not
        raise UsageError(f"session {record.id} is already finished (see `mockmle sessions show {record.id}`)")
    runner = InterviewRunner.resume(services, record.id, judge=getattr(args, "judge", None))
    notes = ModelNotes(runner, args.json)
    for position in runner.grade_pending():
        if (grade := runner.grades[position]).provenance.fallback:
            notes.note(f"question {position + 1} was graded offline: {grade.provenance.fallback_reason}")
    if runner.finished:  # every question was answered; the run that played it stopped before its scorecard
        if not args.json:
            print(f"Session {runner.session_id}: every question was answered; its grades and scorecard are now complete.")
        return _finish(runner, args.json, notes)
    answers = _answers(args, runner.state.plan.time_per_question)
    if not args.json:
        done = sum(1 for t in runner.state.turns if t.status != "open")
        print(f"Resuming session {runner.session_id}: {done} of {len(runner.state.plan.question_ids)} questions done.")
    drive(runner, answers, quiet=args.json, notes=notes)
    return _finish(runner, args.json, notes)
