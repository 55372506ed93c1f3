"""Later takes ("try again") in a session's exports and reports: the JSON's `takes`, the Markdown export, and the
Markdown and HTML reports, with a real SQLite data home and the offline judge."""

from __future__ import annotations

import json
import re

import pytest

from conftest import play_session
from mockmle.app.reports import render_report
from mockmle.app.retry import retry
from mockmle.app.services import Services
from mockmle.core.safe_text import markdown_lines
from mockmle.reporting.privacy import without_addresses
from mockmle.reporting.session import session_data, session_markdown
from mockmle.reporting.text import when
from mockmle.settings import Settings
from test_retry import BIAS, WEAK, WHY_TESTS
from test_retry import STRONG as PLAIN_STRONG

# The strong take carries markup that every export must escape.
STRONG = PLAIN_STRONG + " <script>alert(1)</script> *not emphasis*\n# not a heading"
NOW = "2026-12-01T10:00:00+00:00"


@pytest.fixture
def services(tmp_path):
    return Services(Settings(home=tmp_path / "home", meaning=False))


def exports(services, session_id: str) -> tuple[dict, str, str, str]:
    record = services.store.get(session_id)
    return (session_data(record), session_markdown(record), render_report(services, "md", session_id, NOW).content,
            render_report(services, "html", session_id, NOW).content)


def test_a_take_is_listed_after_the_first_grade_with_the_improvement(services):
    session = play_session(services, [BIAS, WHY_TESTS], [WEAK, WEAK]).session_id
    data_before, markdown_before, report_before, html_before = exports(services, session)
    result = retry(services, session, 1, STRONG)
    take = services.store.attempts.list(session)[0]
    data, markdown, report, html = exports(services, session)

    first, now = result.first.band, result.now.band
    assert now > first
    improvement = f"Improvement: first take {first}/4 \u2192 take 2 {now}/4 (+{now - first})"
    assert data["turns"][0]["takes"] == [{"attempt": 2, "created_at": take.created_at, "answer": STRONG,
                                          "band": now, "grade": result.now.model_dump()}]
    assert data["turns"][1]["takes"] == [] == data_before["turns"][0]["takes"]
    json.dumps(data)  # the export is JSON
    for turn, turn_before in zip(data["turns"], data_before["turns"], strict=True):
        turn.pop("takes")
        turn_before.pop("takes")
    assert data == data_before  # the first take, its grade and the scorecard stay as they were

    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in markdown_lines(STRONG))
    block = f"#### Tried again\n\n{improvement}\n\n**Take 2 ({when(take.created_at)}): band {now}/4**\n\n{quoted}\n\n"
    for text, before in ((markdown, markdown_before), (report, report_before)):
        assert block in text
        assert text.index(block) < text.index("## Question 2")  # under question 1, after its grade
        assert text.replace(block, "") == before
        assert "&lt;script&gt;" in text and "<script>" not in text and "\\*not emphasis\\*" in text
        assert "> \\# not a heading" in text and "\n# not a heading" not in text

    assert "Tried again</h3>" in html and improvement in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    section = re.search(r'<section class="tried-again" id="q1-tried-again">.*?</section>', html, re.S)
    assert section and html.index(section.group()) < html.index('id="q2"')
    assert html.replace(section.group(), "") == html_before


def test_a_session_without_takes_renders_as_before(services):
    tried = play_session(services, [BIAS], [WEAK]).session_id
    untouched = play_session(services, [BIAS, WHY_TESTS], [WEAK, None]).session_id
    before = exports(services, untouched)
    retry(services, tried, 1, STRONG)
    after = exports(services, untouched)

    assert after == before
    data, markdown, report, html = after
    assert [turn["takes"] for turn in data["turns"]] == [[], []]
    assert all("Tried again" not in text for text in (markdown, report, html))


def test_a_practice_summary_names_the_takes_when_shown_and_keeps_its_stored_report(services):
    session = play_session(services, [BIAS, WHY_TESTS], [WEAK, WEAK], kind="drill").session_id
    stored = services.store.get(session).report
    assert stored is not None and stored.practice is not None
    result = retry(services, session, 1, STRONG)
    retry(services, session, 1, WEAK)  # the latest take is the one the summary names
    record = services.store.get(session)
    latest = services.store.attempts.list(session)[-1].grade.band

    assert record.report == stored
    line = f"Q1 {result.first.band} \u2192 {latest}"
    markdown = session_markdown(record)
    practice = markdown[markdown.index(f"## {stored.practice.title}"):]
    assert f"Tried again:\n\n- {line}\n" in practice
    html = render_report(services, "html", session, NOW).content
    section = re.search(r'<section id="practice">.*?</section>', html, re.S)
    assert section and f"<strong>Tried again</strong></p><ul><li>{line}</li></ul>" in section.group()

    plain = play_session(services, [BIAS], [WEAK], kind="drill").session_id
    assert "Tried again" not in session_markdown(services.store.get(plain))



def test_a_report_reads_a_takes_grade_without_the_server_address(services):
    runner = play_session(services, [BIAS], [WEAK])
    first = runner.grades[0]
    fell_back = first.model_copy(update={"provenance": first.provenance.model_copy(update={
        "fallback": True, "fallback_reason": "cannot reach http://10.0.0.5:8000/v1"})})
    services.store.attempts.save(runner.session_id, 0, STRONG, fell_back)

    assert "http://10.0.0.5" in json.dumps(session_data(services.store.get(runner.session_id)))  # stored as said
    (take,) = without_addresses(services.store.get(runner.session_id)).attempts[0]  # what a report renders
    assert take.grade.provenance.fallback_reason == "cannot reach [address hidden]"
