"""Slow steps that run off the event loop. The app turns their outcome into a notification."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.markup import escape
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


def cards_in_background(screen: BaseScreen, fmt: str = "apkg") -> None:
    """Collect the cards for Anki here (the store lives on this thread) and write the deck in a thread, reported as
    an export is: the worker's result reads "PATH (N cards)"."""
    from mockmle.app.cards import NOTHING_YET, card_target, collect_cards, write_cards_file
    from mockmle.errors import MockmleError

    try:
        cards = collect_cards(screen.services)
        if not cards:
            screen.notify(NOTHING_YET, timeout=8)
            return
        target = card_target(screen.services, fmt)
    except (MockmleError, OSError) as exc:  # a damaged session asked for, a data home that cannot take a folder
        line = exc.line if isinstance(exc, MockmleError) else exc.strerror or str(exc)
        screen.notify(f"Could not make cards: {escape(line)}", severity="error", timeout=12)
        return
    screen.notify(f"Writing {len(cards)} card{'' if len(cards) == 1 else 's'} for Anki…", timeout=2)
    screen.app.run_worker(partial(write_cards_file, cards, fmt, target), thread=True, group=EXPORT_GROUP,
                          exit_on_error=False, name="cards")


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
