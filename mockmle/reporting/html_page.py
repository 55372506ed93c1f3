"""The standalone HTML page both reports share: inline CSS, no script, nothing fetched from anywhere.

Helpers here take plain text and return HTML; every string that came from the user, the bank or a
model goes through `esc` exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from mockmle import __version__

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: #222; background: #fff; max-width: 62rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
p { margin: .3rem 0; }
ul { margin: .3rem 0 .6rem; padding-left: 1.4rem; }
.meta, .provenance, figcaption, footer, .note { color: #555; font-size: .9rem; }
.provenance { font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: .8rem; }
figure { margin: 0; border: 1px solid #e3e3e3; padding: .5rem; }
svg { max-width: 100%; height: auto; display: block; }
blockquote.answer { margin: .4rem 0 .8rem; padding: .5rem .8rem; border-left: 4px solid #9ab;
                    background: #f6f8fa; white-space: pre-wrap; }
.prompt { font-weight: 600; }
.band { font-size: 1rem; }
.unsure { color: #8a5a00; font-style: italic; }
.band .unsure { font-weight: normal; }
.mark { font-weight: 600; white-space: nowrap; }
.covered .mark, .pass .mark, .mark.covered { color: #17692c; }
.partly .mark, .mark.partly { color: #8a5a00; }
.missed .mark, .fail .mark, .mark.missed { color: #a11; }
article.question { border-top: 1px solid #ddd; margin-top: 1.5rem; }
.grade { margin-left: .2rem; }
.empty { padding: .8rem 1rem; background: #f7f7f7; border: 1px dashed #bbb; }
footer { margin-top: 3rem; border-top: 1px solid #ddd; padding-top: .5rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2, h3 { break-after: avoid; }
  figure, tr, section.area, .grade { break-inside: avoid; }
  blockquote.answer { background: none; }
}
"""

MARKS = {"covered": "\u2713 covered", "partly": "~ partly", "missed": "\u2717 missed"}


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def page(title: str, body: Iterable[str]) -> str:
    """A whole HTML5 document around `body` (already HTML)."""
    return "\n".join([
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="mockmle ' + esc(__version__) + '">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        *body,
        footer(),
        "</body>",
        "</html>",
        "",
    ])


def footer() -> str:
    return ("<footer>Written by mockmle. This page is self-contained: it works offline and holds no "
            "settings or keys.</footer>")


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """`headers` are plain text; each row's cells are HTML already. `numeric`: columns aligned right."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
                        for i, cell in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def bullet_list(items: Iterable[str]) -> str:
    """Items are HTML already; an empty list gives an empty string."""
    rendered = "".join(f"<li>{item}</li>" for item in items)
    return f"<ul>{rendered}</ul>" if rendered else ""
