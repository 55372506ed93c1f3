"""Time and size the offline judge's meaning model (all-MiniLM-L6-v2 int8) on this machine.

    .venv/bin/python tools/bench_semantic.py [--threads N]

Prints: load time (importing numpy, onnxruntime and tokenizers, the tokenizer, the ONNX session), one answer's ten
clauses encoded 100 times (p50/p95, wall and CPU), 1,000 short texts (throughput), and the peak memory (VmHWM) the
model adds to a process that already has the core judge loaded. Numbers depend on what else the machine is doing:
quote /proc/loadavg with them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

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


def peak_mib() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime intra-op threads (default: the app's)")
    args = parser.parse_args()

    import mockmle.core.grading.offline  # noqa: F401 - the app has the core judge loaded before the model

    with open("/proc/loadavg") as load:
        print(f"load average: {load.read().split()[0]}")
    before = peak_mib()
    started = time.perf_counter()
    from mockmle.semantic.encoder import Encoder

    encoder = Encoder(threads=args.threads)
    encoder.load()
    print(f"load: {(time.perf_counter() - started) * 1000:.0f} ms ({encoder.threads} threads); "
          f"peak memory {before:.0f} -> {peak_mib():.0f} MiB")

    encoder.encode(CLAUSES)
    wall, cpu = [], []
    for _ in range(100):
        started, used = time.perf_counter(), time.process_time()
        encoder.encode(CLAUSES)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    wall.sort()
    print(f"10 clauses x 100: p50 {statistics.median(wall):.1f} ms, p95 {wall[94]:.1f} ms "
          f"(CPU time median {statistics.median(cpu):.1f} ms)")

    rng = random.Random(0)
    words = " ".join(CLAUSES).split()
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(6, 20))) for _ in range(1000)]
    started, used = time.perf_counter(), time.process_time()
    encoder.encode(texts)
    took = time.perf_counter() - started
    print(f"1,000 short texts: {1000 / took:.0f} texts/s (CPU time {time.process_time() - used:.2f} s)")
    print(f"peak memory added by the model: {peak_mib() - before:.0f} MiB")


if __name__ == "__main__":
    main()
