"""The multi-line answer box: soft-wrapped, with a word count."""

from __future__ import annotations

from textual.widgets import TextArea


class AnswerEditor(TextArea):
    def __init__(self, **kwargs):
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                         placeholder="Type your answer, or ctrl+o to say it. Enter: new line; ctrl+s: send.", **kwargs)
        self.last_transcript: str | None = None  # the text the last take put here, replaced by a retake

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def replace_all(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)

    def put_transcript(self, text: str) -> None:
        """A take's transcript: after what the candidate typed, or in place of the last take's text."""
        current = self.text.strip()
        if current and current != (self.last_transcript or ""):
            text = f"{current} {text}"
        self.replace_all(text)
        self.last_transcript = text
        self.focus()
