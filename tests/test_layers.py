"""The layers, kept by reading every module's imports (the ones that run, not those under TYPE_CHECKING).

    shells       mockmle.cli, mockmle.tui        talk to the application layer only
    application  mockmle.app                     the use cases; builds and holds the services
    services     store, llm, audio, semantic, evaluation, reporting
    core         mockmle.core                    the headless domain: no I/O library, no layer above it
    foundation   errors, settings, files, resources

tests/test_core_imports.py keeps the core free of Textual, OpenAI and sounddevice at run time; this file keeps
the direction of every import between the layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mockmle"
SHELLS = ("mockmle.cli", "mockmle.tui")
# What a shell may import besides itself: use cases, the domain's models, and the foundation.
# mockmle.evaluation is the judge's evaluation harness, a use case of its own (`mockmle calibrate`, `make eval`);
# mockmle.reporting draws the domain's models as text, Markdown and HTML and does no I/O.
SHELL_MAY_IMPORT = ("mockmle.app", "mockmle.core", "mockmle.errors", "mockmle.settings", "mockmle.reporting",
                    "mockmle.evaluation")
# The command line starts the app: `mockmle` with no command opens the TUI.
CLI_MAY_IMPORT = ("mockmle.tui.app",)
# What the core may import besides itself.
CORE_MAY_IMPORT = ("mockmle.errors", "mockmle.resources", "mockmle.files")
# Below the application layer nothing imports it or the shells.
ABOVE_SERVICES = ("mockmle.app", "mockmle.cli", "mockmle.tui")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every mockmle import that runs: module level or inside functions, not TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(child) for stmt in node.body for child in ast.walk(stmt)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "mockmle" else [f"mockmle.{a.name}" for a in node.names]
            found += [(node.lineno, name) for name in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return [(line, name) for line, name in found if name == "mockmle" or name.startswith("mockmle.")]


ROOT = ("mockmle", "mockmle.__version__")  # the package itself, which every layer may name


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


MODULES = sorted((module_name(p), p) for p in PACKAGE.rglob("*.py"))


def violations(rule) -> list[str]:
    return [f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
            for module, path in MODULES if module != "mockmle.__main__"  # the entry point, above every layer
            for line, name in runtime_imports(path) if name not in ROOT and rule(module, name)]


def test_the_walk_sees_the_package():
    names = {m for m, _ in MODULES}
    assert {"mockmle.cli", "mockmle.tui.app", "mockmle.app.runner", "mockmle.core.interview"} <= names
    sample = runtime_imports(PACKAGE / "app" / "runner.py")
    assert any(name == "mockmle.core.interview" for _, name in sample)


def test_the_shells_talk_to_the_application_layer_only():
    def breaks(module: str, name: str) -> bool:
        if not within(module, SHELLS):
            return False
        own = ".".join(module.split(".")[:2])
        allowed = (own, *SHELL_MAY_IMPORT, *(CLI_MAY_IMPORT if own == "mockmle.cli" else ()))
        return not within(name, allowed)

    assert violations(breaks) == []


def test_nothing_below_the_application_layer_imports_it_or_a_shell():
    def breaks(module: str, name: str) -> bool:
        return not within(module, ABOVE_SERVICES) and within(name, ABOVE_SERVICES)

    assert violations(breaks) == []


def test_the_core_imports_only_itself_and_the_foundation():
    def breaks(module: str, name: str) -> bool:
        return within(module, ("mockmle.core",)) and not within(name, ("mockmle.core", *CORE_MAY_IMPORT))

    assert violations(breaks) == []


@pytest.mark.parametrize("source, expected", [
    ("from mockmle.store import open_db\n", ["mockmle.store"]),
    ("def f():\n    import mockmle.llm.client\n", ["mockmle.llm.client"]),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from mockmle.store.sessions import SessionRecord\n", []),
    ("from mockmle import __version__\n", ["mockmle.__version__"]),
])
def test_runtime_imports_reads_what_runs(tmp_path, source, expected):
    module = tmp_path / "m.py"
    module.write_text(source)
    assert [name for _, name in runtime_imports(module)] == expected
