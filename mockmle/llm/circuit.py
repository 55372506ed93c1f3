"""Stop calling a model server that has just failed several times in a row.

Every failure already has a fallback (the offline judge, the bank's follow-up), but a hung
server makes each call wait its whole deadline first: an interview of five calls took minutes.
After `threshold` attempts in a row that failed for the server's sake (no answer in time, no
connection, a 5xx, an unreadable or oversized reply), the circuit opens: every later call fails
at once with one line saying so, for the rest of the session (`reset` closes it, e.g. when the
app starts a new interview). A rejected request (4xx) or a refusal says the server is alive and
does not count; any call that gets an answer closes the count.
"""

from __future__ import annotations

import threading

from mockmle.llm.faults import LLMError

FAILURES_IN_A_ROW = 3
SERVER_FAULTS = frozenset({"timeout", "connection", "server", "rate_limit", "unreadable", "too_large"})
NEUTRAL = frozenset({"cancelled", "circuit_open"})  # say nothing about the server


class CircuitBreaker:
    def __init__(self, endpoint: str, threshold: int = FAILURES_IN_A_ROW):
        self.endpoint = endpoint
        self.threshold = threshold
        self._failures = 0
        self._open = False
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def line(self) -> str:
        return (f"the model at {self.endpoint} failed {self.threshold} times in a row, so it is not called again "
                "this session; going on offline")

    def check(self) -> None:
        if self._open:
            raise LLMError("circuit_open", self.line)

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0

    def failed(self, error: LLMError) -> bool:
        """Count a failed attempt; True when this one opened the circuit."""
        with self._lock:
            if error.kind in NEUTRAL:
                return False
            if error.kind not in SERVER_FAULTS:
                self._failures = 0
                return False
            self._failures += 1
            if self._open or self._failures < self.threshold:
                return False
            self._open = True
            return True

    def reset(self) -> None:
        with self._lock:
            self._failures = 0
            self._open = False
