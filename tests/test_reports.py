"""`mockmle report`: standalone HTML and Markdown reports of the history or of one session."""

from __future__ import annotations

import itertools
import json
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mockmle.app.progress_view import build_progress
from mockmle.app.reports import render_report, write_report
from mockmle.app.runner import InterviewRunner
from mockmle.app.services import Services
from mockmle.core.interview import Answer, build_plan
from mockmle.core.progress_models import Point
from mockmle.errors import UsageError
from mockmle.reporting.markdown import sparkline, text_bar
from mockmle.reporting.svg import Bar, level_chart, score_bars
from mockmle.settings import Settings
from mockmle.store import open_db
from mockmle.store.sessions import SessionStore

CALIBRATION = {row["id"]: row for row in map(json.loads, Path(__file__).with_name("data").joinpath(
    "calibration.jsonl").read_text().splitlines())}
STRONG_WHY_TESTS = CALIBRATION["cal-034"]["answer"]
STRONG_BAGGING = CALIBRATION["cal-006"]["answer"]
QUESTIONS = "applied-ml.why-tests,technical.bagging-vs-boosting"
HOSTILE = "Tests catch bugs in feature code <script>alert(1)</script> & data pipelines | before release."
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SVG_SELF_CLOSING = {"line", "polyline", "rect", "circle", "path"}


# -- helpers


