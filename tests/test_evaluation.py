"""The evaluation harness's parts: the calibration split, the baselines, the outside-dataset loaders.

The loaders read tests/data/eval_fixtures/, tiny stand-ins written for these tests in each dataset's
file format (no real dataset content)."""

from pathlib import Path

import pytest

from mockmle.evaluation.baselines import TfIdf, baseline_scores, keyword_recall, length, terms
from mockmle.evaluation.datasets import (
    DatasetMissing,
    Row,
    calibration_parts,
    data_folder,
    held_out_questions,
    human_band,
    load_calibration,
    load_mohler,
    load_outside,
    load_paraphrases,
    load_saf,
)
from mockmle.evaluation.run import paraphrase_gap, sample

DATA = Path(__file__).parent / "data"
FIXTURES = DATA / "eval_fixtures"


# ---- the calibration split

def test_the_split_is_by_question_and_pinned():
    rows = load_calibration(DATA / "calibration.jsonl")
    test, dev = calibration_parts(rows, None)
    assert (test.name, dev.name) == ("calibration (test)", "calibration (dev, tuned on)")
    test_ids, dev_ids = {r.question_id for r in test.rows}, {r.question_id for r in dev.rows}
    assert not test_ids & dev_ids
    assert len(test.rows) + len(dev.rows) == len(rows)
    # Decided once: a change here moves answers the judge was tuned on into the test part, or back.
    assert test_ids == {"applied-ml.beyond-model-file", "reverse.release-rollback", "science.simpsons-paradox",
                        "screening.algorithm-selection", "team-culture.receiving-feedback",
                        "technical.decision-forest", "work-sample.model-choice"}
    assert {q.split(".")[0] for q in test_ids} == {q.split(".")[0] for q in test_ids | dev_ids}  # every stage
    assert 0.3 <= len(test_ids) / len(test_ids | dev_ids) <= 0.45


def test_the_split_does_not_depend_on_order_or_on_other_stages():
    ids = ["technical.a", "technical.b", "technical.c", "science.x"]
    assert held_out_questions(ids) == held_out_questions(reversed(ids))
    alone = held_out_questions(["technical.a", "technical.b", "technical.c"])
    assert held_out_questions(ids) - {"science.x"} == alone  # adding a stage moves no other question


def test_split_choices_and_the_pooled_set():
    rows = load_calibration(DATA / "calibration.jsonl")
    assert [d.name for d in calibration_parts(rows, "test")] == ["calibration (test)"]
    assert [d.name for d in calibration_parts(rows, "dev")] == ["calibration (dev, tuned on)"]
    (pooled,) = calibration_parts(rows, "all")
    assert pooled.rows == rows


def test_every_strong_answer_has_one_paraphrase_in_its_split():
    rows = load_calibration(DATA / "calibration.jsonl")
    paraphrases = load_paraphrases(DATA / "paraphrases.jsonl")
    strong = {r.id: r for r in rows if not r.adversarial and r.band >= 3}
    assert sorted(p.of for p in paraphrases) == sorted(strong)
    for p in paraphrases:
        assert (p.question_id, p.band) == (strong[p.of].question_id, strong[p.of].band)
        assert p.answer != strong[p.of].answer
    test, dev = calibration_parts(rows, None, paraphrases)
    for part in (test, dev):
        assert part.paraphrases and {p.of for p in part.paraphrases} <= {r.id for r in part.rows}
    assert len(test.paraphrases) + len(dev.paraphrases) == len(paraphrases)
    (pooled,) = calibration_parts(rows, "all", paraphrases)
    assert pooled.paraphrases == paraphrases
    assert calibration_parts(rows, "test")[0].paraphrases == []


def test_human_bands_from_any_scale():
    assert [human_band(s, 5) for s in (0, 0.5, 0.7, 2.5, 3.5, 5)] == [0, 0, 1, 2, 3, 4]
    assert [human_band(s, 1) for s in (0, 0.125, 0.375, 0.875, 1)] == [0, 1, 2, 4, 4]
    assert [human_band(b, 4) for b in range(5)] == [0, 1, 2, 3, 4]


def test_limit_takes_a_fixed_spread_in_order():
    rows = [Row(id=f"r{i}", question_id=f"q{i % 5}", question_text="", answer="", human=0, scale=4) for i in range(50)]
    picked = sample(rows, 10)
    assert len(picked) == 10 and picked == sample(rows, 10)
    assert picked == [r for r in rows if r in picked]  # original order kept
    assert len({r.question_id for r in picked}) > 1
    assert sample(rows, None) == rows and sample(rows, 99) == rows


# ---- baselines

def test_length_counts_words():
    assert length("") == 0
    assert length("Push and pop, on the top.") == 6


