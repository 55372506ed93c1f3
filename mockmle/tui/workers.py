"""Slow steps that run off the event loop. The app turns their outcome into a notification."""

from __future__ import annotations

from functools import partial

from textual.dom import DOMNode

from mockmle.export import write_export
from mockmle.store.sessions import SessionRecord

EXPORT_GROUP = "export"


def export_in_background(node: DOMNode, record: SessionRecord, fmt: str) -> None:
    """Render and write the export in a thread; `MockmleApp.on_worker_state_changed` reports the result."""
    directory = node.app.services.settings.transcripts_dir  # type: ignore[attr-defined]
    node.notify(f"Exporting session {record.id} as {fmt}…", timeout=2)
    node.run_worker(partial(write_export, record, directory, fmt), thread=True, group=EXPORT_GROUP,
                    exit_on_error=False, name=f"export {record.id}")
