"""Rich renderables for each answer of a graded session: its card, with the evidence highlighted.

The verdict, scorecard and other summaries at the top of Results are in rendering_report.py.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from mockmle.core.delivery import Delivery, delivery_lines
from mockmle.core.grading.main_answer import main_band_note
from mockmle.core.grading.models import Grade
from mockmle.core.interview import Turn
from mockmle.core.safe_text import visible
from mockmle.core.scorecard import turn_score
from mockmle.reporting.grade_text import UNSURE_MARK, provenance_line, unsure_line
from mockmle.tui.labels import BAND_WORDS

STYLES = {
    "covered": "bold green",
    "partly": "bold yellow",
    "flag": "bold red",
}
MARKS = {"covered": ("✓", "green"), "partly": ("~", "yellow"), "missed": ("✗", "red")}
LEGEND = Text.assemble(("Evidence in your answers: ", "dim"), ("green", STYLES["covered"]), (" supports an area or check, ", "dim"),
                       ("yellow", STYLES["partly"]), (" partly, ", "dim"), ("red", STYLES["flag"]),
                       (" is a misconception or red flag.", "dim"))


def _find(text: str, quote: str) -> tuple[int, int] | None:
    quote = quote.strip().strip('"').strip()
    if not quote:
        return None
    start = text.find(quote)
    if start < 0:
        start = text.lower().find(quote.lower())
    return (start, start + len(quote)) if start >= 0 else None


def evidence_spans(answer: str, grade: Grade) -> list[tuple[int, int, str]]:
    """Where in the answer each piece of evidence sits, and whether it counts for or against."""
    spans: list[tuple[int, int, str]] = []
    for item in [*grade.areas, *grade.key_points]:
        if item.status != "missed" and (found := _find(answer, item.evidence)):
            spans.append((*found, item.status))
    for check in grade.checks:
        kind = "covered" if check.passed else "flag"
        located = list(check.spans) or ([found] if (found := _find(answer, check.evidence)) else [])
        spans += [(start, end, kind) for start, end in located if 0 <= start < end <= len(answer)]
    for misconception in grade.misconceptions:
        if found := _find(answer, misconception.evidence):
            spans.append((*found, "flag"))
    # Later spans win where they overlap, so red (against) is applied last.
    order = {"partly": 0, "covered": 1, "flag": 2}
    return sorted(spans, key=lambda span: order[span[2]])


def highlighted_answers(turn: Turn, grade: Grade | None) -> list[Text]:
    """One Text per answered exchange, highlighted with the grade's evidence."""
    answers = [e.answer for e in turn.exchanges if e.answer]
    joined = "\n\n".join(answers)
    text = Text(visible(joined))  # one for one, so the evidence spans found in `joined` still fit
    if grade is not None:
        for start, end, kind in evidence_spans(joined, grade):
            text.stylize(STYLES[kind], start, end)
    offsets, cursor = [], 0
    for answer in answers[:-1]:
        cursor += len(answer)
        offsets += [cursor, cursor + 2]
        cursor += 2
    parts = text.divide(offsets)
    return [part for index, part in enumerate(parts) if index % 2 == 0]


class Quotes:
    """The quotes a card has shown: one quoted twice is shown once and then pointed at."""

    def __init__(self) -> None:
        self.shown: set[str] = set()

    def marked(self, status: str, label: str, quote: str = "") -> Text:
        mark, colour = MARKS[status]
        line = Text.assemble((f"{mark} ", colour), label)
        key = " ".join(quote.split()).lower()
        if key in self.shown:
            line.append(" — same quote as above", style="dim")
        elif quote:
            self.shown.add(key)
            line.append(f' — "{visible(quote)}"', style="italic dim")
        return line


def _section(title: str, lines: list[RenderableType]) -> list[RenderableType]:
    return [Text(""), Text(title, style="bold underline"), *lines] if lines else []