def test_keyword_recall_is_the_share_of_reference_words_used():
    # reference terms after stop words and stemming: stack, push, pop  -> the answer uses push and pop
    assert terms("The stack: push and pop") == ["stack", "push", "pop"]
    assert keyword_recall("you push then pop", "The stack: push and pop") == pytest.approx(2 / 3)
    assert keyword_recall("monitoring", "monitors") == 1.0  # stems meet
    assert keyword_recall("anything", "the and of") == 0.0  # a reference with no content words


def test_tfidf_cosine_weights_rare_words_and_ignores_order():
    tfidf = TfIdf(["cache memory reads", "memory pointer address"])
    assert tfidf.cosine("reads cache memory", "cache memory reads") == pytest.approx(1.0)
    assert tfidf.cosine("nothing shared", "cache memory reads") == 0.0
    assert tfidf.cosine("", "cache memory reads") == 0.0
    # "memory" is in both references, "cache" in one: sharing the rarer word counts for more
    assert tfidf.cosine("cache", "cache memory") > tfidf.cosine("memory", "cache memory")


def test_baseline_scores_line_up_with_the_answers():
    scores = baseline_scores(["push pop", "a b c d"], ["push pop stack", "queue"])
    assert scores["length"] == [2.0, 4.0]
    assert scores["recall"] == [pytest.approx(2 / 3), 0.0]
    assert scores["tfidf"][0] > 0 and scores["tfidf"][1] == 0.0


# ---- outside datasets

def test_mohler_loader_reads_latin1_leaves_out_excluded_and_averages_graders():
    rows = load_mohler(FIXTURES / "mohler")
    assert {r.question_id for r in rows} == {"1.1", "1.2", "11.1"}  # 1.3 is commented out in docs/files
    by_id = {r.id: r for r in rows}
    assert len(rows) == 7
    first = by_id["mohler-1.1.0"]
    assert first.answer == "push and pop on the top only"  # <br> removed, the id prefix too
    assert first.question_text == "What does a stack do?"
    assert first.reference.startswith("It stores items last in, first out")
    assert (first.graders, first.human, first.scale, first.band) == ((5.0, 4.0), 4.5, 5.0, 4)
    assert by_id["mohler-1.1.2"].answer == "it sorts the numbers > zero"
    assert by_id["mohler-1.2.0"].answer == "first in first out, like a café line"  # the Latin-1 file
    exam = by_id["mohler-11.1.0"]  # exams were graded out of 10
    assert exam.graders == (5.0, 4.5) and exam.human == 4.75


def test_saf_loader_reads_every_english_split():
    rows = load_saf(FIXTURES / "saf")
    assert len(rows) == 6
    assert len({r.id for r in rows}) == 6  # the same question in two splits keeps distinct ids
    first = rows[0]
    assert first.question_text == "Why does a cache speed up reads?"
    assert first.reference.startswith("Recently used data is kept in faster memory")
    assert (first.human, first.scale, first.band) == (1.0, 1.0, 4)
    assert rows[1].answer == "It makes the computer faster & better." and rows[1].band == 1
    assert {r.question_id for r in rows} == {"1.1", "2.1"}


def test_a_missing_dataset_is_a_note(tmp_path):
    with pytest.raises(DatasetMissing, match=r"^saf: not found in .*tools/eval_data.py.*skipped$"):
        load_outside("saf", tmp_path)
    assert load_outside("mohler", FIXTURES).name == "mohler"


