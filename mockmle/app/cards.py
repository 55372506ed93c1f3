"""`mockmle cards`: what the candidate missed, as flashcards for Anki (a .apkg deck, or CSV for any importer).

One card per key point an answer did not cover (front: the question and the area the point belongs to; back: the
point and the candidate's own words) and one per misconception an answer stated (front: the question and "what is
wrong with" it; back: the guide's correction of it when the bank has one, else the question's key point closest to
it when one is close enough, and the quote). The same
question and point across sessions is one card carrying the latest quote. Every card's id is a hash of the question
and the point, and the deck and note type have fixed ids, so importing a newer export updates the cards already in
Anki instead of adding copies.

Reading the sessions (`collect_cards`) needs the store, so it runs where the database lives; writing
(`write_cards_file`) touches only the file, so the app runs it in a worker thread.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import os
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mockmle.core.bank_models import normalise_question_text
from mockmle.core.grading.meaning import MeaningUnavailable
from mockmle.core.grading.statements import share
from mockmle.core.safe_text import one_line
from mockmle.errors import MockmleError, UsageError
from mockmle.files import private_dir, write_private
from mockmle.store.sessions import DamagedSession

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mockmle.app.services import Services
    from mockmle.core.bank import Bank
    from mockmle.core.bank_models import Question
    from mockmle.core.grading.meaning import Meaning
    from mockmle.core.grading.models import Grade
    from mockmle.core.interview import Turn

FORMATS = ("apkg", "csv")
NOTHING_YET = "No missed key points or misconceptions to make cards from yet: play an interview, then export again."
DECK_NAME = "mockmle: what I missed"
QUOTE_CHARS = 240
# A misconception the bank holds a correction for (Question.corrections) gets that correction on the back. For one
# without (a user's pack, or a wording the bank does not list), the back shows the question's key
# point closest to the misconception, framed as what a strong answer says (a true statement about the question, not
# claimed to be its correction), and only when it is this close: over the bank's 204 misconceptions, below these the
# closest point is mostly about something else. Closeness is the offline judge's meaning model's cosine, or, with the
# model off or broken, the share of the misconception's weighted words the point holds (a weaker signal: stricter).
NEAR_IN_MEANING = 0.4
NEAR_IN_WORDS = 0.3

CardKind = Literal["key-point", "misconception"]


def _stable_id(name: str) -> int:
    """A fixed id in the range Anki's own ids use, derived from `name`: Anki matches the deck and note type by id."""
    return (1 << 30) + int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") % (1 << 30)


DECK_ID = _stable_id("mockmle.cards.deck")
MODEL_ID = _stable_id("mockmle.cards.model.v1")


@dataclass(frozen=True)
class Card:
    kind: CardKind
    question_id: str
    stage: str
    question: str
    cue: str  # the area of the key point, or the misconception
    point: str  # the key point, or the one closest to the misconception ("" when none is close)
    quote: str
    quoted: bool  # the quote is the candidate's evidence for the point, not the start of their answer
    session_id: str
    corrected: bool = False  # a misconception card whose point is the bank's correction of it

    @property
    def guid(self) -> str:
        """Anki's note id: the same question and point give the same card in every export."""
        from genanki import guid_for

        return guid_for("mockmle", self.kind, self.question_id, self.cue if self.kind == "misconception" else self.point)

    @property
    def tags(self) -> list[str]:
        return ["mockmle", f"mockmle::{self.stage}", f"mockmle::{self.kind}"]

    def front_parts(self) -> tuple[str, str]:
        if self.kind == "misconception":
            return self.question, f"What is wrong with: \u201c{self.cue}\u201d?"
        return self.question, f"Area: {self.cue}"

    def back_parts(self) -> tuple[str, str, str]:
        if self.kind == "misconception" and self.corrected:
            point = f"It does not hold. What is true: {self.point}"
        elif self.kind == "misconception":
            point = (f"It does not hold. A strong answer says: {self.point}" if self.point else
                     "It does not hold; the question's key points in mockmle say what does.")
        else:
            point = self.point
        said = ("You said" if self.quoted else "Your answer began") + f": \u201c{self.quote}\u201d"
        return point, said, f"{self.question_id}, session {self.session_id}"

    @property
    def front(self) -> str:
        return "\n\n".join(self.front_parts())

    @property
    def back(self) -> str:
        return "\n\n".join(self.back_parts())


