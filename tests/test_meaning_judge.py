"""The offline judge with its meaning model (the real all-MiniLM-L6-v2 int8): own words earn credit, wrong
statements do not, and a broken model leaves the judge matching words, saying so."""

from pathlib import Path

import pytest

from mockmle.app.services import Services
from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader
from mockmle.semantic.encoder import Encoder, ModelFiles
from mockmle.semantic.meaning import SemanticMeaning, shared_encoder
from mockmle.settings import Settings

QUESTION = "technical.bagging-vs-boosting"
# The example: the bootstrap and independence said without "bootstrap", "independently" or "bagging".
OWN_WORDS = (
    "You draw many resampled copies of the training rows, with replacement, fit a deep tree to each in isolation, "
    "and let the members vote, which mostly steadies the predictions. The other family builds its trees one after "
    "another, each new small tree aimed at the examples the earlier ones still get wrong, so it chips away at the "
    "systematic error, and it can overfit noisy labels if you keep adding trees, so you stop early."
)
WRONG_FLUENTLY = (
    "A random forest grows its trees one after another, and each tree is trained on the errors of the previous trees "
    "so the forest keeps correcting itself. At the end the last tree's prediction is the answer."
)


@pytest.fixture(scope="module")
def meaning():
    return SemanticMeaning(encoder=shared_encoder())


def grade(grader, bank, answer, question_id=QUESTION):
    question = bank.question(question_id)
    return grader.grade(GradeRequest(question_text=question.prompt, question=question, answer=answer))


def test_own_words_earn_credit_the_rubric_words_alone_do_not_see(bank, meaning):
    with_meaning = grade(OfflineGrader(bank, meaning), bank, OWN_WORDS)
    words_only = grade(OfflineGrader(bank), bank, OWN_WORDS)
    assert with_meaning.band > words_only.band
    credited = [r for r in (*with_meaning.areas, *with_meaning.key_points) if r.status != "missed"]
    assert len(credited) > len([r for r in (*words_only.areas, *words_only.key_points) if r.status != "missed"])
    assert all(r.evidence and r.evidence in OWN_WORDS for r in credited), "every quote is verbatim from the answer"
    assert with_meaning.provenance.meaning == "all-MiniLM-L6-v2 int8"
    assert with_meaning.provenance.combiner == bank.combiner.version
    assert with_meaning.confidence in ("high", "low")
    assert any("by meaning" in step for step in with_meaning.explanation)


def test_a_fluent_wrong_answer_gets_no_credit_for_sounding_right(bank, meaning):
    result = grade(OfflineGrader(bank, meaning), bank, WRONG_FLUENTLY, "technical.decision-forest")
    assert result.misconceptions
    assert result.band <= 1
    assert result.provenance.meaning is None  # the misconception kept the meaning evidence out of the band


def test_reference_answer_mode_matches_meaning_too(bank, meaning):
    reference = "Overfitting is when a model learns noise in the training data and so generalises poorly to new data."
    answer = "The model memorises the random quirks of its training examples, so its predictions on unseen examples are bad."
    request = GradeRequest(question_text="What is overfitting?", reference=reference, answer=answer)
    with_meaning = OfflineGrader(bank, meaning).grade(request)
    words_only = OfflineGrader(bank).grade(request)
    assert with_meaning.band >= words_only.band
    assert with_meaning.provenance.meaning and any("by meaning" in step for step in with_meaning.explanation)
    assert with_meaning.areas[0].status != "missed" and with_meaning.areas[0].evidence in answer


def test_same_answer_same_grade_whatever_was_graded_before(bank):
    first = grade(OfflineGrader(bank, SemanticMeaning(encoder=shared_encoder())), bank, OWN_WORDS)
    grader = OfflineGrader(bank, SemanticMeaning(encoder=shared_encoder()))
    grade(grader, bank, GOOD := "Bagging averages independent trees to cut variance; boosting fits residuals to cut bias.")
    grade(grader, bank, OWN_WORDS.split(". ")[1])
    assert grade(grader, bank, OWN_WORDS) == first
    assert GOOD


def test_a_broken_model_falls_back_to_words_and_says_why_in_every_grade(bank, tmp_path: Path):
    files = ModelFiles(model=tmp_path / "missing.onnx", tokenizer=tmp_path / "missing.json", version="0")
    broken = SemanticMeaning(encoder=Encoder(files=files))
    grader = OfflineGrader(bank, broken)
    first, second = grade(grader, bank, OWN_WORDS), grade(grader, bank, OWN_WORDS)
    words_only = grade(OfflineGrader(bank), bank, OWN_WORDS)
    assert first.band == second.band == words_only.band
    assert first.provenance.meaning is None
    assert "embedding" in first.provenance.meaning_unavailable
    assert second.provenance.meaning_unavailable == first.provenance.meaning_unavailable
    assert "\n" not in first.provenance.meaning_unavailable


