"""The parts of motcua import each other in one direction only (the contracts in .importlinter).

A part may import the layers below its own (platform ← domain ← processes ← faces) and no import cycle may form
between the parts, imports inside functions included. Running the contracts here makes `make test` fail on a
broken one, with import-linter's report of which import breaks which contract.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports() -> str:
    beside_python = Path(sys.executable).with_name("lint-imports")
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("lint-imports")
    if found is None:
        pytest.fail("lint-imports is missing: install the development dependencies (make install).")
    return found


def test_every_import_contract_is_kept():
    result = subprocess.run(
        [_lint_imports(), str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
