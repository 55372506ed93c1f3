"""Slow steps that run off the event loop. The app turns their outcome into a notification."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.dom import DOMNode

if TYPE_CHECKING:
    from textual.worker import Worker

    from mockmle.store.sessions import SessionRecord
    from mockmle.tui.screens.base import BaseScreen

EXPORT_GROUP = "export"


def export_in_background(screen: BaseScreen, record: SessionRecord, fmt: str) -> None:
    """Render and write the export in a thread; `MockmleApp.on_worker_state_changed` reports the result.

    The worker belongs to the app, not the screen: a worker's StateChanged goes to the node that runs
    it and does not bubble, and leaving the screen must not cancel the export.
    """
    from mockmle.app.export import write_export

    directory = screen.services.settings.transcripts_dir
    screen.notify(f"Exporting session {record.id} as {fmt}…", timeout=2)
    screen.app.run_worker(partial(write_export, record, directory, fmt), thread=True, group=EXPORT_GROUP,
                          exit_on_error=False, name=f"export {record.id}")


def run_model_call(node: DOMNode, call: Callable[[], None], group: str, name: str) -> Worker[None]:
    """Run a blocking model call (which posts its own messages) without holding up quitting.

    Textual's thread workers run in asyncio's default executor, which the app waits for on exit:
    quitting right after an answer would hang until the judge's HTTP call ended (30 s or more).
    Here the call runs in a daemon thread and an async worker awaits it, so quitting cancels the
    wait and leaves the thread behind. Everything it would record is already saved or is redone
    on resume; the thread itself never touches the database.
    """

    async def wait() -> None:
        loop = asyncio.get_running_loop()
        done = loop.create_future()

        def finish(error: BaseException | None) -> None:
            if not done.done():
                done.set_exception(error) if error is not None else done.set_result(None)

        def target() -> None:
            error = None
            try:
                call()
            except BaseException as exc:  # noqa: BLE001 - handed to the worker, which reports it
                error = exc
            try:
                loop.call_soon_threadsafe(finish, error)
            except RuntimeError:  # the app has closed its loop: nobody is waiting any more
                pass

        threading.Thread(target=target, name=name, daemon=True).start()
        await done

    return node.run_worker(wait, group=group, exit_on_error=False, name=name)
