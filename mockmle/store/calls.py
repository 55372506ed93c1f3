"""The log of model calls: one row per call, with tokens, latency and the prompt version."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import sqlite_utils

from mockmle.core.clock import utc_now


class CallLog:
    def __init__(self, db: sqlite_utils.Database, clock=utc_now):
        self.db = db
        self._now = clock

    def record(self, call: Any) -> None:
        """Store a `mockmle.llm.client.CallRecord` (taken as any dataclass with its fields)."""
        row = asdict(call)
        row["latency_ms"] = round(row.pop("latency") * 1000, 2)
        row["ok"] = int(row["ok"])
        row["streamed"] = int(row["streamed"])
        row["created_at"] = self._now()
        self.db.table("llm_calls").insert(row)

    def for_session(self, session_id: str) -> list[dict]:
        return list(self.db.table("llm_calls").rows_where("session_id = ?", [session_id], order_by="id"))

    def totals(self, session_id: str | None = None) -> dict[str, int]:
        where, params = ("where session_id = ?", [session_id]) if session_id else ("", [])
        row = self.db.execute(
            f"select count(*), coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0), "
            f"coalesce(sum(1 - ok), 0) from llm_calls {where}", params).fetchone()
        return {"calls": row[0], "prompt_tokens": row[1], "completion_tokens": row[2], "failed": row[3]}

    def by_model(self, session_id: str) -> list[tuple[str, int, int]]:
        """(model, prompt tokens, completion tokens) for one session, for the cost estimate."""
        rows = self.db.execute(
            "select model, sum(prompt_tokens), sum(completion_tokens) from llm_calls where session_id = ? "
            "group by model order by model", [session_id]).fetchall()
        return [(m, p or 0, c or 0) for m, p, c in rows]
