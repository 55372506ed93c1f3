"""The conversation so far: interviewer turns, the candidate's answers, hints and notes."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from mockmle.core.safe_text import visible

SPEAKERS = {"interviewer": "Interviewer", "follow_up": "Interviewer", "candidate": "You", "note": ""}


class Transcript(VerticalScroll):
    can_focus = False

    def on_mount(self) -> None:
        self.anchor()  # the latest question stays in view when the answer box grows under it

    def say(self, kind: str, text: str, title: str = "") -> Static:
        """Append one entry; `kind` is interviewer, follow_up, candidate, hint or note."""
        return self.add(Static(entry_text(kind, text, title), classes=f"entry -{kind}"))

    def add(self, entry: Static) -> Static:
        """Append an entry made elsewhere, e.g. a follow-up that the model is still wording."""
        self.mount(entry)
        self.call_after_refresh(self.scroll_end, animate=False)
        return entry

    def rewrite(self, entry: Static, kind: str, text: str, title: str = "") -> None:
        """Replace an entry's text, e.g. while a follow-up streams in."""
        entry.update(entry_text(kind, text, title))
        self.call_after_refresh(self.scroll_end, animate=False)


def entry_text(kind: str, text: str, title: str = "") -> Text:
    body = Text()
    speaker = title or SPEAKERS.get(kind, "")
    if speaker:
        body.append(speaker + "\n", style="bold")
    body.append(visible(text))  # stored and model text is drawn as text, never as escape sequences
    return body