def test_settings_can_turn_meaning_off(tmp_path, monkeypatch):
    from mockmle.settings import resolve_settings

    monkeypatch.setenv("MOCKMLE_MEANING", "off")
    services = Services(resolve_settings(home=str(tmp_path / "home")))
    assert services.meaning is None and services.offline_grader.meaning is None
    assert Services(Settings(home=tmp_path / "other")).offline_grader.meaning is not None


def test_warming_up_caches_the_rubric_vectors_in_the_data_home(tmp_path):
    services = Services(Settings(home=tmp_path / "home"))
    assert services.warm_meaning() is None
    cached = list((tmp_path / "home" / "cache" / "semantic").iterdir())
    assert cached, "the rubric's vectors are written under the data home"


REFERENCE = ("The model learns the noise in its training data instead of the pattern. It does well on the training set "
             "and badly on new data.")
PACK_WITH_REFERENCE = f'''format = 1

[[questions]]
id = "technical.own-pack-overfitting"
stage = "technical"
text = "In your own words, what goes wrong when a model overfits?"
areas = ["What overfitting is", "How you would notice it"]
reference = "{REFERENCE}"
competencies = ["machine-learning-fundamentals"]
'''


def test_a_pack_question_with_a_reference_answer_is_graded_against_its_sentences(tmp_path, meaning):
    from mockmle.core.bank import load_bank
    from mockmle.resources import data_dir

    (tmp_path / "pack.toml").write_text(PACK_WITH_REFERENCE)
    bank = load_bank(data_dir("rubrics"), tmp_path)
    question = bank.question("technical.own-pack-overfitting")
    assert question.key_points == ["The model learns the noise in its training data instead of the pattern.",
                                   "It does well on the training set and badly on new data."]
    answer = ("It memorises the random quirks of the examples it was fitted on, so it looks great on those and its "
              "predictions on examples it has never seen are poor.")
    result = OfflineGrader(bank, meaning).grade(GradeRequest(question_text=question.text, question=question, answer=answer))
    assert result.provenance.meaning
    assert any(point.status != "missed" and point.evidence in answer for point in result.key_points)


def test_warming_up_stops_when_asked(tmp_path):
    import threading

    stop = threading.Event()
    stop.set()
    services = Services(Settings(home=tmp_path / "home"))
    assert services.warm_meaning(stop) is None
    assert not (tmp_path / "home" / "cache" / "semantic").exists() or not any((tmp_path / "home" / "cache" / "semantic").iterdir())


def test_exiting_while_the_model_runs_on_a_thread_is_clean(tmp_path):
    """onnxruntime aborts the process ("terminate called without an active exception") when the interpreter exits
    with a thread inside the model; the encoder waits for the run in progress at exit and refuses new ones."""
    import subprocess
    import sys

    code = ("import threading, time\n"
            "from mockmle.semantic.meaning import shared_encoder\n"
            "encoder = shared_encoder(); encoder.load()\n"
            "def work():\n"
            "    while True:\n"
            "        try:\n"
            "            encoder.encode(['a sentence about bagging and boosting, repeated'] * 64)\n"
            "        except Exception:\n"
            "            return\n"
            "threading.Thread(target=work, daemon=True).start()\n"
            "time.sleep(0.3)\n")
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "terminate called" not in done.stderr, done.stderr


@pytest.mark.asyncio
async def test_the_app_warms_the_model_once_home_is_on_screen(tmp_path):
    from mockmle.app.services import BackgroundWarmUp
    from mockmle.tui.app import build_app
    from mockmle.tui.screens.home import HomeScreen

    services = Services(Settings(home=tmp_path / "home"))
    started = []
    warm_up = BackgroundWarmUp(services)
    app = build_app(services, after_start=lambda: (started.append(isinstance(app.screen, HomeScreen)), warm_up.start()))
    try:
        async with app.run_test() as pilot:
            assert started == []  # not before Home's first paint
            await pilot.pause(app.AFTER_START_DELAY + 0.3)
            assert started == [True]
    finally:
        warm_up.stop()
    assert warm_up._thread.is_alive() is False