@dataclass(frozen=True)
class CardsWritten:
    path: Path
    count: int

    def __str__(self) -> str:  # what the app's export notice shows after "Saved to"
        return f"{self.path} ({self.count} card{'' if self.count == 1 else 's'})"


# -- collecting


def collect_cards(services: Services, session_id: str | None = None) -> list[Card]:
    """Cards from every graded answer (or one session's, by id or unique prefix), oldest first, latest quote kept.

    A session whose rows no longer parse is left out of the whole history (it is named by `sessions list`);
    asked for by id, it is the error."""
    store = services.store
    if session_id is not None:
        records = [store.get(session_id)]  # UsageError for an unknown or ambiguous id
    else:
        records = []
        for row in reversed(store.list()):  # newest first: reversed, so later sessions overwrite earlier quotes
            try:
                records.append(store.get(row["id"]))
            except DamagedSession:
                continue
    closest = Closest(services.bank, services.meaning)
    cards: dict[tuple[str, str, str], Card] = {}
    for record in records:
        for turn in record.state.turns:
            grade = record.grades.get(turn.position)
            if grade is None or turn.status != "answered":
                continue
            for card in cards_for_answer(services.bank, closest, record.id, turn, grade):
                cards[(card.kind, card.question_id, card.cue if card.kind == "misconception" else card.point)] = card
    return list(cards.values())


def cards_for_answer(bank: Bank, closest: Closest, session_id: str, turn: Turn, grade: Grade) -> list[Card]:
    question = bank.questions.get(turn.question_id)
    prompt = one_line(question.prompt if question else turn.exchanges[0].prompt)
    stage = turn.question_id.split(".", 1)[0]
    stage_title = bank.stages[stage].title if stage in bank.stages else stage
    opening = _clip(one_line(turn.answer_text()))
    cards = []
    for point in grade.key_points:
        if point.status == "covered":
            continue
        area = closest(point.area, question.areas if question else [], near=False) or stage_title
        evidence = one_line(point.evidence)
        cards.append(Card("key-point", turn.question_id, stage, prompt, area, one_line(point.area),
                          _clip(evidence) if evidence else opening, bool(evidence), session_id))
    for found in grade.misconceptions:
        correction = correction_for(question, found.misconception) if question else ""
        said = correction or closest(found.misconception, question.key_points if question else [], near=True)
        evidence = one_line(found.evidence)
        cards.append(Card("misconception", turn.question_id, stage, prompt, one_line(found.misconception), said,
                          _clip(evidence) if evidence else opening, bool(evidence), session_id, bool(correction)))
    return cards


def correction_for(question: Question, misconception: str) -> str:
    """The bank's correction of one of the question's misconceptions, named as the grade names it; "" when none."""
    if not question.corrections:
        return ""
    wanted = normalise_question_text(misconception)
    for index, listed in enumerate(question.misconceptions):
        if listed == misconception or normalise_question_text(listed) == wanted:
            return one_line(question.corrections[index])
    return ""


class Closest:
    """Which of a question's areas a key point belongs to, or which key point is closest to a misconception."""

    def __init__(self, bank: Bank, meaning: Meaning | None):
        self.bank = bank
        self.meaning = meaning

    def __call__(self, text: str, options: Sequence[str], near: bool) -> str:
        """The option closest to `text` (the first of equals); with `near`, only one close enough (else "")."""
        if not options:
            return ""
        weights = self.bank.weights
        terms = weights.terms(text)
        words = [share(terms, weights.terms(option), weights) for option in options]
        meaning = self._in_meaning(text, options)
        if near:  # one signal, held to the bar measured for it
            scores, least = (meaning, NEAR_IN_MEANING) if meaning is not None else (words, NEAR_IN_WORDS)
        else:  # an area: meaning and words added place more of the bank's key points right than either alone
            scores, least = [m + w for m, w in zip(meaning, words, strict=True)] if meaning is not None else words, 1e-9
        best = max(range(len(options)), key=lambda i: (scores[i], -i))
        return options[best] if scores[best] >= least else ""

    def _in_meaning(self, text: str, options: Sequence[str]) -> list[float] | None:
        if self.meaning is None:
            return None
        try:
            return [row[0] for row in self.meaning.similarities(list(options), [text])]
        except MeaningUnavailable:
            self.meaning = None  # words from here on, as the judge does
            return None


