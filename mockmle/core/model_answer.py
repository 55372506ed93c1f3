"""A model answer built from a question's key points: spoken prose, not a list, and marked as built from the guide.

The key points say what a strong answer does ("Names the components end to end: ..."). Said by the candidate they
become first-person sentences ("I name the components end to end: ..."); key points that state a fact ("Bias is
error from ...") are said as they are. They are ordered by the area each one speaks to, grouped into a few short
paragraphs, and joined with the phrasebook's connectives. Deterministic: the same question gives the same text.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from mockmle.core.bank_models import Question
from mockmle.core.phrasebook import Phrasebook
from mockmle.core.text import content_terms

PARAGRAPH_POINTS = 3  # key points a paragraph holds, at most (one area's points are kept together when they fit)
_ADVERB = re.compile(r"^(?:\w+ly|often|always|never)$", re.IGNORECASE)
_PRONOUNS = {"they": "I", "their": "my", "theirs": "mine", "themselves": "myself", "themself": "myself"}
_AGREEMENT = {"I are": "I am", "I were": "I was", "I're": "I'm"}
_PRONOUN = re.compile(r"\b(they|their|theirs|themselves|themself)\b")
_CANDIDATE_DOES = frozenset(("have", "had", "did", "built", "brought", "personally", "on", "were", "made", "took"))
# A second verb of the candidate's in the same key point: "Fixes seeds and is aware ...", "so only loads ... or uses"
_SECOND_VERB = re.compile(r"\b(and|or|so only) (is|has|states|explains|says|keeps|names|gives|loads|uses|checks)\b")
_CANDIDATE = re.compile(r"\bthe candidate\b")
_ES_AFTER = ("ss", "sh", "ch", "x", "z", "o")


class ModelAnswer(BaseModel):
    """A strong answer to one question. `source` "guide": built from the key points here; "model": written by
    `model` from them and graded by `judge` with `band` (only a band-4 answer is ever shown)."""

    model_config = ConfigDict(frozen=True)

    question_id: str
    text: str
    source: Literal["guide", "model"] = "guide"
    model: str | None = None
    judge: str | None = None
    band: int | None = None
    note: str = ""  # why a model's answer is not shown, when the guide's is shown in its place

    @property
    def label(self) -> str:
        if self.source == "model":
            return f"Written by {self.model}, graded {self.band}/4 by the {self.judge} judge"
        return "Built from the interview guide"


def model_answer(question: Question, phrasebook: Phrasebook) -> ModelAnswer:
    """The question's key points as a few paragraphs of spoken prose, in the order of the areas they speak to."""
    openers = {w.lower() for w in phrasebook.model_answer_statement_openers}
    placed = sorted((_area_of(point, question.areas), index, point) for index, point in enumerate(question.key_points))
    said = [(area, _spoken(point, openers)) for area, _, point in placed]
    story = question.behavioural and phrasebook.model_answer_story_parts
    paragraphs = _story(said, phrasebook.model_answer_story_parts) if story else _paragraphs(said)
    texts = []
    connectives = phrasebook.model_answer_connectives
    used = 0
    for number, paragraph in enumerate(paragraphs):
        parts = []
        for index, sentence in enumerate(paragraph):
            if story and index == 0:
                parts.append(sentence)  # the STAR part's own opening line
                continue
            if story and index == 1:
                sentence = _lower_first(sentence)
            elif index == 0 and number == len(paragraphs) - 1 and number > 0:
                sentence = f"{phrasebook.model_answer_closing} {_lower_first(sentence)}"
            elif index % 2 == 1:
                sentence = f"{connectives[used % len(connectives)]} {_lower_first(sentence)}"
                used += 1
            parts.append(sentence)
        texts.append(" ".join(parts).replace(": ", ": ", 1))
    return ModelAnswer(question_id=question.id, text="\n\n".join(texts))


def _area_of(point: str, areas: list[str]) -> int:
    """The index of the area sharing the most content words with the key point (the first area on a tie), a word
    counting less the more areas use it: 'bias' in every area of the bias-variance question tells them apart little."""
    terms = set(content_terms(point))
    area_terms = [set(content_terms(area)) for area in areas]
    used = {term: sum(term in a for a in area_terms) for term in terms}
    overlaps = [sum(1 / used[t] for t in terms & a) for a in area_terms]
    best = max(overlaps, default=0)
    return overlaps.index(best) if best else len(areas)


def _story(said: list[tuple[int, str]], story_parts: list[list[str]]) -> list[list[str]]:
    """Behavioural: one paragraph per STAR part, opened by the part's line, its key points in the past tense; a key
    point goes to the last part with one of its words (the result's words win over the setting's)."""
    grouped: dict[str, list[str]] = {part[0]: [] for part in story_parts}
    for _, sentence in said:
        lower = sentence.lower()
        part = next((p[0] for p in reversed(story_parts)
                     if any(re.search(rf"\b{re.escape(word)}", lower) for word in p[2:-1])), "action")
        grouped.setdefault(part, []).append(_past(sentence))
    return [[opener, *grouped[name]] if grouped.get(name) else [empty] for name, opener, *_, empty in story_parts]


