"""Text from answers and models made safe to show: no control characters reach a terminal or a file.

An answer (or a model's reply) can hold escape sequences that retitle the terminal, move the
cursor or hide text, and bidirectional overrides that make text read differently than it is.
`printable` spells each such character out as `\\uXXXX`, the form JSON uses too, so a JSON
string stays valid and means the same, and keeps newlines and tabs.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (U+009B is a CSI on its own), the bidirectional
# embeddings, overrides and isolates, and lone surrogates (which cannot be written as UTF-8 at all).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


# For stored text, the same minus the bidirectional controls (legitimate in right-to-left writing) and CR.
_TYPED_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _spelled(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str) -> str:
    """`text` with every control character but newline and tab written out as \\uXXXX (CRLF becomes a newline)."""
    return _UNSAFE.sub(_spelled, text.replace("\r\n", "\n"))


def visible(text: str) -> str:
    """`text` with each control character but newline and tab replaced by U+FFFD, one for one, so positions
    found in the original (evidence spans) still fit. For the full-screen app, which draws text itself."""
    return _UNSAFE.sub(lambda match: " " if match.group() == "\r" else "\ufffd", text)


def typed(text: str) -> str:
    """What a candidate or a model meant: CRLF as a newline, no escape sequence or other control character
    (kept out of everything stored), no lone surrogate (which cannot be stored as UTF-8)."""
    return _TYPED_UNSAFE.sub("", text.replace("\r\n", "\n")).replace("\r", "\n")


def one_line(text: str) -> str:
    """`printable` text on one line: runs of whitespace, newlines included, become one space."""
    return " ".join(printable(text).split())


# Markdown: what a renderer would act on in text written by a candidate or a model. HTML (a live
# `<img onerror>`) goes as entities (an & is left alone: an entity in an answer only ever shows a
# character); emphasis, code spans and table pipes lose their meaning
# through a backslash, which CommonMark renderers show as the bare character; a `]` that could close a
# link, an image or a link definition is escaped, and so is a line start that would open a heading, a
# list or a rule, so a quote cannot add structure to the page.
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;"}
_MD_PUNCTUATION = re.compile(r"[\\`*_~|]|\](?=[(\[:])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=#]|\d+(?=[.)](?:\s|$)))")


def _markdown_escaped(text: str) -> str:
    text = "".join(_MD_ENTITIES.get(char, char) for char in text)
    text = _MD_PUNCTUATION.sub(lambda match: "\\" + match.group(), text)
    return _MD_LINE_START.sub(_escape_line_start, text)


def markdown_inline(text: object) -> str:
    """Text shown as itself inside one line of Markdown (a list item, a quote, a table cell, a heading)."""
    return _markdown_escaped(one_line(str(text)))


def markdown_lines(text: str) -> list[str]:
    """Multi-line text (an answer) as Markdown lines that render as the text itself, no line starting a block."""
    return [_markdown_escaped(line) for line in printable(text).splitlines()]


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    return f"{indent}{marker}\\" if marker[0].isdigit() else f"{indent}\\{marker}"
