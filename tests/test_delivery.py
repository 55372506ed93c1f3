"""Delivery feedback from word timestamps: the arithmetic on made-up timings, then a real clip."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockmle.core.delivery import analyse, delivery_lines, find_fillers, find_pauses, point_reached_at
from mockmle.core.speech import SpokenText, Word

CLIP = Path(__file__).parent / "data" / "voice" / "answer.wav"


def words_from(text: str, start: float = 0.0, step: float = 0.4, gaps: dict[int, float] | None = None) -> list[Word]:
    """One word every `step` seconds (each lasting 0.3 s), with extra silence before the word at each index in `gaps`."""
    out, at = [], start
    for i, token in enumerate(text.split()):
        at += (gaps or {}).get(i, 0.0)
        out.append(Word(text=token, start=round(at, 3), end=round(at + 0.3, 3)))
        at += step
    return out


def spoken(words: list[Word]) -> SpokenText:
    return SpokenText(text=" ".join(w.text for w in words), words=words, duration=words[-1].end + 0.5,
                      backend="test", model="test")


def filler_texts(text: str, **kwargs) -> list[str]:
    return [f.text for f in find_fillers(words_from(text, **kwargs))]


def test_pace_is_words_over_talk_time():
    words = words_from(" ".join(["word"] * 60), step=0.4)  # 60 words from 0 to 23.9 s: 150.6 wpm
    d = analyse(spoken(words))
    assert d.words == 60
    assert d.talk_seconds == pytest.approx(23.9)
    assert d.wpm == pytest.approx(60 / (23.9 / 60), abs=0.1)
    assert d.check("pace").passed
    slow = analyse(spoken(words_from(" ".join(["word"] * 30), step=0.8)))
    assert not slow.check("pace").passed and "slow" in slow.check("pace").detail


def test_fillers_single_and_phrases():
    assert filler_texts("um I think uh the model erm overfits basically") == ["um", "uh", "erm", "basically"]
    assert filler_texts("and, you know, it was sort of slow") == ["you know", "sort of"]
    assert filler_texts("I mean, the split leaked") == ["i mean"]


@pytest.mark.parametrize("text", [
    "do you know what a random forest is",
    "you know the answer already",
    "what kind of model did you use",
    "a sort of ensemble",
    "what I mean is the split leaked",
    "I like gradient boosting",
    "a simple baseline, like logistic regression, first",
    "it looks like overfitting",
])
def test_words_used_for_what_they_say_are_not_fillers(text):
    assert filler_texts(text) == []


def test_like_is_a_filler_when_set_off():
    assert filler_texts("it was like, really slow") == ["like"]
    assert filler_texts("so um like the data drifted") == ["um", "like"]
    # a beat of silence after "like" (before the word at index 3)
    assert filler_texts("and it like drifted", gaps={3: 0.6}) == ["like"]


def test_fillers_per_minute_and_check():
    words = words_from("um the model uh overfit um so we uh added regularisation um and it basically worked",
                       step=0.5)
    d = analyse(spoken(words))
    assert len(d.fillers) == 6
    assert d.fillers_per_minute == pytest.approx(6 / (d.talk_seconds / 60), abs=0.1)
    assert not d.check("fillers").passed


def test_long_pauses():
    words = words_from("first we split the data then we trained the model", gaps={5: 3.0, 8: 6.0})
    pauses = find_pauses(words)
    assert [(p.after, p.seconds) for p in pauses] == [("data", 3.1), ("trained", 6.1)]
    d = analyse(spoken(words))
    assert d.longest_pause == pytest.approx(6.1)
    assert not d.check("pauses").passed  # one pause over 5 s
    one_short = analyse(spoken(words_from("first we split the data then we trained the model", gaps={5: 2.5})))
    assert one_short.check("pauses").passed


def test_talk_time_against_the_limit():
    words = words_from(" ".join(["word"] * 200), step=0.4)  # about 80 s
    assert analyse(spoken(words), time_limit=120).check("time").passed
    over = analyse(spoken(words), time_limit=60).check("time")
    assert not over.passed and "over" in over.detail
    assert analyse(spoken(words)).check("time") is None


def test_running_on_after_the_point():
    point = "We test the pipeline. We monitor drift."
    padding = " ".join(["and then also more things happened there."] * 12)
    words = words_from(f"{point} {padding}", step=0.4)

    def coverage(text: str) -> float:
        return float("test" in text) + float("drift" in text)

    d = analyse(spoken(words), coverage=coverage)
    assert d.point_at == pytest.approx(words[6].end)  # "drift." ends the second sentence
    assert d.after_point_seconds > 30
    assert not d.check("focus").passed
    concise = analyse(spoken(words_from(point)), coverage=coverage)
    assert concise.check("focus").passed
    assert point_reached_at(words, lambda text: 0.0) is None  # nothing covered: no point to stop at


def test_lines_summarise_every_check():
    d = analyse(spoken(words_from("um so we split by time to avoid leakage and we wrote tests for the features", step=0.4)),
                time_limit=120)
    summary, *checks = delivery_lines(d)
    assert "wpm" in summary and "1 filler" in summary
    assert {c.split(":")[0][2:] for c in checks} == {"Pace", "Filler words", "Long pauses", "Time limit"}


def test_a_real_clip_with_known_fillers_and_pause(whisper_model_dir):
    """answer.wav says "um", "uh" and "you know" once each, "like" as a comparison, and pauses 2.5 s between
    its sentences (tests/data/voice/answer.txt, make_clip.sh): faster-whisper's word timings must show that."""
    from mockmle.audio.transcribe import LocalWhisper

    result = LocalWhisper(str(whisper_model_dir)).transcribe(CLIP)
    d = analyse(result, time_limit=180)
    assert sorted(f.text.rstrip("m") for f in d.fillers) == ["u", "uh", "you know"]  # "um" or "umm"
    assert len(d.long_pauses) == 1
    assert 2.4 <= d.long_pauses[0].seconds <= 3.2
    assert 16.0 <= d.talk_seconds <= 18.5  # 18.5 s clip with 0.5 s of silence at each end
    assert 110 <= d.wpm <= 170  # espeak-ng at 150 words a minute, less the pause
    assert d.check("time").passed
