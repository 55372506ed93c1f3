"""Reports a candidate can keep or share: the history or one session, as Markdown or a standalone HTML page.

`mockmle.app.reports.write_report` picks the one asked for and writes it; the modules here only render text.
"""
