"""Save SVG screenshots of the interview and results screens for the README.

    .venv/bin/python tools/screenshots.py [OUT_DIR]   (default: docs/)

Plays a short technical interview offline in a temporary data home, through the real app.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from mockmle.app.services import Services
from mockmle.core.interview import build_plan
from mockmle.settings import Settings
from mockmle.tui.app import build_app
from mockmle.tui.screens.interview import InterviewScreen
from mockmle.tui.widgets.answer_editor import AnswerEditor

ANSWERS = [
    "Bagging trains many trees in parallel on bootstrap samples and averages them, which mainly reduces variance. "
    "Boosting trains shallow trees one after another, each fitting the errors of the ensemble so far, "
    "which mainly reduces bias. Random forest is bagging; XGBoost is boosting.",
    "Boosting needs weak learners it can correct step by step, and deep trees would overfit the residuals.",
]
DRAFT = "I would start by asking how the predictions are used: batch scoring overnight or"


async def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as home:
        services = Services(Settings(home=Path(home)))
        app = build_app(services, clock=lambda: 0.0)
        async with app.run_test(size=(100, 32)) as pilot:
            plan = build_plan(services.bank, question_ids=["technical.bagging-vs-boosting", "technical.deployment"],
                              time_per_question=180)
            app.push_screen(InterviewScreen.new(services, plan))
            await pilot.pause()
            for answer in ANSWERS:
                app.screen.query_one(AnswerEditor).insert(answer)
                await pilot.press("ctrl+s")
                await pilot.pause()
            app.screen.query_one(AnswerEditor).insert(DRAFT)
            await pilot.pause()
            app.save_screenshot("interview.svg", path=str(out))
            await pilot.press("ctrl+g", "y")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            app.save_screenshot("results.svg", path=str(out))
            app.screen.query_one("#results").scroll_to_widget(app.screen.query(".answer-card").first(), top=True, animate=False)
            await pilot.pause(0.3)
            app.save_screenshot("results-answer.svg", path=str(out))
    print(f"wrote interview.svg, results.svg and results-answer.svg in {out}")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