class StrictHTML(HTMLParser):
    """Collects tags and fails on a tag closed out of order: html.parser itself forgives everything."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.doctype = ""
        self.errors: list[str] = []

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID and tag not in SVG_SELF_CLOSING:
            self.errors.append(f"<{tag}/> is not a void element")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def parse_page(text: str) -> StrictHTML:
    parser = StrictHTML()
    parser.feed(text)
    parser.close()
    assert parser.doctype.lower() == "doctype html"
    assert not parser.errors, parser.errors[:5]
    assert parser.stack == [], f"unclosed: {parser.stack}"
    assert ("meta", {"charset": "utf-8"}) in parser.tags
    return parser


def assert_standalone(text: str) -> None:
    """Viewable offline: nothing fetched, nothing run."""
    lowered = text.lower()
    for forbidden in ("http://", "https://", "src=", "<script", "<link", "url(", "@import", "<iframe", "<img",
                      "<object", "javascript:"):
        assert forbidden not in lowered, forbidden
    assert not re.search(r"<[^>]*\son[a-z]+=", lowered), "an inline event handler"


def write_answers(tmp_path: Path, *answers: str) -> Path:
    path = tmp_path / "answers.txt"
    path.write_text("\n---\n".join(answers) + "\n")
    return path


def play(cli, tmp_path: Path, *answers: str) -> str:
    """A scripted interview through the real command line; returns the session id."""
    result = cli("interview", "--question-ids", QUESTIONS, "--follow-ups", "0",
                 "--answers-file", str(write_answers(tmp_path, *answers)), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["session_id"]


def polyline_points(svg: str) -> list[tuple[float, float]]:
    points = re.search(r'<polyline points="([^"]*)"', svg).group(1)
    return [tuple(map(float, pair.split(","))) for pair in points.split()]


class Clock:
    def __init__(self, now: str):
        self.now = now

    def __call__(self) -> str:
        return self.now


@pytest.fixture
def history(tmp_path) -> Services:
    """Four sessions on four days, the answers improving: a series with a point per day."""
    clock = Clock("2026-10-01T09:00:00+00:00")
    services = Services(Settings(home=tmp_path / "home"))
    ids = (f"s{n}" for n in itertools.count(1))
    services.store = SessionStore(open_db(services.settings.db_path), clock=clock, new_id=lambda: next(ids))
    days = ["2026-10-01", "2026-10-04", "2026-10-12", "2026-10-20"]
    why_tests = ["Tests are good.", HOSTILE, STRONG_WHY_TESTS, STRONG_WHY_TESTS]
    bagging = ["Bagging averages trees.", "Bagging averages trees.", STRONG_BAGGING, STRONG_BAGGING]
    for day, first, second in zip(days, why_tests, bagging, strict=True):
        clock.now = f"{day}T09:00:00+00:00"
        plan = build_plan(services.bank, question_ids=QUESTIONS.split(","), max_follow_ups=0)
        runner = InterviewRunner.create(services, plan)
        runner.handle_grading(runner.start())
        runner.handle_grading(runner.send(Answer(text=first, seconds=60)))
        runner.handle_grading(runner.send(Answer(text=second, seconds=60)))
        runner.report()
    return services


# -- the charts and text bars on their own


def test_level_chart_draws_every_point_on_a_0_to_4_scale_between_its_dates():
    series = [Point(date="2026-10-01", level=0.0, answers=1), Point(date="2026-10-03", level=2.0, answers=2),
              Point(date="2026-10-11", level=4.0, answers=1)]
    svg = level_chart("Fundamentals <b>&</b>", series)
    points = polyline_points(svg)
    assert len(points) == 3 == svg.count("<circle")
    xs, ys = [x for x, _ in points], [y for _, y in points]
    assert xs[0] < xs[1] < xs[2] and (xs[1] - xs[0]) * 4 == pytest.approx(xs[2] - xs[1])  # spaced by days
    assert ys[0] > ys[1] > ys[2]  # level 0 at the bottom, 4 at the top
    gridlines = re.findall(r'<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="\1"', svg)
    bottom, top = ys[0], ys[2]
    assert sorted(map(float, gridlines)) == pytest.approx(sorted(bottom + (top - bottom) * k / 4 for k in range(5)))
    labels = re.findall(r">([^<>]+)</text>", svg)
    assert labels == ["0", "1", "2", "3", "4", "2026-10-01", "2026-10-11"]
    assert "<b>" not in svg and "Fundamentals &lt;b&gt;&amp;&lt;/b&gt;" in svg
    assert_standalone(svg)


def test_level_chart_with_one_point_or_none():
    svg = level_chart("One", [Point(date="2026-10-01", level=3.0, answers=1)])
    assert len(polyline_points(svg)) == 1 and svg.count("<circle") == 1
    assert re.findall(r">(\d{4}-\d\d-\d\d)</text>", svg) == ["2026-10-01"]
    assert level_chart("None", []) == ""


def test_score_bars_are_proportional_to_the_score_and_escaped():
    svg = score_bars("Scores", [Bar("A <i>", 4), Bar("B", 1), Bar("C", 0)])
    widths = [float(w) for w in re.findall(r'<rect class="bar" x="0" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths[0] == 4 * widths[1] and len(widths) == 2  # 0 draws no bar
    assert "A &lt;i&gt;" in svg and "<i>" not in svg
    assert re.findall(r">(\d\.\d/4)</text>", svg) == ["4.0/4", "1.0/4", "0.0/4"]
    assert score_bars("Nothing", []) == ""


def test_sparkline_and_text_bar():
    assert sparkline([0, 2, 4]) == "\u2581\u2585\u2588"
    assert sparkline([-1, 9]) == "\u2581\u2588"
    assert text_bar(2) == "\u2588" * 4 + "\u2591" * 4


# -- the history


def test_history_html_is_standalone_with_a_line_chart_per_competency(history):
    progress = build_progress(history.store.progress, history.bank)
    page = render_report(history, "html").content
    parse_page(page)
    assert_standalone(page)
    charts = re.findall(r'<svg class="level-chart".*?</svg>', page, re.S)
    with_data = [c for c in progress.competencies if c.series]
    assert len(charts) == len(with_data) >= 3
    for competency, chart in zip(with_data, charts, strict=True):
        assert escape(competency.name) in chart
        assert len(polyline_points(chart)) == len(competency.series) == 4
        assert competency.series[0].date in chart and competency.series[-1].date in chart
    for competency in progress.competencies:
        level = f"{competency.level:.1f} \u00b1{competency.spread:.1f}"
        assert f'<td>{escape(competency.name)}</td><td class="num">{level}</td>' in page
    weakest = progress.weakest[0]
    assert escape(weakest.area) in page and escape(weakest.key_points[0]) in page
    assert all(f"<td>{e.session_id}</td>" in page for e in weakest.evidence)
    for session_id in ("s1", "s2", "s3", "s4"):
        assert f"<td>{session_id}</td>" in page
    assert "<script" not in page and "alert(1)" not in page  # answers are not part of the history page


def test_history_markdown_has_a_sparkline_per_competency_and_the_weakest_areas(history):
    progress = build_progress(history.store.progress, history.bank)
    text = render_report(history, "md").content
    assert text.startswith("# mockmle progress report\n")
    for competency in progress.competencies:
        line = next(line for line in text.splitlines() if line.startswith(f"| {competency.name} |"))
        spark = sparkline([p.level for p in competency.series])
        assert len(spark) == 4 and line.endswith(f"| `{spark}` |")
    assert "\u2581" in text and "\u2588" in text  # the answers went from nothing to strong
    assert "## Weakest areas" in text and f"### 1. {progress.weakest[0].area}" in text
    assert "Key points to learn:" in text and f"- {progress.weakest[0].key_points[0]}" in text
    assert "| s4 |" in text


def test_empty_history_still_makes_a_valid_page_and_markdown(cli):
    result = cli("report")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == cli.home / "reports" and re.fullmatch(r"mockmle-history-\d{4}-\d\d-\d\d\.html", path.name)
    page = path.read_text()
    parse_page(page)
    assert_standalone(page)
    assert "No graded answers yet" in page and "<svg" not in page
    markdown = cli("report", "--format", "md", "--output", "-")
    assert markdown.returncode == 0 and "No graded answers yet" in markdown.stdout


def test_the_output_file_name_chooses_the_format_unless_it_is_given(cli, tmp_path):
    assert cli("report", "--output", str(tmp_path / "history.md")).returncode == 0
    assert (tmp_path / "history.md").read_text().startswith("# ")
    assert cli("report", "--output", str(tmp_path / "history.html")).returncode == 0
    assert (tmp_path / "history.html").read_text().startswith("<!doctype html>")
    assert cli("report", "--format", "html", "--output", str(tmp_path / "page.md")).returncode == 0
    assert (tmp_path / "page.md").read_text().startswith("<!doctype html>")


# -- one session


def test_session_html_shows_every_answer_grade_and_the_scorecard_with_bars(cli, tmp_path):
    session_id = play(cli, tmp_path, HOSTILE, STRONG_BAGGING)
    result = cli("report", "--session", session_id[:4])
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path == cli.home / "reports" / f"mockmle-session-{session_id}.html"
    page = path.read_text()
    parse_page(page)
    assert_standalone(page)
    data = json.loads(cli("sessions", "show", session_id, "--json").stdout)
    for turn in data["turns"]:
        assert escape(turn["question"]) in page
        assert f"Band {turn['grade']['band']}/4" in page
        for area in turn["grade"]["areas"]:
            assert escape(area["area"]) in page
    assert escape(STRONG_BAGGING.strip()) in page
    assert "graded by the offline judge" in page
    assert escape(HOSTILE) in page and "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    report = data["report"]
    assert f"Hiring recommendation: {report['recommendation']['level']}" in page
    bars = re.findall(r'<svg class="score-bars".*?</svg>', page, re.S)
    assert len(bars) == sum(1 for card in report["scorecards"]
                            if any(row["score"] for row in card["competencies"] + card["outcomes"]))
    for card in report["scorecards"]:
        assert f"Scorecard: {escape(card['title'])}" in page
    scored = [row for card in report["scorecards"] for row in card["competencies"] + card["outcomes"]
              if row["mean"] is not None]
    widths = [float(w) for w in re.findall(r'<rect class="bar" x="0" y="[\d.]+" width="([\d.]+)"', "".join(bars))]
    assert widths == pytest.approx([round(row["mean"], 1) * 100 for row in scored if round(row["mean"], 1)])
    for row in scored:
        assert f">{row['mean']:.1f}/4</text>" in page


def test_session_markdown_is_the_export_with_text_bars(cli, tmp_path):
    session_id = play(cli, tmp_path, STRONG_WHY_TESTS, STRONG_BAGGING)
    result = cli("report", "--format", "md", "--session", session_id, "--output", "-")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith(f"# mockmle session {session_id}\n")
    assert "## Question 1:" in text and "## Question 2:" in text and "#### Band" in text
    assert "## Competency scores" in text and re.search(r"\u2588+\u2591* [0-4]\.\d/4", text)
    assert not (cli.home / "reports").exists()


def test_unknown_session_is_one_line_and_exit_2(cli, tmp_path):
    play(cli, tmp_path, STRONG_WHY_TESTS, "/skip")
    result = cli("report", "--session", "nope")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "nope" in result.stderr and result.stdout == ""


def test_ambiguous_session_prefix_is_a_usage_error(tmp_path):
    services = Services(Settings(home=tmp_path / "home"))
    ids = iter(["ab1", "ab2"])
    services.store = SessionStore(open_db(services.settings.db_path), new_id=lambda: next(ids))
    for _ in range(2):
        InterviewRunner.create(services, build_plan(services.bank, question_ids=["technical.bias-variance"]))
    with pytest.raises(UsageError, match="ambiguous"):
        write_report(services, fmt="html", session_id="ab", output=None)
    unfinished = render_report(services, "html", "ab1")
    assert unfinished.file_name == "mockmle-session-ab1.html"
    parse_page(unfinished.content)
    assert "not finished" in unfinished.content and "mockmle sessions resume ab1" in unfinished.content
    assert "mockmle sessions resume ab2" in render_report(services, "md", "ab2").content


# -- where it goes, and what it never holds


def test_output_path_and_stdout(cli, tmp_path):
    play(cli, tmp_path, STRONG_WHY_TESTS, STRONG_BAGGING)
    target = tmp_path / "mine.html"
    result = cli("report", "--output", str(target))
    assert result.returncode == 0 and result.stdout.strip() == str(target)
    parse_page(target.read_text())
    printed = cli("report", "--output", "-")
    assert printed.returncode == 0 and printed.stdout.startswith("<!doctype html>")
    assert printed.stdout.rstrip().endswith("</html>")
    assert not (cli.home / "reports").exists()
    missing = cli("report", "--output", str(tmp_path / "no-such-folder" / "x.html"))
    assert missing.returncode == 1 and "cannot write the report" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_reports_never_include_keys_or_settings(cli, tmp_path):
    session_id = play(cli, tmp_path, STRONG_WHY_TESTS, STRONG_BAGGING)
    (cli.home / "config.toml").write_text('[llm]\napi_key = "sk-file-SECRET"\nbase_url = "http://10.9.9.9:1234/v1"\n')
    env = {"OPENAI_API_KEY": "sk-test-SECRET", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    outputs = []
    for fmt in ("html", "md"):
        for which in ((), ("--session", session_id)):
            printed = cli("report", "--format", fmt, *which, "--output", "-", env=env)
            written = cli("report", "--format", fmt, *which, env=env)
            assert printed.returncode == 0 and written.returncode == 0, printed.stderr + written.stderr
            outputs += [printed.stdout, Path(written.stdout.strip()).read_text()]
    for text in outputs:
        for secret in ("SECRET", "127.0.0.1", "10.9.9.9", str(cli.home), str(tmp_path)):
            assert secret not in text
        assert "http://" not in text and "https://" not in text


def test_a_fallback_reason_naming_the_model_server_is_hidden(tmp_path):
    services = Services(Settings(home=tmp_path / "home"))
    runner = InterviewRunner.create(services, build_plan(services.bank, question_ids=["technical.bias-variance"],
                                                         max_follow_ups=0))
    runner.handle_grading(runner.start())
    runner.handle_grading(runner.send(Answer(text="Bias underfits, variance overfits.", seconds=30)))
    grade = runner.grade(0)
    reason = "could not reach the model at http://192.0.2.7:8080/v1"
    fallback = grade.model_copy(update={
        "provenance": grade.provenance.model_copy(update={"fallback": True, "fallback_reason": reason}),
        "explanation": [f"graded offline: {reason}", *grade.explanation]})
    services.store.save_grade(runner.session_id, 0, fallback, float(fallback.band))
    for fmt in ("html", "md"):
        text = render_report(services, fmt, runner.session_id).content
        assert "192.0.2.7" not in text and "http://" not in text
        assert "could not reach the model at [address hidden]" in text


def test_every_view_gives_each_competency_one_number_and_folds_the_unassessed(cli, tmp_path):
    """The mean with one decimal in the CLI's end of interview, `sessions show`, the Markdown and HTML reports."""
    result = cli("interview", "--question-ids", QUESTIONS, "--follow-ups", "0",
                 "--answers-file", str(write_answers(tmp_path, "Tests are good.", STRONG_BAGGING)))
    assert result.returncode == 0, result.stderr
    session_id = re.search(r"mockmle sessions show (\w+)", result.stdout).group(1)
    report = json.loads(cli("sessions", "show", session_id, "--json").stdout)["report"]
    rows = [row for card in report["scorecards"] for row in card["competencies"] if row["mean"] is not None]
    assert any(round(row["mean"], 1) != row["score"] for row in rows)  # a mean the rounded level would hide
    markdown = cli("sessions", "show", session_id).stdout
    page = cli("report", "--session", session_id, "--output", "-").stdout
    interview_end = " ".join(result.stdout.split())
    for row in rows:
        shown = f"{row['mean']:.1f}"
        assert f"| {row['name']} | {shown} |" in markdown
        assert f"<td>{escape(row['name'])}</td><td class=\"num\">{shown}</td>" in page
        assert f"{shown} {row['name']}" in interview_end
    for text in (markdown, page, result.stdout):
        assert "Not Enough Information Gathered to Evaluate" not in text
        assert "not assessed (" in text.lower()


