"""`mockmle report`: the history, or one session, as Markdown or a standalone HTML page.

The page needs no network to view: CSS is inline, charts are inline SVG, and there is no script. A
report holds the candidate's answers, grades and progress, never a key or a setting.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mockmle.app.progress_view import build_progress
from mockmle.core.clock import utc_now
from mockmle.errors import MockmleError, UsageError
from mockmle.files import private_dir, write_private
from mockmle.reporting.privacy import hide_settings, without_addresses

FORMATS = ("md", "html")
TO_STDOUT = "-"

if TYPE_CHECKING:
    from mockmle.app.services import Services


@dataclass(frozen=True)
class Rendered:
    content: str
    file_name: str


def write_report(services: Services, fmt: str = "html", session_id: str | None = None,
                 output: str | None = None) -> Path | None:
    """Write the report and return where it went; None when it went to standard output ('-')."""
    rendered = render_report(services, fmt, session_id)
    if output == TO_STDOUT:
        sys.stdout.write(rendered.content)
        sys.stdout.flush()
        return None
    if output:
        target = Path(output).expanduser()
        if target.is_dir() or output.endswith(("/", os.sep)):  # a folder: the report goes inside, under its own name
            target = private_dir(target) / rendered.file_name
    else:
        target = private_dir(services.settings.reports_dir) / rendered.file_name
    try:
        write_private(target, rendered.content)
    except OSError as exc:
        raise MockmleError(f"cannot write the report to {target}: {exc.strerror or exc}") from None
    return target


def render_report(services: Services, fmt: str, session_id: str | None = None, now: str | None = None) -> Rendered:
    if fmt not in FORMATS:
        raise UsageError(f"unknown report format {fmt!r}: use md or html")
    now = now or utc_now()
    if session_id is not None:
        rendered = _session_report(services, fmt, session_id, now)
    else:
        rendered = _history_report(services, fmt, now)
    return Rendered(hide_settings(rendered.content, services.settings.llm), rendered.file_name)


def _history_report(services: Services, fmt: str, now: str) -> Rendered:
    progress = build_progress(services.store.progress, services.bank, now=now)
    sessions = services.store.list()
    if fmt == "md":
        from mockmle.reporting.markdown import history_markdown

        content = history_markdown(progress, sessions)
    else:
        from mockmle.reporting.html_history import history_html

        content = history_html(progress, sessions)
    return Rendered(content, f"mockmle-history-{now[:10]}.{fmt}")


def _session_report(services: Services, fmt: str, session_id: str, now: str) -> Rendered:
    record = without_addresses(services.store.get(session_id))  # UsageError for an unknown or ambiguous id
    if fmt == "md":
        from mockmle.reporting.markdown import session_report_markdown

        content = session_report_markdown(record, now)
    else:
        from mockmle.reporting.html_session import session_html

        content = session_html(record, now)
    return Rendered(content, f"mockmle-session-{record.id}.{fmt}")

