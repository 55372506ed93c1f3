"""Every error a user can see, in one tree: callers catch the branch they can handle, or `MockmleError`.

Each carries the one line a user sees (`line`: safe to show, no key, no traceback, says what to do when
something can be done) and the exit code the command line returns with it (`exit_code`). The groups live
here; each leaf lives beside the code that raises it:

    MockmleError                      a problem shown as one line; exit 1
    ├── UsageError                    bad input: a malformed file, an unknown id, a bad argument; exit 2
    │   ├── BankError                 core.bank: a question pack or scorecard that does not validate
    │   ├── BadAudio                  audio.wav: a file that is not a 16-bit PCM WAV
    │   ├── DatasetError              evaluation.datasets: an outside dataset in the wrong format
    │   └── DatasetMissing            evaluation.datasets: one not on this machine (calibration skips it)
    ├── StorageError                  the data home cannot be opened, read or written (store.faults says why)
    │   ├── NewerDatabase             store.migrations: written by a newer mockmle; nothing is changed
    │   └── DamagedSession            store.sessions: one session's rows no longer parse
    ├── ModelError                    the model server (any OpenAI-compatible endpoint)
    │   ├── LLMError                  llm.faults: a call failed for good; `kind` says how (timeout, auth, ...)
    │   └── InvalidReply              llm.structured: a reply that is not one JSON object of the right shape
    ├── VoiceError                    recording, transcribing, reading aloud
    │   ├── VoiceUnavailable          audio: no PortAudio, no microphone, no speech synthesiser
    │   └── TranscriptionError        audio.transcribe: no Whisper model, the API failed
    │       └── UnreadableAudio       ... the recording itself is the problem; exit 2
    ├── MeaningUnavailable            core.grading.meaning: the embedding model cannot be used; the judge uses words
    │   └── SemanticUnavailable       semantic
    └── NothingToDrill                app.drills: no graded history yet, or nothing due and nothing weak

A few exceptions are not errors a user sees but control flow inside one module (a stream's deadline, a
stopped background job); tests/test_error_tree.py lists them with why each stays outside the tree.
"""

from __future__ import annotations


class MockmleError(Exception):
    """A problem the user can fix or understand from one line; shown without a traceback."""

    exit_code = 1

    @property
    def line(self) -> str:
        """The message on one line (runs of whitespace, newlines included, become one space)."""
        return " ".join(str(self).split()) or type(self).__name__


class UsageError(MockmleError):
    """Bad input: a malformed file, an unknown id, a missing argument."""

    exit_code = 2


class StorageError(MockmleError):
    """The database or a file in the data home cannot be used: a failed write (full disk, a lock held too long, a
    read-only file), a database that cannot be opened, or rows that no longer parse. What was saved before is
    intact."""

    @classmethod
    def describing(cls, exc: BaseException) -> StorageError:
        """The error for a failure SQLite or the file system reported (`sqlite3.Error`, `OSError`)."""
        return cls(storage_line(exc))


def storage_line(exc: BaseException) -> str:
    """What a failed database or file write means to the candidate, in one line."""
    text = str(exc).strip() or type(exc).__name__
    lowered = text.lower()
    if "full" in lowered or getattr(exc, "errno", None) == 28:
        return "the disk is full: free some space, then carry on (everything saved before this is kept)"
    if "locked" in lowered or "busy" in lowered:
        return ("the database is busy: another mockmle kept it locked for too long; try again "
                "(everything saved before this is kept)")
    if "readonly" in lowered or "read-only" in lowered or "permission" in lowered:
        return "the database cannot be written (read-only file or folder); nothing more can be saved"
    return f"the database could not be written: {text}"


class ModelError(MockmleError):
    """The model server failed or sent a reply that cannot be used; callers fall back to the offline judge or
    the bank's wording."""


class VoiceError(MockmleError):
    """Voice cannot be used for this answer or at all; typing always works."""
