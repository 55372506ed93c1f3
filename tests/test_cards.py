"""`mockmle cards`: what the candidate missed as Anki cards, read back from the written .apkg and CSV files."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest

from conftest import play_session
from mockmle.app import data_home
from mockmle.app.cards import DECK_ID, MODEL_ID, NOTHING_YET, collect_cards, correction_for, render_apkg, write_cards
from mockmle.app.services import Services
from mockmle.errors import UsageError
from test_progress import WHY_TESTS_NO_GATES

WHY_TESTS = "applied-ml.why-tests"
BAGGING_ID = "technical.bagging-vs-boosting"
MIXED_UP = "Bagging mainly reduces bias and boosting mainly reduces variance"
STATED = f"{MIXED_UP}. Random forests are bagging."
GATES_POINT = "Model tests assert that a trained model beats a baseline"


def notes_of(path: Path) -> list[dict]:
    """The notes of a written .apkg: its zip holds the Anki collection, an SQLite file."""
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        data = archive.read("collection.anki2")
    copy = path.with_suffix(".anki2")
    copy.write_bytes(data)
    db = sqlite3.connect(copy)
    try:
        rows = db.execute("select guid, mid, tags, flds from notes order by id").fetchall()
        decks = json.loads(db.execute("select decks from col").fetchone()[0])
        card_decks = {d for (d,) in db.execute("select distinct did from cards")}
    finally:
        db.close()
    assert card_decks == {DECK_ID} and str(DECK_ID) in decks
    return [{"guid": guid, "model": mid, "tags": tags.split(), "front": flds.split("\x1f")[0],
             "back": flds.split("\x1f")[1]} for guid, mid, tags, flds in rows]


def csv_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    headers = [line for line in text.splitlines() if line.startswith("#")]
    assert headers[:3] == ["#separator:comma", "#html:false", "#columns:front,back,tags,guid"]
    body = "".join(line for line in io.StringIO(text) if not line.startswith("#"))
    return list(csv.reader(io.StringIO(body)))


def play_two(services: Services) -> tuple[str, str]:
    """The same two answers in two sessions: the tests answer misses the model-quality point, the bagging one
    states the bias/variance mix-up."""
    first = play_session(services, [WHY_TESTS, BAGGING_ID], [WHY_TESTS_NO_GATES, STATED]).session_id
    second = play_session(services, [WHY_TESTS], [WHY_TESTS_NO_GATES]).session_id
    return first, second


def test_the_deck_holds_a_note_per_missed_point_and_misconception(services):
    first, second = play_two(services)
    written = write_cards(services)
    assert written is not None and written.path == services.settings.cards_dir / "mockmle-cards.apkg"
    assert stat.S_IMODE(written.path.stat().st_mode) == 0o600
    notes = notes_of(written.path)
    assert len(notes) == written.count == len(collect_cards(services))
    assert len({n["guid"] for n in notes}) == len(notes), "one note per question and point"
    assert {n["model"] for n in notes} == {MODEL_ID}

    tests_question = services.bank.question(WHY_TESTS)
    gates = [n for n in notes if GATES_POINT in n["back"]]
    assert len(gates) == 1, "missed in both sessions, one card"
    assert tests_question.prompt in gates[0]["front"]
    area = gates[0]["front"].split("Area: ", 1)[1].split("<", 1)[0]
    assert area == "Model quality checks against agreed thresholds"
    assert f"session {second}" in gates[0]["back"], "the latest session's quote"
    assert "You said: \u201cthe parity test caught" in gates[0]["back"], "partly made: the quote is its evidence"
    began = [n for n in notes if "Your answer began:" in n["back"]]
    assert began and all(f"Your answer began: \u201c{STATED}\u201d" in n["back"] for n in began), "missed: no evidence"
    assert gates[0]["tags"] == ["mockmle", "mockmle::applied-ml", "mockmle::key-point"]

    covered = {k.area for g in services.store.get(first).grades.values() for k in g.key_points if k.status == "covered"}
    assert covered and not any(point in n["back"] for n in notes for point in covered)

    wrong = [n for n in notes if "mockmle::misconception" in n["tags"]]
    assert len(wrong) == 1 and f"What is wrong with: \u201c{MIXED_UP}\u201d?" in wrong[0]["front"]
    assert "A strong answer says:" in wrong[0]["back"] and "mainly reduces variance" in wrong[0]["back"]
    assert f"You said: \u201c{MIXED_UP}." in wrong[0]["back"]
    assert all(n["tags"][0] == "mockmle" for n in notes)


BOOSTING_WRONG = "Boosting cannot overfit because each new model corrects the previous ones"


def test_a_misconception_the_bank_corrects_gets_its_correction_on_the_back(services):
    question = services.bank.question(BAGGING_ID)
    correction = question.corrections[question.misconceptions.index(BOOSTING_WRONG)]
    play_session(services, [BAGGING_ID], ["Boosting can't overfit, because every new tree corrects the previous ones."])
    wrong = [c for c in collect_cards(services) if c.kind == "misconception"]
    assert [c.cue for c in wrong] == [BOOSTING_WRONG]
    assert wrong[0].back.startswith(f"It does not hold. What is true: {correction}\n\n")
    assert "A strong answer says:" not in wrong[0].back


def test_a_correction_is_found_by_the_listed_misconception_only(services):
    question = services.bank.question(BAGGING_ID)
    bare = question.model_copy(update={"corrections": []})
    assert correction_for(question, BOOSTING_WRONG.lower() + ".") == question.corrections[
        question.misconceptions.index(BOOSTING_WRONG)], "matched as the grade names it, case and stop aside"
    assert correction_for(bare, BOOSTING_WRONG) == ""
    assert correction_for(question, MIXED_UP) == "", "a contrast's misconception is not one of the question's"


def test_re_exporting_keeps_every_note_id(services):
    play_two(services)
    first = {n["guid"]: n for n in notes_of(write_cards(services).path)}
    play_session(services, [BAGGING_ID], [STATED + " Boosting trains its models in sequence."])
    again = {n["guid"]: n for n in notes_of(write_cards(services).path)}
    assert set(first) <= set(again), "a card already in Anki keeps its id, so importing updates it"
    assert len(again) == len(set(again))
    changed = [g for g in first if first[g]["back"] != again[g]["back"]]
    assert changed, "the newer session's quote replaces the older one on the same card"
    assert all(first[g]["front"] == again[g]["front"] for g in first)


def test_one_session_by_id_prefix(services):
    first, second = play_two(services)
    only_second = collect_cards(services, session_id=second[:5])
    assert only_second and {c.session_id for c in only_second} == {second}
    assert {c.question_id for c in only_second} == {WHY_TESTS}
    assert BAGGING_ID in {c.question_id for c in collect_cards(services, session_id=first)}
    with pytest.raises(UsageError, match="no session 'nope'"):
        collect_cards(services, session_id="nope")


def test_csv_has_the_same_cards_and_ids(services, tmp_path):
    play_two(services)
    apkg = {n["guid"]: n for n in notes_of(write_cards(services).path)}
    written = write_cards(services, fmt="csv", output=str(tmp_path / "out") + "/")
    assert written is not None and written.path == tmp_path / "out" / "mockmle-cards.csv"
    rows = csv_rows(written.path)
    assert all(len(row) == 4 for row in rows)
    assert {row[3] for row in rows} == set(apkg)
    gates = next(row for row in rows if GATES_POINT in row[1])
    assert gates[0].startswith(services.bank.question(WHY_TESTS).prompt + "\n\nArea: ")
    assert gates[2] == "mockmle mockmle::applied-ml mockmle::key-point"


def test_answers_are_escaped_in_the_deck_and_nothing_is_left_in_the_temporary_folder(services, tmp_path, monkeypatch):
    hostile = "<script>alert(1)</script> Tests only check speed & nothing else."
    play_session(services, [WHY_TESTS], [hostile])
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    path = tmp_path / "deck.apkg"
    path.write_bytes(render_apkg(collect_cards(services)))
    assert list(scratch.iterdir()) == [], "the collection holding the answers is removed once zipped"
    backs = [n["back"] for n in notes_of(path)]
    assert all("<script>" not in b for b in backs)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt; Tests only check speed &amp; nothing else." in b for b in backs)


def test_nothing_to_make_cards_from_writes_nothing(services):
    assert write_cards(services) is None
    play_session(services, [WHY_TESTS], [None])  # skipped: no grade, no card
    assert write_cards(services, fmt="csv") is None
    assert not services.settings.cards_dir.exists()


def test_wiping_the_data_home_deletes_the_cards(services):
    play_two(services)
    written = write_cards(services)
    assert data_home.describe_data(services).endswith("and 1 exported file"), "the deck is counted as an export"
    data_home.wipe_data(services)
    assert not written.path.exists() and not services.settings.cards_dir.exists()


# -- the command line


def test_cli_writes_cards_and_says_where(cli, tmp_path):
    empty = cli("cards")
    assert empty.returncode == 0 and empty.stdout.strip() == NOTHING_YET and empty.stderr == ""
    answers = tmp_path / "answers.txt"
    answers.write_text(f"{WHY_TESTS_NO_GATES}\n---\n{STATED}")
    played = cli("interview", "--question-ids", f"{WHY_TESTS},{BAGGING_ID}", "--follow-ups", "0",
                 "--answers-file", str(answers))
    assert played.returncode == 0, played.stderr

    result = cli("cards")
    assert result.returncode == 0, result.stderr
    path = cli.home / "cards" / "mockmle-cards.apkg"
    count = len(notes_of(path))
    assert result.stdout.strip() == f"Wrote {count} cards to {path}"

    session_id = json.loads(cli("sessions", "list", "--json").stdout)[0]["id"]
    out = tmp_path / "mine.csv"
    as_csv = cli("cards", "--format", "csv", "--session", session_id[:4], "--output", str(out))
    assert as_csv.returncode == 0, as_csv.stderr
    assert len(csv_rows(out)) == count and str(out) in as_csv.stdout
    named = tmp_path / "named.csv"  # the file's name chooses the format when --format is not given
    assert cli("cards", "--output", str(named)).returncode == 0
    assert len(csv_rows(named)) == count


def test_cli_bad_input_is_one_line(cli):
    unknown = cli("cards", "--session", "nope")
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr.strip().splitlines() == ["mockmle: error: no session 'nope' (see `mockmle sessions list`)"]
    bad_format = cli("cards", "--format", "pdf")
    assert bad_format.returncode == 2 and "invalid choice: 'pdf'" in bad_format.stderr
    assert "Traceback" not in unknown.stderr + bad_format.stderr


# -- the app


@pytest.mark.asyncio
async def test_progress_screen_writes_the_deck_and_says_where(services):
    from acceptance_app import notifications, saved_path
    from mockmle.tui.app import build_app
    from mockmle.tui.screens.progress import ProgressScreen

    play_two(services)
    app = build_app(services)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Cards for Anki" in titles, "the palette lists it"
        await pilot.press("a")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        path = saved_path(app, ".apkg")
        assert path == services.settings.cards_dir / "mockmle-cards.apkg"
        count = len(notes_of(path))
        assert any(message.endswith(f"mockmle-cards.apkg ({count} cards)") for message in notifications(app))


@pytest.mark.asyncio
async def test_with_nothing_missed_yet_the_app_says_so(services):
    from acceptance_app import notifications
    from mockmle.tui.app import build_app

    app = build_app(services)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("p", "a")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert NOTHING_YET in notifications(app)
        assert not services.settings.cards_dir.exists()
