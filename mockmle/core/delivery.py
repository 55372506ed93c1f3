"""How an answer was spoken, measured from word timestamps: pace, filler words, long pauses,
talk time against the limit, and how long the answer ran on after its point was made.

Nothing here guesses: every number comes from when each word started and ended. A check passes
or fails against the thresholds below, which are the usual advice for interview answers, and
each check is tracked in progress like any area of a scorecard.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

from pydantic import BaseModel, Field

from mockmle.core.speech import SpokenText, Word

PACE_RANGE = (110.0, 170.0)  # words per minute: slower drags, faster is hard to follow
MIN_WORDS_FOR_PACE = 15
FILLERS_PER_MINUTE = 4.0
LONG_PAUSE = 2.0  # seconds of silence between two words
VERY_LONG_PAUSE = 5.0
LONG_PAUSES_PER_MINUTE = 2.0
RUN_ON_SECONDS = 30.0  # still talking this long after the point, and for this share of the answer
RUN_ON_SHARE = 0.4

SINGLE_FILLERS = {"um", "umm", "uhm", "uh", "uhh", "er", "erm", "hmm", "hm", "mm", "ah", "eh", "basically", "literally"}
# Two-word fillers, and the words which, just before or after them, mean they are being used for what they say:
# "do you know", "you know the answer", "a kind of", "what I mean".
PHRASE_FILLERS: dict[tuple[str, str], tuple[set[str], set[str]]] = {
    ("you", "know"): ({"do", "did", "does", "don't", "didn't", "if", "whether", "how", "what", "when", "why", "would",
                       "could", "should", "will", "might", "may", "let", "as"},
                      {"what", "how", "that", "the", "why", "where", "when", "if", "whether", "about", "it", "this",
                       "them", "him", "her", "a", "an"}),
    ("sort", "of"): ({"a", "an", "the", "this", "that", "these", "those", "what", "which", "any", "some", "every", "each",
                      "same", "one", "different", "other", "another", "no", "its", "their", "our", "my", "your", "all",
                      "right", "wrong", "best", "first", "new"}, set()),
    ("i", "mean"): ({"what", "do", "did", "don't", "if"}, {"that", "it", "to", "by"}),
}
PHRASE_FILLERS[("kind", "of")] = PHRASE_FILLERS[("sort", "of")]
LIKE_PAUSE = 0.4  # "like" followed by a beat of silence is a filler; "like logistic regression" is not

# What each check is called wherever progress is shown.
CHECK_LABELS = {
    "pace": "Pace (110–170 words a minute)",
    "fillers": "Few filler words (at most 4 a minute)",
    "pauses": "No long silences mid-answer",
    "time": "Within the time limit",
    "focus": "Stopping once the point is made",
}

_TRAILING = re.compile(r"[^\w']+$")
_LEADING = re.compile(r"^[^\w']+")


class Filler(BaseModel):
    text: str
    at: float


class Pause(BaseModel):
    at: float = Field(description="When the silence began, in seconds")
    seconds: float
    after: str = Field(description="The word before the silence")


class DeliveryCheck(BaseModel):
    id: str
    label: str
    passed: bool
    detail: str


class Delivery(BaseModel):
    duration: float
    talk_seconds: float = Field(description="From the first word to the last")
    words: int
    wpm: float
    fillers: list[Filler] = Field(default_factory=list)
    fillers_per_minute: float = 0.0
    long_pauses: list[Pause] = Field(default_factory=list)
    time_limit: float | None = None
    point_at: float | None = Field(None, description="When the answer had said everything it ends up covering")
    after_point_seconds: float | None = None
    checks: list[DeliveryCheck] = Field(default_factory=list)

    @property
    def longest_pause(self) -> float:
        return max((p.seconds for p in self.long_pauses), default=0.0)

    def check(self, check_id: str) -> DeliveryCheck | None:
        return next((c for c in self.checks if c.id == check_id), None)


def bare(word: str) -> str:
    return _LEADING.sub("", _TRAILING.sub("", word.strip().lower())).replace("’", "'")


def _ends_clause(word: Word) -> bool:
    return bool(re.search(r"[,.;:!?…-]$", word.text.strip()))


def find_fillers(words: list[Word]) -> list[Filler]:
    tokens = [bare(w.text) for w in words]
    found: list[Filler] = []
    i = 0
    while i < len(words):
        token = tokens[i]
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(words) else ""
        pair = (token, after)
        if pair in PHRASE_FILLERS:
            not_before, not_after = PHRASE_FILLERS[pair]
            following = tokens[i + 2] if i + 2 < len(words) else ""
            set_off = _ends_clause(words[i + 1]) or not following
            if before not in not_before and (set_off or following not in not_after):
                found.append(Filler(text=f"{token} {after}", at=words[i].start))
                i += 2
                continue
        if token in SINGLE_FILLERS:
            found.append(Filler(text=token, at=words[i].start))
        elif token == "like" and _like_is_filler(words, i, before in SINGLE_FILLERS):
            found.append(Filler(text="like", at=words[i].start))
        i += 1
    return found


def _like_is_filler(words: list[Word], i: int, after_filler: bool) -> bool:
    gap_after = words[i + 1].start - words[i].end if i + 1 < len(words) else 0.0
    return after_filler or words[i].text.strip().endswith(",") or gap_after >= LIKE_PAUSE


def find_pauses(words: list[Word], threshold: float = LONG_PAUSE) -> list[Pause]:
    return [Pause(at=round(a.end, 2), seconds=round(b.start - a.end, 2), after=a.text.strip())
            for a, b in pairwise(words) if b.start - a.end >= threshold]


def point_reached_at(words: list[Word], coverage: Callable[[str], float]) -> float | None:
    """When the answer first reached the coverage it ends with: the end of the earliest sentence (or,
    for unpunctuated text, word) after which `coverage` of the text so far is as high as for the whole."""
    if not words:
        return None
    full = coverage(" ".join(w.text.strip() for w in words))
    if full <= 0:
        return None
    ends = [i for i, w in enumerate(words) if re.search(r"[.!?]$", w.text.strip())]
    if not ends or ends[-1] != len(words) - 1:
        ends.append(len(words) - 1)
    if len(ends) == 1:  # no sentences to go by: step through the words, a dozen at a time
        ends = sorted({*range(11, len(words), 12), len(words) - 1})
    for i in ends:
        if coverage(" ".join(w.text.strip() for w in words[: i + 1])) >= full - 1e-9:
            return words[i].end
    return words[-1].end


def analyse(spoken: SpokenText, time_limit: float | None = None,
            coverage: Callable[[str], float] | None = None) -> Delivery:
    """Delivery of one spoken answer. `coverage(text) -> score` (the question's areas covered by a text)
    lets it tell when the point was made; without it, running on is not judged."""
    words = [w for w in spoken.words if bare(w.text)]
    talk = round(words[-1].end - words[0].start, 2) if words else 0.0
    minutes = talk / 60 if talk > 0 else 0.0
    fillers = find_fillers(words)
    pauses = find_pauses(words)
    point_at = point_reached_at(words, coverage) if coverage is not None else None
    delivery = Delivery(
        duration=round(spoken.duration, 2), talk_seconds=talk, words=len(words),
        wpm=round(len(words) / minutes, 1) if minutes else 0.0,
        fillers=fillers, fillers_per_minute=round(len(fillers) / minutes, 1) if minutes else 0.0,
        long_pauses=pauses, time_limit=time_limit, point_at=point_at,
        after_point_seconds=round(words[-1].end - point_at, 2) if point_at is not None else None,
    )
    delivery.checks = _checks(delivery)
    return delivery


def _checks(d: Delivery) -> list[DeliveryCheck]:
    checks = []
    low, high = PACE_RANGE
    if d.words >= MIN_WORDS_FOR_PACE:
        detail = f"{d.wpm:.0f} words a minute"
        if d.wpm < low:
            detail += f": slow; aim for {low:.0f}–{high:.0f}"
        elif d.wpm > high:
            detail += f": fast; aim for {low:.0f}–{high:.0f}"
        checks.append(DeliveryCheck(id="pace", label="Pace", passed=low <= d.wpm <= high, detail=detail))
    if d.words:
        names = ", ".join(dict.fromkeys(f.text for f in d.fillers)) or "none"
        checks.append(DeliveryCheck(
            id="fillers", label="Filler words", passed=d.fillers_per_minute <= FILLERS_PER_MINUTE,
            detail=f"{len(d.fillers)} ({d.fillers_per_minute:g} a minute: {names}); aim for at most "
                   f"{FILLERS_PER_MINUTE:g} a minute"))
        allowed = max(1.0, LONG_PAUSES_PER_MINUTE * d.talk_seconds / 60)
        passed = len(d.long_pauses) <= allowed and d.longest_pause < VERY_LONG_PAUSE
        detail = (f"{len(d.long_pauses)} of {LONG_PAUSE:g} s or more" + (f", longest {d.longest_pause:g} s"
                                                                          if d.long_pauses else ""))
        checks.append(DeliveryCheck(id="pauses", label="Long pauses", passed=passed, detail=detail))
    if d.time_limit and d.words:
        over = d.talk_seconds - d.time_limit
        checks.append(DeliveryCheck(
            id="time", label="Time limit", passed=over <= 0,
            detail=f"talked {_clock(d.talk_seconds)} of {_clock(d.time_limit)}"
                   + (f": {_clock(over)} over" if over > 0 else "")))
    if d.after_point_seconds is not None:
        after = d.after_point_seconds
        ran_on = after >= RUN_ON_SECONDS and after >= RUN_ON_SHARE * d.talk_seconds
        checks.append(DeliveryCheck(
            id="focus", label="Stopping at the point", passed=not ran_on,
            detail=(f"kept going {_clock(after)} after the point was made at {_clock(d.point_at)}" if ran_on
                    else f"point made at {_clock(d.point_at)} of {_clock(d.talk_seconds)}")))
    return checks


def _clock(seconds: float | None) -> str:
    seconds = round(seconds or 0)
    return f"{seconds // 60}:{seconds % 60:02d}"


def delivery_summary(d: Delivery) -> str:
    """One line: pace, fillers, pauses, talk time."""
    parts = [f"{d.wpm:.0f} wpm" if d.words >= MIN_WORDS_FOR_PACE else f"{d.words} words",
             f"{len(d.fillers)} filler{'s' if len(d.fillers) != 1 else ''} ({d.fillers_per_minute:g}/min)",
             f"{len(d.long_pauses)} long pause{'s' if len(d.long_pauses) != 1 else ''}",
             f"talked {_clock(d.talk_seconds)}" + (f" of {_clock(d.time_limit)}" if d.time_limit else "")]
    return " · ".join(parts)


def delivery_lines(d: Delivery) -> list[str]:
    """The summary, then a ✓/✗ line per check."""
    return [delivery_summary(d)] + [f"{'✓' if c.passed else '✗'} {c.label}: {c.detail}" for c in d.checks]
