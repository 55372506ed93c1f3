"""mockmle: practise machine-learning-engineer interviews in the terminal.

The package is layered; each layer imports only those below it (tests/test_layers.py):

    cli/, tui/                         shells: parse input, draw, call the application layer
    app/                               use cases (an interview, a report, a drill, doctor, ...) and the services
    store/ llm/ audio/ semantic/       services: SQLite, the model server, voice, the meaning model,
    reporting/ evaluation/             rendering, the judge's evaluation harness
    core/                              the headless domain: bank, interview machine, grading, scorecard
    errors.py settings/ files.py       foundation: the error tree, the settings, private files, packaged data
    resources.py
"""

__version__ = "0.1.0"
