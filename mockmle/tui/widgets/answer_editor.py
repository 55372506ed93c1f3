"""The multi-line answer box: soft-wrapped, with a word count."""

from __future__ import annotations

from textual.widgets import TextArea


class AnswerEditor(TextArea):
    def __init__(self, **kwargs):
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                         placeholder="Type your answer, or ctrl+o to say it. Enter: new line; ctrl+s: send.", **kwargs)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def replace_all(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)
