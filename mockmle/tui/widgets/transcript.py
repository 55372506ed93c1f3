"""The conversation so far: interviewer turns, the candidate's answers, hints and notes."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

SPEAKERS = {"interviewer": "Interviewer", "follow_up": "Interviewer", "candidate": "You", "note": ""}


class Transcript(VerticalScroll):
    can_focus = False

    def say(self, kind: str, text: str, title: str = "") -> Static:
        """Append one entry; `kind` is interviewer, follow_up, candidate, hint or note."""
        body = Text()
        speaker = title or SPEAKERS.get(kind, "")
        if speaker:
            body.append(speaker + "\n", style="bold")
        body.append(text)
        entry = Static(body, classes=f"entry -{kind}")
        self.mount(entry)
        self.call_after_refresh(self.scroll_end, animate=False)
        return entry