def _clip(text: str) -> str:
    if len(text) <= QUOTE_CHARS:
        return text
    cut = text[:QUOTE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "\u2026"


# -- writing


def write_cards(services: Services, fmt: str = "apkg", session_id: str | None = None,
                output: str | None = None) -> CardsWritten | None:
    """Collect and write the cards; None when there is nothing to make cards from (no file is written)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown card format {fmt!r}: use apkg or csv")
    cards = collect_cards(services, session_id)
    if not cards:
        return None
    return write_cards_file(cards, fmt, card_target(services, fmt, output))


def card_target(services: Services, fmt: str, output: str | None = None) -> Path:
    name = f"mockmle-cards.{fmt}"
    if not output:
        return private_dir(services.settings.cards_dir) / name
    target = Path(output).expanduser()
    if target.is_dir() or output.endswith(("/", os.sep)):  # a folder: the cards go inside, under their own name
        return private_dir(target) / name
    return target


def write_cards_file(cards: list[Card], fmt: str, target: Path) -> CardsWritten:
    """Render and write atomically, owner-only. Touches no database of ours: safe in a worker thread."""
    content = render_apkg(cards) if fmt == "apkg" else render_csv(cards)
    try:
        write_private(target, content)
    except OSError as exc:
        raise MockmleError(f"cannot write the cards to {target}: {exc.strerror or exc}") from None
    return CardsWritten(target, len(cards))


def render_csv(cards: list[Card]) -> str:
    """Front, back, tags and the note id, after the header lines Anki's importer reads (2.1.55 and later; they
    name the columns, so no row is a header, and the note id column is what lets a re-import update the cards)."""
    out = io.StringIO()
    out.write("#separator:comma\n#html:false\n#columns:front,back,tags,guid\n#tags column:3\n#guid column:4\n")
    writer = csv.writer(out, lineterminator="\n")
    for card in cards:
        writer.writerow([card.front, card.back, " ".join(card.tags), card.guid])
    return out.getvalue()


def render_apkg(cards: list[Card]) -> bytes:
    """The deck as .apkg bytes. genanki's own write_to_file leaves its SQLite file (the candidate's answers) behind
    in the system's temporary folder; here it is built in a folder that is removed once the package is zipped."""
    import genanki

    model = genanki.Model(
        MODEL_ID, "mockmle card", fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card", "qfmt": "{{Front}}", "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'}],
        css=".card { font-family: sans-serif; font-size: 18px; text-align: left; } .cue { margin-top: 1em; "
            "font-weight: bold; } .quote { margin-top: 1em; font-style: italic; } .source { margin-top: 1em; "
            "font-size: 12px; color: grey; }")
    deck = genanki.Deck(DECK_ID, DECK_NAME, description="Key points missed and misconceptions stated in mockmle practice.")
    for card in cards:
        question, cue = card.front_parts()
        point, said, source = card.back_parts()
        deck.add_note(genanki.Note(
            model=model, guid=card.guid, tags=card.tags,
            fields=[f'<div class="question">{escape(question)}</div><div class="cue">{escape(cue)}</div>',
                    f'<div class="point">{escape(point)}</div><div class="quote">{escape(said)}</div>'
                    f'<div class="source">{escape(source)}</div>']))
    package = genanki.Package(deck)
    with tempfile.TemporaryDirectory(prefix="mockmle-cards-") as folder:
        collection = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(collection)
        try:
            now = time.time()  # genanki's own writer numbers the notes and cards from the time in milliseconds
            package.write_to_db(connection.cursor(), now, itertools.count(int(now * 1000)))
            connection.commit()
        finally:
            connection.close()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(collection, "collection.anki2")
            archive.writestr("media", "{}")
    return buffer.getvalue()