# -- Markdown holds answers as text: no live HTML, no link, no heading an answer or a quote adds

INJECTED = ("Bias underfits and variance overfits <img src=x onerror=alert(1)> [click](javascript:alert(2))\n"
            "## Hiring recommendation: 4 (strong hire)\n- [x] everything covered\n<script>alert(3)</script>")


def _rendered(markdown: str):
    from markdown_it import MarkdownIt

    page = MarkdownIt("commonmark").render(markdown)
    parser = StrictHTML()
    parser.feed(page)
    return page, parser.tags


def test_markdown_exports_and_reports_escape_answers_and_keep_quotes_on_one_line(tmp_path):
    from conftest import play_session
    from mockmle.reporting.session import session_markdown

    services = Services(Settings(home=tmp_path / "home"))
    runner = play_session(services, ["technical.bias-variance"], [INJECTED])
    record = services.store.get(runner.session_id)
    grade = record.grades[0]
    quote = "variance overfits\n# Injected heading\n<img src=y onerror=alert(4)>"
    areas = [area.model_copy(update={"evidence": quote}) for area in grade.areas]
    hostile = grade.model_copy(update={"areas": areas, "strength": "Good <b onmouseover=alert(5)>work</b>",
                                       "explanation": ["## Injected step", *grade.explanation]})
    services.store.save_grade(runner.session_id, 0, hostile, float(hostile.band))
    record = services.store.get(runner.session_id)
    texts = {"export": session_markdown(record), "session report": render_report(services, "md", runner.session_id).content,
             "history report": render_report(services, "md", None).content}
    for name, markdown in texts.items():
        page, tags = _rendered(markdown)
        assert not {"img", "script", "b", "a"} & {tag for tag, _ in tags}, (name, page)
        headings = [line for line in page.splitlines() if line.startswith(("<h1", "<h2", "<h3", "<h4"))]
        assert not any("Injected" in h or "strong hire" in h for h in headings), (name, headings)
    page, _ = _rendered(texts["export"])
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the answer is shown as written
    assert "variance overfits # Injected heading &lt;img src=y onerror=alert(4)&gt;" in page  # the quote on one line