_IRREGULAR = {"am": "was", "give": "gave", "keep": "kept", "make": "made", "choose": "chose", "set": "set", "tell": "told",
              "build": "built", "find": "found", "speak": "spoke", "write": "wrote", "come": "came", "go": "went",
              "do": "did", "say": "said", "have": "had", "know": "knew", "lead": "led", "split": "split", "run": "ran",
              "read": "read", "get": "got", "spend": "spent", "bring": "brought", "think": "thought", "take": "took",
              "hold": "held", "put": "put", "cut": "cut", "let": "let", "show": "showed", "draw": "drew", "seek": "sought"}
_DOUBLED = ("ship", "plan", "pin", "log", "stop", "fit", "admit", "commit", "drop", "tag", "prefer", "refer")


def _past(sentence: str) -> str:
    """'I adapt the amount...' -> 'I adapted the amount...'; anything else unchanged."""
    if sentence.startswith("I'm "):
        return "I was " + sentence[4:]
    words = sentence.split(" ", 2)
    if len(words) < 3 or words[0] != "I":
        return sentence
    verb = words[1]
    if _ADVERB.match(verb):
        return f"I {verb} {_past('I ' + words[2])[2:]}"
    if verb in _IRREGULAR:
        past = _IRREGULAR[verb]
    elif verb.endswith("ed") or verb in ("was", "had"):
        return sentence
    elif verb in _DOUBLED:
        past = verb + verb[-1] + "ed"
    elif verb.endswith("e"):
        past = verb + "d"
    elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
        past = verb[:-1] + "ied"
    else:
        past = verb + "ed"
    return f"I {past} {words[2]}"


def _paragraphs(said: list[tuple[int, str]]) -> list[list[str]]:
    """Sentences grouped into paragraphs of at most PARAGRAPH_POINTS, a new one starting where the area changes
    once the current paragraph has two sentences."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    last_area = None
    for area, sentence in said:
        if current and (len(current) >= PARAGRAPH_POINTS or (len(current) >= 2 and area != last_area)):
            paragraphs.append(current)
            current = []
        current.append(sentence)
        last_area = area
    if current:
        if paragraphs and len(current) == 1 and len(paragraphs[-1]) < PARAGRAPH_POINTS:
            paragraphs[-1].append(current[0])
        else:
            paragraphs.append(current)
    return paragraphs


def _spoken(point: str, statement_openers: set[str]) -> str:
    """One key point as a sentence the candidate would say."""
    point = point.strip().rstrip(".;,")
    words = point.split(" ", 2)
    first = words[0].rstrip(",").lower()
    if len(words) > 1 and _ADVERB.match(first) and _is_action(words[1].capitalize(), statement_openers):
        point = f"I {first} {_first_person(words[1])} {words[2] if len(words) > 2 else ''}".rstrip()
    elif _is_action(words[0], statement_openers):
        rest = point.split(" ", 1)[1] if " " in point else ""
        verb = _first_person(words[0])
        point = f"I'm {rest}" if verb == "am" else f"I {verb} {rest}".rstrip()
    else:
        return point[0].upper() + point[1:] + "."
    point = _CANDIDATE.sub("I", _PRONOUN.sub(_own, point))
    for wrong, right in _AGREEMENT.items():
        point = point.replace(wrong, right)
    return _SECOND_VERB.sub(lambda m: f"{m.group(1)} {_first_person(m.group(2))}", point) + "."


def _own(match: re.Match) -> str:
    """'their', 'themselves' said by the candidate; 'they' only before what the candidate does or did ('they would',
    'they built'): 'as they grow' or 'whether they can be declined' is about someone else."""
    word = match.group(1)
    before = match.string[:match.start()].rstrip()
    if word == "their" and before.endswith(" and"):  # "the libraries and their pinned versions"
        return word
    if word != "they":
        return _PRONOUNS[word]
    following = match.string[match.end():].split(" ", 2)
    after = following[1] if len(following) > 1 else ""
    return "I" if after.endswith(("ed", "ould")) or after in _CANDIDATE_DOES else word


def _is_action(word: str, statement_openers: set[str]) -> bool:
    """A capitalised verb describing the candidate: 'Names', 'Justifies', 'Kept', 'Was'."""
    if not word[:1].isupper() or word.lower() in statement_openers or not word.isalpha() and "-" not in word:
        return False
    lower = word.lower()
    return lower in ("is", "was", "had", "led", "built", "kept", "made", "chose", "found", "did", "took", "gave", "ran") or (
        lower.endswith("ed") or (lower.endswith("s") and not lower.endswith("ss")))


def _first_person(verb: str) -> str:
    """'Names' -> 'name', 'Justifies' -> 'justify', 'Fixes' -> 'fix', 'Is' -> 'am'; past tenses stay."""
    lower = verb.lower()
    irregular = {"is": "am", "was": "was", "does": "do", "goes": "go", "has": "have"}
    if lower in irregular:
        return irregular[lower]
    if not lower.endswith("s"):
        return lower
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if lower.endswith("es") and lower[:-2].endswith(_ES_AFTER):
        return lower[:-2]
    return lower[:-1]


def _lower_first(sentence: str) -> str:
    """'I ...' and words with capitals inside ('AdaBoost', 'LLM') keep their case; other first words lose it."""
    first = sentence.split(" ", 1)[0]
    if first == "I" or first.startswith("I'") or any(c.isupper() for c in first[1:]):
        return sentence
    return sentence[:1].lower() + sentence[1:]
