"""The line above the interview's transcript: the stages, which question is open, hints used, and who grades."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from mockmle.core.interview import InterviewState


def judge_label(grader_name: str) -> str:
    """How the bar names the judge, from the grader's configured name (the server is never asked)."""
    if grader_name == "offline":
        return "offline"
    return f"model ({grader_name.removeprefix('llm:')})" if grader_name.startswith("llm:") else "model"


class InterviewBar(Static):
    def show(self, state: InterviewState, stage_titles: list[str], finished: bool, judge: str) -> None:
        turn = state.current
        total = len(state.plan.question_ids)
        where = f"Question {turn.position + 1} of {total}" if turn else ("Finished" if finished else "")
        hints = f" · hints used {len(turn.hints)}" if turn and turn.hints else ""
        stages = ", ".join(stage_titles)
        if state.plan.kind == "drill":
            stages = f"Drill · {stages}"
        self.update(Text.assemble((stages, "bold"), f" · {where}{hints} · judge: {judge}"))