def check_lines(grade: Grade, quotes: Quotes | None = None) -> list[RenderableType]:
    """Failed checks first, then passed ones with evidence; quiet passes ("no red flag") fold into one line."""
    quotes = quotes or Quotes()
    failed = [quotes.marked("missed", c.description or c.id, c.evidence) for c in grade.checks if not c.passed]
    shown = [quotes.marked("covered", c.description or c.id, c.evidence) for c in grade.checks if c.passed and c.evidence]
    quiet = [c.description or c.id for c in grade.checks if c.passed and not c.evidence]
    lines: list[RenderableType] = [*failed, *shown]
    if quiet:
        lines.append(Text(f"✓ also passed {len(quiet)}: " + "; ".join(q[0].lower() + q[1:] for q in quiet), style="dim"))
    return lines


def score_label(turn: Turn, grade: Grade | None) -> str:
    if turn.status == "skipped":
        return "skipped (0)"
    if grade is None:
        return "not answered" if turn.status == "unanswered" else "not graded yet"
    score = turn_score(turn, grade)
    label = f"{grade.band}/4 {BAND_WORDS[grade.band]}"
    if note := main_band_note(grade):
        label += f" ({note})"
    if turn.hints and score is not None:
        label += f", {score:g} after {len(turn.hints)} hint{'s' if len(turn.hints) > 1 else ''}"
    return label + (UNSURE_MARK if grade.unsure else "")


def answer_card(turn: Turn, grade: Grade | None, deliveries: dict[int, Delivery] | None = None,
                strong_answer: list[str] | None = None) -> Group:
    """`deliveries`: how each spoken answer was said, by exchange index; `strong_answer`: the bank's key
    points, shown when the question was skipped or scored 1 or less and the grade has none of its own."""
    title = Text.assemble((f"Q{turn.position + 1} · {score_label(turn, grade)}", "bold reverse"), " ",
                          (turn.exchanges[0].prompt, "bold"))
    parts: list[RenderableType] = [title]
    answers = iter(highlighted_answers(turn, grade))
    for idx, exchange in enumerate(turn.exchanges):
        if exchange.kind == "follow_up":
            parts.append(Text.assemble(("Follow-up: ", "bold"), exchange.prompt))
            if exchange.hinted_red_flag:
                parts.append(Text(f"(That answer hinted at a red flag: {exchange.hinted_red_flag})", style="italic yellow"))
        if exchange.answer:
            parts.append(Text.assemble(("You: ", "bold cyan"), next(answers)))
            if delivery := (deliveries or {}).get(idx):
                parts += delivery_text(delivery)
    weak = turn.status == "skipped" or (grade is not None and grade.band <= 1)
    quotes = Quotes()
    if weak:  # what a strong answer says comes first, before the list of what this one missed
        if grade is not None and grade.key_points:
            parts += _section("A strong answer would say", [quotes.marked(k.status, k.area) for k in grade.key_points])
        elif strong_answer:
            parts += _section("A strong answer would say", [Text(f"• {point}") for point in strong_answer])
    if grade is None:
        return Group(*parts)
    if grade.unsure:
        parts += [Text(""), Text(unsure_line(grade), style="italic")]
    parts += _section("How the band was reached", [Text(f"• {step}") for step in grade.explanation])
    parts += _section("Where the model and the rule checks disagree", [Text(f"• {c}", style="yellow") for c in grade.conflicts])
    parts += _section("Areas to cover", [quotes.marked(a.status, a.area, a.evidence) for a in grade.areas])
    parts += _section("Misconceptions", [quotes.marked("missed", m.misconception, m.evidence) for m in grade.misconceptions])
    parts += _section("Checks", check_lines(grade, quotes))
    parts.append(Text(""))
    if grade.strength:
        parts.append(Text.assemble(("Strength: ", "bold green"), grade.strength))
    if grade.improvement:
        parts.append(Text.assemble(("Improve: ", "bold yellow"), grade.improvement))
    if grade.key_points and not weak:
        parts += _section("A strong answer would say", [quotes.marked(k.status, k.area) for k in grade.key_points])
    parts.append(Text(""))
    parts.append(Text(provenance_line(grade), style="dim"))
    return Group(*parts)


def delivery_text(delivery: Delivery) -> list[Text]:
    summary, *checks = delivery_lines(delivery)
    lines = [Text.assemble(("Spoken: ", "bold"), summary, style="dim")]
    for line in checks:
        lines.append(Text(f"  {line}", style="green" if line.startswith("✓") else "yellow"))
    return lines
