"""--output's file name chooses the format of a report or a deck when --format is not given."""

from mockmle.app.output_format import format_for


def test_the_extension_names_the_format_among_those_offered():
    assert format_for("history.md", ("md", "html"), "html") == "md"
    assert format_for("History.MARKDOWN", ("md", "html"), "html") == "md"
    assert format_for("deck.csv", ("apkg", "csv"), "apkg") == "csv"
    assert format_for("page.htm", ("md", "html"), "md") == "html"


def test_anything_else_gets_the_default():
    assert format_for(None, ("md", "html"), "html") == "html"
    assert format_for("-", ("md", "html"), "html") == "html"
    assert format_for("reports/", ("md", "html"), "html") == "html"
    assert format_for("notes.txt", ("md", "html"), "html") == "html"
    assert format_for("deck.md", ("apkg", "csv"), "apkg") == "apkg"  # a format this command does not write
