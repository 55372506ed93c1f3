"""What a report leaves out: keys and settings.

Nothing in the database holds the API key (it is redacted before anything is stored), but a grade
that fell back to the offline judge keeps the one-line reason, which names the model server's
address. That address is a setting, so reports hide every address in the judge's own words. The
current key and base URL are also blanked from the finished text, in case they turn up anywhere.
"""

from __future__ import annotations

import dataclasses
import re
from html import escape

from mockmle.core.grading.models import Grade
from mockmle.settings import LLMConfig
from mockmle.store.sessions import SessionRecord

ADDRESS = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s\"'<>]+", re.IGNORECASE)
HIDDEN_ADDRESS = "[address hidden]"
HIDDEN_SETTING = "[hidden]"


def hide_addresses(text: str) -> str:
    return ADDRESS.sub(HIDDEN_ADDRESS, text)


def without_addresses(record: SessionRecord) -> SessionRecord:
    """A copy of the session whose grades, the later takes' too, name no server address."""
    attempts = {position: [dataclasses.replace(take, grade=_grade_without_addresses(take.grade)) for take in takes]
                for position, takes in record.attempts.items()}
    return dataclasses.replace(record, grades={position: _grade_without_addresses(grade)
                                               for position, grade in record.grades.items()}, attempts=attempts)


def _grade_without_addresses(grade: Grade) -> Grade:
    provenance = grade.provenance
    reasons = {name: hide_addresses(text) for name in ("fallback_reason", "meaning_unavailable")
               if (text := getattr(provenance, name))}
    return grade.model_copy(update={
        "provenance": provenance.model_copy(update=reasons),
        "explanation": [hide_addresses(line) for line in grade.explanation],
        "conflicts": [hide_addresses(line) for line in grade.conflicts],
    })


def hide_settings(text: str, llm: LLMConfig) -> str:
    """Blank the configured key, base URL and the credentials inside it wherever they appear, as written or
    HTML-escaped."""
    for secret in (llm.api_key, llm.base_url, *llm.secrets):
        if secret and len(secret) >= 4:
            text = text.replace(secret, HIDDEN_SETTING).replace(escape(secret), HIDDEN_SETTING)
    return text
