"""The parts of motcua import each other in one direction only (the contracts in .importlinter).

A part may import the layers below its own (platform ← domain ← processes ← faces) and no import cycle may form
between the parts, imports inside functions included. Running the contracts here makes `make test` fail on a
broken one, with import-linter's report of which import breaks which contract.
"""

import subprocess
from pathlib import Path

from tests.dev_commands import dev_command

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_contract_is_kept():
    result = subprocess.run(
        [dev_command("lint-imports"), str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
