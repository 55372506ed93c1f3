"""One competency's level over time: a titled line chart (textual-plotext), or a line of text
when there are not yet two days to draw a line between."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from mockmle.core.progress_models import CompetencyProgress
from mockmle.tui.labels import BAND_WORDS

TICKS = 5


def level_style(level: float) -> str:
    """Red below partial, yellow below good, green from good up: the same cut-offs as the bands."""
    return "red" if level < 1.5 else "yellow" if level < 2.5 else "green"


def chart_title(c: CompetencyProgress) -> str:
    word = BAND_WORDS[min(4, max(0, round(c.level)))]
    return (f"[b]{escape(c.name)}[/b]  [{level_style(c.level)}]{c.level:.1f} ±{c.spread:.1f}[/] ({word}) · "
            f"{c.trend_label} · {c.confidence} confidence")


class LevelPlot(PlotextPlot):
    """A 0-4 level plot with no two y labels on one row.

    plotext rounds each tick to a row; on a short plot two ticks can share a row, and which label
    shows is then not stable. Fewer levels are labelled when the rows are few.
    """

    def render(self):
        rows = self.size.height - 3  # less the frame's top and bottom and the row of dates
        self.plt.yticks([0, 1, 2, 3, 4] if rows >= 5 else [0, 2, 4] if rows >= 3 else [0, 4])
        return super().render()


class CompetencyChart(Vertical):
    """Shows one competency at a time; `show` switches it."""

    competency: CompetencyProgress | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="chart-title")
        yield LevelPlot(classes="chart-plot")
        yield Static(classes="chart-note")

    def show(self, competency: CompetencyProgress) -> None:
        self.competency = competency
        self.query_one(".chart-title", Static).update(chart_title(competency))
        plot = self.query_one(PlotextPlot)
        note = self.query_one(".chart-note", Static)
        series = competency.series
        drawable = len(series) >= 2
        plot.display = drawable
        note.display = not drawable
        if not drawable:
            point = series[0] if series else None
            when = f" on {point.date}" if point else ""
            note.update(f"[dim]One day of answers so far: level {competency.level:.1f}{when}. "
                        "The line starts when you answer on another day.[/]")
            return
        plt = plot.plt
        plt.clear_figure()
        plt.date_form("Y-m-d")
        dates, levels = [p.date for p in series], [p.level for p in series]
        plt.plot(dates, levels, marker="braille", color="cyan")
        ticks = [dates[round(i * (len(dates) - 1) / (TICKS - 1))] for i in range(TICKS)] if len(dates) > TICKS else dates
        # Days with answers: plotext's own date ticks repeat a day on short spans. plotext reads date strings as
        # ticks (set_xticks converts them with the date form); textual-plotext's stub allows only numbers.
        plt.xticks(ticks, ticks)  # type: ignore[arg-type]
        plt.ylim(0, 4)
        plot.refresh()
