"""The unsure grades on Results, and a second opinion on them from the configured model.

Under the answers list, one line says which grades are unsure. With a model configured, g asks it to
re-grade those answers one by one in a worker; each new grade is saved as it comes, then the report
is rebuilt and the screen composed again from the stored session.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import work
from textual.reactive import reactive
from textual.widgets import Static

from mockmle.app.second_opinion import (
    Outcome,
    SecondOpinion,
    model_label,
    outcome_summary,
    unsure,
    unsure_offline,
    unsure_summary,
)
from mockmle.tui.screens.base import BaseScreen

if TYPE_CHECKING:
    from mockmle.store.sessions import SessionRecord

T = TypeVar("T")


async def in_daemon_thread(call: Callable[[], T], name: str) -> T:
    """Await a blocking model call run in a daemon thread, so quitting never waits for it (the same reason
    as `workers.run_model_call`, for a call whose result the worker needs)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not done.done():
            outcome()

    def target() -> None:
        try:
            result = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting worker
            outcome = partial(done.set_exception, exc)
        else:
            outcome = partial(done.set_result, result)
        try:
            loop.call_soon_threadsafe(settle, outcome)
        except RuntimeError:  # the app has closed its loop: nobody is waiting any more
            pass

    threading.Thread(target=target, name=name, daemon=True).start()
    return await done


class SecondOpinionScreen(BaseScreen):
    """The part of ResultsScreen that deals with unsure grades. ResultsScreen sets `record`, composes the
    `#results-unsure` line and says what to do once composed again (`after_recompose`)."""

    consulting: reactive[bool] = reactive(False, init=False)
    record: SessionRecord

    def after_recompose(self) -> None:
        """Called after the screen is composed again from the stored session."""

    def unsure_text(self, done: int = 0) -> Text | None:
        """The line under the answers list; None when no grade is unsure, as with every grade stored
        before grades carried a confidence."""
        grades = self.record.grades
        positions = unsure(grades)
        if not positions:
            return None
        whose = "its card says" if len(positions) == 1 else "each card says"
        text = Text(f"{unsure_summary(positions)}; {whose} why.")
        offline = unsure_offline(grades)
        if not offline:
            return text
        if not self.services.settings.llm.configured:
            return text.append(" A configured model can give a second opinion.", style="dim")
        model = model_label(self.services)
        if self.consulting:
            return text.append(f" Asking {model} for a second opinion\u2026 ({done} of {len(offline)} done)", style="dim")
        return text.append(f" Press g for a second opinion from {model}.", style="dim")

    def can_ask_second_opinion(self) -> bool | None:
        """For check_action: hidden when there is nothing to ask or no model, greyed out while asking."""
        if not (self.services.settings.llm.configured and unsure_offline(self.record.grades)):
            return False
        return None if self.consulting else True

    def watch_consulting(self) -> None:
        self.refresh_bindings()
        self._show_unsure()

    def _show_unsure(self, done: int = 0) -> None:
        for line in self.query("#results-unsure").results(Static):
            line.update(self.unsure_text(done) or "")

    def action_second_opinion(self) -> None:
        if self.can_ask_second_opinion() is not True:
            return
        try:
            opinion = SecondOpinion(self.services, self.record.id)
        except Exception as exc:  # noqa: BLE001 - a locked database or a broken model setup: say so, stay
            self.notify(f"Could not ask for a second opinion: {exc}", severity="error", markup=False)
            return
        self.consulting = True
        self._consult(opinion)

    @work(exclusive=True, exit_on_error=False, group="second-opinion", name="second opinion")
    async def _consult(self, opinion: SecondOpinion) -> None:
        outcomes: list[Outcome] = []
        model = model_label(self.services)
        try:
            for position in opinion.positions:
                outcome = await in_daemon_thread(partial(opinion.ask, position), name=f"second opinion Q{position + 1}")
                try:
                    opinion.keep(outcome)
                except Exception as exc:  # noqa: BLE001 - the offline grade is still saved
                    outcome = Outcome(position, outcome.before, None, f"could not save it: {exc}")
                outcomes.append(outcome)
                self._show_unsure(len(outcomes))
            opinion.finish(outcomes)
        except Exception as exc:  # noqa: BLE001 - whatever was saved stays saved
            self.notify(f"The second opinion stopped: {exc}", severity="error", markup=False)
        finally:
            self.consulting = False
        self.record = self.services.store.get(opinion.session_id)
        await self.recompose()
        self.after_recompose()
        if outcomes:
            self.notify(outcome_summary(outcomes, model), title="Second opinion", timeout=12, markup=False)
