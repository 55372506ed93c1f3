"""Time and size the offline judge's meaning model (all-MiniLM-L6-v2 int8) on this machine.

    .venv/bin/python tools/bench_semantic.py [--threads N] [--answers N] [--spans-only] [--quality]

Prints: load time (importing numpy, onnxruntime and tokenizers, the tokenizer, the ONNX session), one answer's ten
clauses encoded 100 times (p50/p95, wall and CPU), 1,000 short texts (throughput), and the peak memory (VmHWM) the
model adds to a process that already has the core judge loaded. Then grading as the judge asks for it, with the
rubric's targets already embedded: `similarities(targets, clauses_of(answer))` for each calibration answer once
(p50/p95), and for 1,000 distinct answers (the calibration answers, then answers made of a question's key points
and areas with a fixed seed) with and without `prefetch` (answers/s), each with clauses read as spans of their
sentence and, for comparison, each read alone (with the word pieces the model runs on per answer). `--quality` adds
the 'meaning' baseline's Spearman on the calibration set with clauses read both ways. Numbers depend on what else
the machine is doing: each line ends with the 1-minute load average and the cores other processes kept busy.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

CLAUSES = [
    "you draw many resampled copies of the training rows with replacement",
    "fit a deep tree to each in isolation",
    "and let the members vote or average their predictions",
    "this mainly cuts variance because the errors of the trees are not correlated",
    "boosting is different: each new shallow tree is fitted to what the ensemble still gets wrong",
    "so it chips away at bias step by step",
    "but it can overfit if you keep adding trees, so you use a learning rate and early stopping",
    "random forests also subsample features at each split to decorrelate the trees further",
    "in practice I would start with a random forest as a baseline",
    "and move to gradient boosting like XGBoost or LightGBM when I need the last bit of accuracy",
]
CALIBRATION = Path(__file__).resolve().parents[1] / "tests" / "data" / "calibration.jsonl"
OPENERS = ["", "I would say that ", "In my last project we found that ", "First, ", "Honestly, ", "Then ", "Also, "]
JOINS = [", and ", "; ", ", so ", " because ", ", but ", ", which means "]


def peak_mib() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


class Load:
    """The 1-minute load average (which counts this process's own threads too) and, more telling, how many cores
    the rest of the machine kept busy since the last report (all CPU time in /proc/stat minus this process's)."""

    def __init__(self):
        self.mark = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float]:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
        busy = (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait
        return time.perf_counter(), busy, time.process_time()

    def __str__(self) -> str:
        now = self._sample()
        wall, busy, own = (a - b for a, b in zip(now, self.mark, strict=True))
        self.mark = now
        with open("/proc/loadavg") as average:
            average_1min = average.read().split()[0]
        return f"[load average {average_1min}; other processes used {max(0.0, busy - own) / wall:.2f} cores]"


def made_up_answer(rng: random.Random, question) -> str:
    """Two to five of a question's key points, and sometimes an area, strung into sentences of one or two clauses."""
    points = rng.sample(question.key_points, min(len(question.key_points), rng.randint(2, 5)))
    if question.areas and rng.random() < 0.6:
        points.insert(rng.randrange(len(points) + 1), f"{rng.choice(question.areas).lower()} matters here")
    sentences = []
    while points:
        take = points[:rng.choice([1, 2, 2])]
        points = points[len(take):]
        text = rng.choice(JOINS).join(p[0].lower() + p[1:] for p in take)
        opener = rng.choice(OPENERS)
        sentences.append((opener + text if opener else text[0].upper() + text[1:]).rstrip(".") + ".")
    return " ".join(sentences)


def answers_and_targets(bank, count: int) -> tuple[list[str], list[list[str]]]:
    """`count` distinct answers (the calibration set's first) and each one's targets: its question's areas, key
    points and their plain wordings, the texts the judge matches."""
    from mockmle.evaluation.datasets import load_calibration

    def targets(question) -> list[str]:
        return question.meaning_texts()

    pairs = {row.answer: targets(bank.question(row.question_id)) for row in load_calibration(CALIBRATION)}
    rng = random.Random(20240611)
    questions = sorted(bank.questions.values(), key=lambda q: q.id)
    while len(pairs) < count:
        question = rng.choice(questions)
        pairs.setdefault(made_up_answer(rng, question), targets(question))
    answers = list(pairs)[:count]
    return answers, [pairs[a] for a in answers]


def grading(encoder, bank, count: int, spans_too: bool, cache: Path, load: Load) -> None:
    from mockmle.core.grading.semantic_cover import clauses_of
    from mockmle.evaluation.datasets import load_calibration
    from mockmle.semantic.meaning import SemanticMeaning, reading_plan

    answers, targets = answers_and_targets(bank, count)
    every_target = list(dict.fromkeys(t for row in targets for t in row))
    calibration = len(load_calibration(CALIBRATION))
    groups = [clauses_of(a) for a in answers]
    tokenizer = encoder._tokenizer

    def tokens(chosen: list[list[str]], spans: bool) -> int:
        """Word pieces the model runs on for these answers: each text it reads, once per answer."""
        read = [text for g in chosen for text in
                {key if isinstance(key, str) else key[0]: None for key in (reading_plan(g).values() if spans else g)}]
        return sum(len(e.ids) for e in tokenizer.encode_batch(read))

    for spans in (True, False) if spans_too else (True,):
        how = "clauses read as spans of their sentence" if spans else "every clause read alone"
        total = tokens(groups, spans)
        print(f"-- {how}: {tokens(groups[:calibration], spans) / calibration:.0f} tokens per calibration answer, "
              f"{total / len(groups):.0f} per answer of the {len(groups):,}")
        meaning = SemanticMeaning(encoder, cache_dir=cache, spans=spans)
        meaning.prepare("targets", every_target)  # computed once, then read from the cache as the app does
        meaning.similarities(["warm up"], clauses_of("A warm-up answer, not one of those timed. It has two sentences."))
        took = []
        for group, row in zip(groups[:calibration], targets[:calibration], strict=True):
            started = time.perf_counter()
            meaning.similarities(row, group)
            took.append((time.perf_counter() - started) * 1000)
        took.sort()
        p95 = statistics.quantiles(took, n=20, method="inclusive")[-1]
        print(f"one answer ({calibration} calibration answers, each once): p50 {statistics.median(took):.1f} ms, "
              f"p95 {p95:.1f} ms, max {took[-1]:.1f} ms {load}")
        for prefetching in (True, False):
            meaning = SemanticMeaning(encoder, cache_dir=cache, spans=spans)
            meaning.prepare("targets", every_target)
            started = time.perf_counter()
            done = 0
            while done < len(groups):
                ready = meaning.prefetch(groups[done:]) if prefetching else len(groups) - done
                for group, row in zip(groups[done:done + ready], targets[done:done + ready], strict=True):
                    meaning.similarities(row, group)
                done += ready
            took_s = time.perf_counter() - started
            print(f"{len(groups):,} answers {'with' if prefetching else 'without'} prefetch: "
                  f"{len(groups) / took_s:.1f} answers/s ({took_s:.1f} s, {total / took_s:.0f} tokens/s) {load}")


def quality(encoder, bank) -> None:
    from mockmle.core.grading.metrics import spearman
    from mockmle.evaluation.baselines import meaning_scores
    from mockmle.evaluation.datasets import calibration_parts, load_calibration
    from mockmle.evaluation.run import reference_text
    from mockmle.semantic.meaning import SemanticMeaning

    calibration = load_calibration(CALIBRATION)
    for part in [*calibration_parts(calibration, None), *calibration_parts(calibration, "all")]:
        rows = [r for r in part.rows if not r.adversarial]
        references = [reference_text(bank.question(r.question_id)) for r in rows]
        figures = []
        for spans in (False, True):
            scores = meaning_scores([r.answer for r in rows], references, SemanticMeaning(encoder, spans=spans))
            assert scores is not None
            figures.append(spearman([r.human for r in rows], scores))
        print(f"'meaning' baseline, {part.name}, {len(rows)} graded answers: Spearman {figures[0]:.3f} with every "
              f"clause read alone, {figures[1]:.3f} with clauses read as spans")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime intra-op threads (default: the app's)")
    parser.add_argument("--answers", type=int, default=1000, help="answers graded for throughput (default 1,000)")
    parser.add_argument("--spans-only", action="store_true", help="skip the comparison with every clause read alone")
    parser.add_argument("--quality", action="store_true", help="also the meaning baseline's Spearman, both ways")
    args = parser.parse_args()

    import mockmle.core.grading.offline  # noqa: F401 - the app has the core judge loaded before the model

    load = Load()
    before = peak_mib()
    started = time.perf_counter()
    from mockmle.semantic.encoder import Encoder

    encoder = Encoder(threads=args.threads)
    encoder.load()
    print(f"load: {(time.perf_counter() - started) * 1000:.0f} ms ({encoder.threads} threads); "
          f"peak memory {before:.0f} -> {peak_mib():.0f} MiB {load}")

    encoder.encode(CLAUSES)
    wall, cpu = [], []
    for _ in range(100):
        started, used = time.perf_counter(), time.process_time()
        encoder.encode(CLAUSES)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    wall.sort()
    print(f"10 clauses x 100: p50 {statistics.median(wall):.1f} ms, p95 {wall[94]:.1f} ms "
          f"(CPU time median {statistics.median(cpu):.1f} ms) {load}")

    rng = random.Random(0)
    words = " ".join(CLAUSES).split()
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(6, 20))) for _ in range(1000)]
    started, used = time.perf_counter(), time.process_time()
    encoder.encode(texts)
    took = time.perf_counter() - started
    tokens = sum(len(e.ids) for e in encoder._tokenizer.encode_batch(texts))
    print(f"1,000 short texts: {1000 / took:.0f} texts/s, {tokens / took:.0f} tokens/s "
          f"(CPU time {time.process_time() - used:.2f} s) {load}")
    print(f"peak memory added by the model: {peak_mib() - before:.0f} MiB")

    from mockmle.core.bank import load_bank
    from mockmle.resources import data_dir

    bank = load_bank(data_dir("rubrics"))
    with tempfile.TemporaryDirectory() as cache:
        grading(encoder, bank, args.answers, not args.spans_only, Path(cache), load)
    print(f"peak memory added by the model, after grading: {peak_mib() - before:.0f} MiB")
    if args.quality:
        quality(encoder, bank)


if __name__ == "__main__":
    main()
