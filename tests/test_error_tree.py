"""One error tree: every exception mockmle defines derives from MockmleError and carries a one-line `.line`,
but for the few that are control flow inside one module, listed here with why each stays out."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import mockmle
from mockmle.errors import MockmleError, ModelError, StorageError, UsageError, VoiceError

PACKAGE = Path(mockmle.__file__).parent

# Raised and caught inside one module (or its one caller) and turned into a MockmleError there; never shown.
CONTROL_FLOW = {
    "mockmle.llm.stream_reader.DeadlinePassed": "the client turns it into LLMError('timeout') with the deadline",
    "mockmle.llm.stream_reader.ReplyTooLong": "the client turns it into LLMError('too_large')",
    "mockmle.llm.stream_reader.NoReply": "the client turns it into an unreadable-reply LLMError",
    "mockmle.semantic.meaning._Stopped": "stops a background prepare when its stop event is set; caught there",
}


def _exception_classes() -> dict[str, type[BaseException]]:
    found = {}
    for module_info in pkgutil.walk_packages(mockmle.__path__, "mockmle."):
        if module_info.name.endswith("__main__"):  # running it would start the command line
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, BaseException)
                    and value.__module__ == module_info.name):
                found[f"{module_info.name}.{name}"] = value
    return found


CLASSES = _exception_classes()


def test_the_walk_finds_the_errors_and_the_control_flow_exceptions():
    assert {"mockmle.llm.faults.LLMError", "mockmle.audio.transcribe.TranscriptionError",
            "mockmle.llm.structured.InvalidReply", "mockmle.store.migrations.NewerDatabase"} <= set(CLASSES)
    assert set(CONTROL_FLOW) <= set(CLASSES), "a listed control-flow exception was renamed or removed"


@pytest.mark.parametrize("name", sorted(set(CLASSES) - set(CONTROL_FLOW)))
def test_every_error_a_user_can_see_is_in_the_tree_with_a_one_line_message(name):
    cls = CLASSES[name]
    assert issubclass(cls, MockmleError), f"{name} is outside the tree: derive it from a mockmle.errors class"
    assert cls.exit_code in (1, 2)
    assert isinstance(inspect.getattr_static(cls, "line"), property), f"{name} shadows .line"
    error = cls.__new__(cls, "first part,\n  second part")  # the message, whatever the constructor's signature
    assert error.line == "first part, second part"


@pytest.mark.parametrize("name", sorted(CONTROL_FLOW))
def test_control_flow_exceptions_stay_outside_the_tree(name):
    assert not issubclass(CLASSES[name], MockmleError)


def test_no_caller_probes_for_a_line_attribute():
    """`except MockmleError as exc: exc.line` replaced `getattr(exc, "line", None) or ...` (six of them, in the TUI)."""
    probes = [f"{path.relative_to(PACKAGE.parent)}:{number}"
              for path in PACKAGE.rglob("*.py")
              for number, text in enumerate(path.read_text().splitlines(), 1)
              if re.search(r"getattr\([^)]*[\"']line[\"']", text)]
    assert probes == []


def test_the_groups_a_caller_can_catch():
    from mockmle.audio import VoiceUnavailable
    from mockmle.audio.transcribe import TranscriptionError, UnreadableAudio
    from mockmle.audio.wav import BadAudio
    from mockmle.core.bank import BankError
    from mockmle.evaluation.datasets import DatasetError, DatasetMissing
    from mockmle.llm.faults import LLMError
    from mockmle.llm.structured import InvalidReply
    from mockmle.store.faults import StorageError as StoreFaultsStorageError
    from mockmle.store.migrations import NewerDatabase
    from mockmle.store.sessions import DamagedSession

    assert StoreFaultsStorageError is StorageError
    groups = {ModelError: (LLMError, InvalidReply), VoiceError: (VoiceUnavailable, TranscriptionError, UnreadableAudio),
              StorageError: (NewerDatabase, DamagedSession), UsageError: (BankError, BadAudio, DatasetError, DatasetMissing)}
    for group, members in groups.items():
        for member in members:
            assert issubclass(member, group), (member, group)
    assert UnreadableAudio.exit_code == 2 and TranscriptionError.exit_code == 1 and LLMError.exit_code == 1


def test_constructed_errors_keep_their_own_fields_and_one_line():
    from mockmle.core.bank import BankError
    from mockmle.llm.faults import LLMError
    from mockmle.store.sessions import DamagedSession

    bank = BankError("p.toml", "bad\nthing", 7, "questions[0].id")
    assert (bank.line_number, bank.line) == (7, "p.toml:7: questions[0].id: bad thing")

    damaged = DamagedSession("abc", ValueError("first line\nsecond"))
    assert damaged.line.startswith("session abc is damaged and cannot be read (first line)") and "\n" not in damaged.line

    call = LLMError("auth", "refused the key sk-secret\n(HTTP 401)", status=401)
    assert (call.kind, call.status, call.line) == ("auth", 401, "refused the key sk-secret (HTTP 401)")
    call.line = "refused the key ***"  # the client redacts a credential after classifying
    assert str(call) == call.line == "refused the key ***"
