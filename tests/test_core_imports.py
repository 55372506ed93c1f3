"""The headless core must never load the shell libraries."""

import pkgutil
import subprocess
import sys

import pytest

import mockmle.core

CORE_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(mockmle.core.__path__, prefix="mockmle.core.")
)
FORBIDDEN = ("textual", "openai", "sounddevice")


def test_core_has_modules():
    assert "mockmle.core.interview" in CORE_MODULES
    assert "mockmle.core.grading.offline" in CORE_MODULES


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_loads_no_shell_library(module):
    code = f"import sys, {module}; print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_do_not_import_heavy_modules(flag):
    code = (
        "import sys\nfrom mockmle.cli import main\n"
        f"try:\n    main([{flag!r}])\nexcept SystemExit:\n    pass\n"
        "print('LOADED:' + ','.join(m for m in ('textual', 'openai', 'pydantic', 'sqlite_utils') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "LOADED:"
