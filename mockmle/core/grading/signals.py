"""Answer-level signals that no keyword count can see: salad, instructions to the grader,
buzzwords without substance, hedging, and "we" without "I"."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from mockmle.core.grading.injection import grader_instruction
from mockmle.core.text import STOPWORDS, words

_INJECTION = re.compile(
    # "ignore the rubric", "disregard everything above"; earlier instructions set aside are for the rules
    # of injection.py, which also need "previous" or "all", so "models tend to ignore instructions" is not flagged
    r"(ignore|disregard|forget|override)\b[^.]{0,40}\b(rubric|scor\w*|grading|marking)"
    r"|\b(ignore|disregard|forget)\s+(everything|all|anything)\s+(\w+\s+)?above\b"
    # "give this a 4", said to someone or opening a clause: not "serving rate 10"
    r"|\b(give|award|assign|rate|grade|score|mark)\s+(this( answer| response| one)?|me|it|the answer|my answer)\s*(an?\s+)?"
    r"(4|four|5|five|10|full marks|top|maximum|max|perfect)\b"
    r"|(?:^|(?<=[.!?:;,])|(?<=[.!?:;,]\s)|(?<=\bplease\s)|(?<=\band\s)|(?<=\bso\s)|(?<=\bjust\s)|(?<=\bnow\s))"
    r"(give|award|assign|rate|grade|score|mark)\s+(an?\s+)?(4|four|5|five|10|full marks|top|maximum|max|perfect)\b"
    # "band: 4" addressed to the grader, not a metric such as "F1 score: 0.91" or "AUC score = 0.8"
    r"|(?<!f1 )(?<!auc )(?<!roc )(?<!bleu )(?<!rouge )(?<!r2 )\b(band|score|grade|rating)\s*[:=]\s*(?:10|[0-5])(?![.,]?\d)"
    r"|\b(deserves?|merits?|worth)\s+(an?\s+)?(4|four|top|full|perfect|maximum)"
    r"|^\s*(system|assistant|grader|judge)\s*:"
    r"|\byou are (now )?(a|the|an) (grader|judge|evaluator)"
    # text addressed to whoever grades: "Note to the evaluator: ...", "Dear grader", "to the AI reading this"
    r"|\b(note|message|instructions?|reminder)s? (to|for) (the |any |whoever is )?(grader|evaluator|judge|marker|"
    r"examiner|assessor)s?\b"
    r"|\b(dear|hey|hello|hi|attention),? (grader|evaluator|judge|marker|examiner|assessor|ai|model)s?\b"
    r"|\b(to|for) (the |any )?(ai|llm|model|grader|evaluator|judge) (reading|grading|evaluating|scoring|marking) this\b",
    re.IGNORECASE | re.MULTILINE,
)
# Characters that hide text from a pattern but not from a model: zero-width spaces and joiners, word joiners, BOM,
# soft hyphens. NFKC then folds full-width and other compatibility letters ("ｇｉｖｅ") to plain ones.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)


def as_seen(text: str) -> str:
    """What a reader (or a model) sees: compatibility forms folded, invisible characters removed."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


BUZZWORDS = (
    "synergy", "synergies", "synergistic", "leverage", "leveraging", "cutting-edge", "cutting edge", "state-of-the-art",
    "data-driven", "results-oriented", "results-driven", "passionate", "innovative", "world-class", "best-in-class",
    "game-changer", "game-changing", "disruptive", "paradigm", "rockstar", "ninja", "team player", "go-getter",
    "dynamic", "holistic", "seamless", "seamlessly", "next-generation", "revolutionary", "value-add", "thought leader",
    "outside the box", "move the needle", "win-win", "empower", "empowering", "visionary", "self-starter",
    "detail-oriented", "hard-working", "hardworking", "ai-powered", "transformative", "impactful", "robust solutions",
    "proactive", "proactively", "growth mindset", "full potential", "excellence", "customer-obsessed", "value-driven",
    "best practices", "end-to-end solutions", "agile", "thought leadership", "unlock", "supercharge",
)
HEDGES = (
    "i guess", "maybe", "sort of", "kind of", "i suppose", "probably", "not sure", "hard to say", "who knows",
    "it depends", "i think", "perhaps", "you know", "anyway", "or something", "stuff like that", "whatever",
    "i mean", "i don't really know", "more or less",
)
# A measured result written in words counts as one in digits: "from six weeks to three", "halved the latency".
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:%|x\b|ms\b|k\b|m\b)?|\b(?:two|three|four|five|six|seven|eight|nine|ten|"
                     r"eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
                     r"billion|dozen|half|halved|doubled|tripled|tenfold)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(i|i'm|i've|i'd|my|me|myself)\b", re.IGNORECASE)
_WE = re.compile(r"\b(we|we're|we've|our|us)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Signals:
    word_count: int
    function_ratio: float
    injection: str | None
    buzzwords: list[str]
    hedges: list[str]
    numbers: int
    first_person: int
    we: int

    statement_share: float = 1.0  # share of the words in pieces that read as statements (see _statement_share)

    @property
    def keyword_salad(self) -> bool:
        """Terms without the small words that make statements, and listed: a list, not an answer. A terse sentence
        ("Raising model complexity usually lowers bias and raises variance") is few small words but one statement."""
        return self.word_count >= 6 and self.function_ratio < 0.18 and self.statement_share < STATEMENT_SHARE

    @property
    def hedge_density(self) -> float:
        return len(self.hedges) / max(1, self.word_count / 20)


_LIST_BREAK = re.compile(r"[,;:+/()\n\u2022|]|->|(?<=[.!?])\s|\s-\s")
STATEMENT_WORDS = 4  # a piece of at least this many words, one of them a small word, reads as a statement
STATEMENT_SHARE = 1 / 3


def _statement_share(tokens_total: int, answer: str) -> float:
    """Share of the answer's words in pieces between list breaks that read as statements, not as listed terms."""
    if not tokens_total:
        return 0.0
    stated = 0
    for piece in _LIST_BREAK.split(answer):
        piece_words = words(piece)
        if len(piece_words) >= STATEMENT_WORDS and any(w in STOPWORDS for w in piece_words):
            stated += len(piece_words)
    return stated / tokens_total


def _phrases(text: str, phrases: tuple[str, ...]) -> list[str]:
    lowered = f" {' '.join(words(text))} "
    found = []
    for phrase in phrases:
        needle = f" {' '.join(words(phrase))} "
        found += [phrase] * lowered.count(needle)
    return found


def read_signals(answer: str) -> Signals:
    tokens = words(answer)
    function = sum(1 for t in tokens if t in STOPWORDS)
    seen = as_seen(answer)
    injection = _INJECTION.search(seen)
    return Signals(
        word_count=len(tokens),
        function_ratio=function / len(tokens) if tokens else 0.0,
        # the English patterns first (they quote the exact phrase), then the rules for any language
        injection=injection.group(0).strip() if injection else grader_instruction(seen),
        buzzwords=_phrases(answer, BUZZWORDS),
        hedges=_phrases(answer, HEDGES),
        numbers=len(_NUMBER.findall(answer)),
        first_person=len(_FIRST_PERSON.findall(answer)),
        we=len(_WE.findall(answer)),
        statement_share=_statement_share(len(tokens), answer),
    )


def asks_for_example(question_text: str, behavioural: bool) -> bool:
    lowered = question_text.lower()
    return behavioural or any(k in lowered for k in ("example", "tell me about a time", "describe a situation",
                                                       "describe a time", "a project", "you've worked", "you have worked"))
