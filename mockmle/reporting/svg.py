"""Hand-written inline SVG charts for the HTML reports: no script, no external resource, no xmlns URL.

Every piece of text is escaped, since competency names come from a question bank that may be the
user's own. The charts carry a <title> and an aria-label, so they read out as a sentence too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from mockmle.core.progress_models import Point

MAX_LEVEL = 4
INK = "#222"
GRID = "#ddd"
LINE = "#1f5fa8"
TRACK = "#eee"
FILL = "#1f5fa8"
MUTED = "#666"


def _n(value: float) -> str:
    """A coordinate without float noise: 12.0 -> '12', 12.345 -> '12.3'."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, content: str, anchor: str = "start", size: int = 10, fill: str = MUTED) -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">'
            f"{escape(content)}</text>")


def _open_svg(width: int, height: int, css_class: str, label: str) -> str:
    return (f'<svg class="{css_class}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'role="img" aria-label="{escape(label)}" font-family="system-ui, sans-serif">'
            f"<title>{escape(label)}</title>")


# -- a competency's level over time


@dataclass(frozen=True)
class LinePlot:
    """Where the plotting area sits inside the picture."""

    width: int = 340
    height: int = 130
    left: int = 26
    right: int = 14
    top: int = 10
    bottom: int = 24

    @property
    def inner_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def inner_height(self) -> int:
        return self.height - self.top - self.bottom

    def y(self, level: float) -> float:
        clamped = min(MAX_LEVEL, max(0.0, level))
        return self.top + self.inner_height * (1 - clamped / MAX_LEVEL)

    def xs(self, dates: Sequence[str]) -> list[float]:
        """Spaced by the days between them; a single date sits in the middle."""
        days = [_ordinal(d) for d in dates]
        first, last = min(days), max(days)
        if first == last:
            return [self.left + self.inner_width / 2 for _ in days]
        return [self.left + self.inner_width * (d - first) / (last - first) for d in days]


def _ordinal(day: str) -> int:
    try:
        return date.fromisoformat(day[:10]).toordinal()
    except ValueError:
        return 0


def level_chart(name: str, series: Sequence[Point]) -> str:
    """A line chart of one competency's level (0-4) per day; empty string when there is no point to draw."""
    if not series:
        return ""
    plot = LinePlot()
    latest = series[-1]
    span = f"on {latest.date}" if series[0].date == latest.date else f"from {series[0].date} to {latest.date}"
    label = (f"{name}: level over time, {len(series)} point{'s' if len(series) != 1 else ''} {span}, "
             f"latest {latest.level:g} of {MAX_LEVEL}")
    parts = [_open_svg(plot.width, plot.height, "level-chart", label)]
    parts += _level_grid(plot)
    parts += _date_labels(plot, series[0].date, latest.date)
    xs = plot.xs([p.date for p in series])
    coordinates = " ".join(f"{_n(x)},{_n(plot.y(p.level))}" for x, p in zip(xs, series, strict=True))
    parts.append(f'<polyline points="{coordinates}" fill="none" stroke="{LINE}" stroke-width="2" '
                 'stroke-linejoin="round" stroke-linecap="round"/>')
    parts += [_point(x, plot.y(p.level), p) for x, p in zip(xs, series, strict=True)]
    parts.append("</svg>")
    return "".join(parts)


def _level_grid(plot: LinePlot) -> list[str]:
    parts = []
    for level in range(MAX_LEVEL + 1):
        y = plot.y(level)
        colour = INK if level == 0 else GRID
        parts.append(f'<line x1="{plot.left}" y1="{_n(y)}" x2="{plot.left + plot.inner_width}" y2="{_n(y)}" '
                     f'stroke="{colour}" stroke-width="1"/>')
        parts.append(_text(plot.left - 6, y + 3.5, str(level), anchor="end"))
    parts.append(f'<line x1="{plot.left}" y1="{plot.top}" x2="{plot.left}" y2="{_n(plot.y(0))}" '
                 f'stroke="{INK}" stroke-width="1"/>')
    return parts


def _date_labels(plot: LinePlot, first: str, last: str) -> list[str]:
    baseline = plot.height - 8
    if first == last:
        return [_text(plot.left + plot.inner_width / 2, baseline, first, anchor="middle")]
    return [_text(plot.left, baseline, first), _text(plot.left + plot.inner_width, baseline, last, anchor="end")]


def _point(x: float, y: float, point: Point) -> str:
    answers = f"{point.answers} answer{'s' if point.answers != 1 else ''}"
    return (f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{LINE}">'
            f"<title>{escape(point.date)}: level {point.level:g} ({answers})</title></circle>")


# -- a session's competency scores


@dataclass(frozen=True)
class Bar:
    label: str
    score: float


BAR_WIDTH = 480
BAR_ROW = 34
BAR_TRACK = 400
LABEL_CHARS = 70


def score_bars(title: str, bars: Sequence[Bar]) -> str:
    """Horizontal bars, one per competency, each out of 4 and labelled with one decimal as everywhere else;
    the name sits above its bar."""
    if not bars:
        return ""
    height = BAR_ROW * len(bars) + 6
    summary = "; ".join(f"{b.label} {b.score:.1f} of {MAX_LEVEL}" for b in bars)
    parts = [_open_svg(BAR_WIDTH, height, "score-bars", f"{title}: {summary}")]
    for row, bar in enumerate(bars):
        parts += _bar(row * BAR_ROW, bar)
    parts.append("</svg>")
    return "".join(parts)


def _bar(top: float, bar: Bar) -> list[str]:
    label = bar.label if len(bar.label) <= LABEL_CHARS else bar.label[:LABEL_CHARS - 1] + "\u2026"
    filled = BAR_TRACK * min(MAX_LEVEL, max(0.0, bar.score)) / MAX_LEVEL
    bar_top = top + 16
    parts = [_text(0, top + 12, label, size=11, fill=INK),
             f'<rect x="0" y="{_n(bar_top)}" width="{BAR_TRACK}" height="12" fill="{TRACK}"/>']
    if filled:
        parts.append(f'<rect class="bar" x="0" y="{_n(bar_top)}" width="{_n(filled)}" height="12" fill="{FILL}">'
                     f"<title>{escape(bar.label)}: {bar.score:.1f} of {MAX_LEVEL}</title></rect>")
    for tick in range(1, MAX_LEVEL):
        x = BAR_TRACK * tick / MAX_LEVEL
        parts.append(f'<line x1="{_n(x)}" y1="{_n(bar_top)}" x2="{_n(x)}" y2="{_n(bar_top + 12)}" '
                     'stroke="#fff" stroke-width="1"/>')
    parts.append(_text(BAR_TRACK + 8, bar_top + 10, f"{bar.score:.1f}/{MAX_LEVEL}", size=11, fill=INK))
    return parts
