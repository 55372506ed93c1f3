"""The grader vocabulary (grader_words.toml): each idea's entries, read and folded once per process, or brought
along with the bank by the bank cache (core/bank_cache.py), since reading and folding them was ~4 ms of every grade.
injection.py matches them."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from importlib.resources import files

# Latin accents and Arabic vowel marks (and the tatweel), dropped so "máxima" matches "maxima"; other scripts keep
# their marks, which carry meaning there.
_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670\u0640]")
_LETTER_FORMS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "\u2019": "'", "\u02bc": "'", "\u2018": "'"})

CONCEPTS = ("grader", "address", "address_after", "award", "score", "top", "top_grade", "deserve", "override",
            "instructions", "prior", "rubric", "target", "please")
# A sentence with none of these cannot match any rule but the change of script.
GATE = ("grader", "override", "award", "deserve", "please")


def fold(text: str) -> str:
    """Casefolded, Latin accents and Arabic vowel marks dropped, Arabic letter forms and apostrophes unified."""
    text = text.casefold()
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFD", text))).translate(_LETTER_FORMS)


WORD, STEM, ANYWHERE = r"(?!\w)", r"\w*", ""  # how an entry ends: a whole word, a word beginning, anywhere


def _entry(entry: str) -> tuple[str, str]:
    """(folded text, how it ends) for one vocabulary entry, or (regular expression, "~") (see grader_words.toml)."""
    if entry.startswith("~"):
        return entry[1:], "~"
    body = fold(unicodedata.normalize("NFKC", entry.rstrip("*"))).strip()
    if _in_words(body[0]):
        return body, STEM if entry.endswith("*") else WORD
    return body, ANYWHERE


def _in_words(char: str) -> bool:
    """Latin, Greek and Cyrillic entries must match whole words (or word beginnings). The other scripts of the
    vocabulary are written without spaces (Chinese, Japanese) or attach particles to the word (Korean "채점자에게",
    Arabic "للمصحح"): their entries match anywhere."""
    return char.isascii() or "\u00c0" <= char <= "\u052f"


Entries = dict[str, tuple[tuple[str, str], ...]]
_entries: Entries | None = None


def entries() -> Entries:
    """Each idea's entries as `_entry` reads them; "gate" holds those of every idea a rule cannot do without."""
    global _entries
    if _entries is None:
        data = tomllib.loads(files("mockmle.core.grading").joinpath("grader_words.toml").read_text(encoding="utf-8"))
        found = {concept: tuple(_entry(e) for e in sorted({e for words in data[concept].values() for e in words}))
                 for concept in CONCEPTS}
        found["gate"] = tuple(e for concept in GATE for e in found[concept])
        _entries = found
    return _entries


def use_entries(found: Entries) -> None:
    """Entries an earlier process read (the bank cache keeps them)."""
    global _entries
    if _entries is None:
        _entries = found