def test_data_folder_option_then_environment_then_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("MOCKMLE_EVAL_DATA", str(tmp_path / "env"))
    assert data_folder(str(tmp_path / "given")) == tmp_path / "given"
    assert data_folder() == tmp_path / "env"
    monkeypatch.delenv("MOCKMLE_EVAL_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert data_folder() == tmp_path / "cache" / "mockmle" / "eval"


def test_eval_data_fills_the_cache_from_git_directories(tmp_path):
    """tools/eval_data.py copies, byte for byte, only what the loaders read, from each repository's HEAD."""
    import shutil
    import subprocess
    import sys

    def repository(name: str, layout: dict[str, Path]) -> Path:
        work = tmp_path / name
        for inside, source in layout.items():
            shutil.copytree(source, work / inside)
        (work / "unrelated.txt").write_text("not copied")
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(work)]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "."], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "fixture"], check=True)
        return work / ".git"

    mohler = repository("mohler-repo", {"data/source_data/ShortAnswerGrading_v2.0/data": FIXTURES / "mohler" / "data"})
    saf = repository("saf-repo", {"data": FIXTURES / "saf" / "data"})
    out = tmp_path / "cache"
    tool = Path(__file__).parents[1] / "tools" / "eval_data.py"
    result = subprocess.run([sys.executable, str(tool), str(mohler), str(saf), "--data", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(f"mohler: 19 files into {out / 'mohler'}")
    assert (out / "mohler" / "data" / "raw" / "1.2").read_bytes() == (FIXTURES / "mohler/data/raw/1.2").read_bytes()
    assert not list(out.rglob("unrelated.txt"))
    assert load_mohler(out / "mohler") == load_mohler(FIXTURES / "mohler")
    assert load_saf(out / "saf") == load_saf(FIXTURES / "saf")

    neither = subprocess.run([sys.executable, str(tool), str(tmp_path / "mohler-repo" / "data"), "--data", str(out)],
                             capture_output=True, text=True)
    assert neither.returncode != 0 and len(neither.stderr.strip().splitlines()) == 1


def test_the_harness_is_headless():
    import subprocess
    import sys

    modules = "mockmle.evaluation.datasets, mockmle.evaluation.baselines, mockmle.evaluation.run, mockmle.evaluation.report"
    code = f"import sys, {modules}; print(','.join(m for m in ('textual', 'openai', 'sounddevice') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


class ByLength:  # a stand-in judge: the band is the answer's word count, at most 4
    name = "stand-in"

    def grade(self, request):
        from mockmle.core.grading.models import Grade, Provenance

        return Grade(band=min(4, len(request.answer.split())),
                     provenance=Provenance(judge="stand-in", judge_version="1", rubric_version="1"))


def test_adversarial_answers_count_in_the_pass_rate_only(bank):
    from mockmle.evaluation.datasets import Dataset
    from mockmle.evaluation.run import evaluate

    def row(i, answer, human, adversarial=False):
        return Row(id=f"r{i}", question_id="technical.bias-variance", question_text="", answer=answer,
                   human=human, scale=4, adversarial=adversarial)

    rows = [row(0, "a", 1), row(1, "a b", 2), row(2, "a b c", 3), row(3, "a b c d e", 4),
            row(4, "x", 0, adversarial=True), row(5, "x y z", 0, adversarial=True)]
    result = evaluate(Dataset("tiny", rows, ""), ByLength(), bank)
    figures = result.judge_figures()
    assert (figures.spearman, figures.exact, figures.within_one) == (pytest.approx(1.0), 1.0, 1.0)
    assert result.adversarial_pass_rate == 0.5  # "x y z" got 3
    assert len(result.baselines["length"]) == 4  # baselines score the graded rows
    assert result.baseline_figures("length").spearman == pytest.approx(1.0)
    assert result.second_grader_figures() is None


def test_the_paraphrase_gap_compares_each_paraphrase_with_its_own_original(bank):
    from mockmle.evaluation.datasets import Dataset
    from mockmle.evaluation.run import evaluate

    def row(name, answer, human, of=""):
        return Row(id=name, question_id="technical.bias-variance", question_text="", answer=answer, human=human,
                   scale=4, of=of)

    rows = [row("a", "bias variance noise complexity", 4), row("b", "bias variance tradeoff", 3), row("c", "x", 1)]
    paraphrases = [row("pa", "stiff wobbly", 4, of="a"), row("pb", "rigid jumpy shaky", 3, of="b"),
                   row("pz", "w", 3, of="not-in-this-dataset")]  # its original was left out (--limit): ignored
    result = evaluate(Dataset("tiny", rows, "", paraphrases), ByLength(), bank)
    assert result.bands == [4, 3, 1]  # paraphrases are graded apart from the rows
    gap = result.paraphrase
    assert gap is not None and gap.pairs == 2
    assert (gap.original_band, gap.paraphrase_band, gap.bands) == (3.5, 2.5, 1.0)
    assert gap.original_recall > 0 and gap.paraphrase_recall == 0 and gap.recall_drop == 1.0
    assert evaluate(Dataset("tiny", rows, ""), ByLength(), bank).paraphrase is None


def test_paraphrase_gap_arithmetic():
    gap = paraphrase_gap([4, 3, 3], [3, 3, 1], [0.5, 0.4, 0.3], [0.2, 0.2, 0.2])
    assert gap is not None and gap.pairs == 3
    assert gap.bands == pytest.approx(1.0)  # 10/3 - 7/3
    assert gap.recall_drop == pytest.approx(1 - 0.2 / 0.4)
    assert paraphrase_gap([4], [4], [0.0], [0.0]).recall_drop is None  # no recall to fall from
    assert paraphrase_gap([], [], [], []) is None


def test_the_meaning_baseline_ranks_a_paraphrase_above_an_unrelated_answer_and_steps_aside_when_broken():
    from mockmle.core.grading.meaning import MeaningUnavailable
    from mockmle.evaluation.baselines import meaning_scores
    from mockmle.semantic.meaning import SemanticMeaning

    reference = "Bagging trains its models independently on bootstrap samples.\nBoosting trains them one after another."
    answers = ["You fit each tree on its own random draw of the rows, in parallel; the other method fits them in sequence.",
               "I enjoy hiking at the weekend and cooking for friends."]
    close, far = meaning_scores(answers, [reference, reference], SemanticMeaning())
    assert close > far

    class Broken:
        label = "broken"

        def similarities(self, targets, clauses):
            raise MeaningUnavailable("the model file is missing")

    assert meaning_scores(answers, [reference, reference], Broken()) is None
    assert meaning_scores(answers, [reference, reference], None) is None
