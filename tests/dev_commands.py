"""The development commands some tests run (ruff, lint-imports), found as `make install` puts them."""

import shutil
import sys
from pathlib import Path

import pytest


def dev_command(name: str) -> str:
    """The path of the command `name` installed beside this Python (the project's .venv), else on PATH; the
    calling test fails, saying how to install it, when it is nowhere."""
    beside_python = Path(sys.executable).with_name(name)
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the development dependencies (make install).")
    return found
