"""Agreement between a judge's bands and labelled bands: the numbers the calibration reports."""

from __future__ import annotations

from collections.abc import Sequence


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    vx = sum((a - mx) ** 2 for a in x) ** 0.5
    vy = sum((b - my) ** 2 for b in y) ** 0.5
    return cov / (vx * vy) if vx and vy else 0.0


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation, ties given their average rank."""
    return pearson(_ranks(x), _ranks(y))


def quadratic_weighted_kappa(expected: Sequence[int], got: Sequence[int], levels: int = 5) -> float:
    n = len(expected)
    observed = [[0.0] * levels for _ in range(levels)]
    for a, b in zip(expected, got, strict=True):
        observed[a][b] += 1
    hist_a = [sum(row) for row in observed]
    hist_b = [sum(observed[i][j] for i in range(levels)) for j in range(levels)]
    numerator = denominator = 0.0
    for i in range(levels):
        for j in range(levels):
            weight = (i - j) ** 2 / (levels - 1) ** 2
            numerator += weight * observed[i][j]
            denominator += weight * hist_a[i] * hist_b[j] / n
    return 1.0 - numerator / denominator if denominator else 1.0


def agreement(expected: Sequence[int], got: Sequence[int], within: int = 0) -> float:
    return sum(1 for a, b in zip(expected, got, strict=True) if abs(a - b) <= within) / len(expected)
