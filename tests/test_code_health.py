"""No function in src/ is more complex than pyproject's [tool.ruff.lint.mccabe] max-complexity (15).

Ruff's C901 rule enforces it in `make lint`; running it here makes the test suite fail too, listing each function
that is too complex. Neither a `# noqa` comment nor a per-file ignore exempts a function of src/: split it into
named steps instead.
"""

import json
import subprocess
from pathlib import Path

import pytest

from tests.dev_commands import dev_command

ROOT = Path(__file__).resolve().parent.parent


def _too_complex() -> dict[str, str]:
    """Each function of src/ above the limit, as "path:function" -> ruff's message with its line."""
    result = subprocess.run(
        [
            dev_command("ruff"),
            "check",
            "--select=C901",
            "--ignore-noqa",
            "--config=lint.per-file-ignores = {}",
            "--no-cache",
            "--output-format=json",
            "src",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode not in (0, 1):
        pytest.fail(f"ruff could not check the code:\n{result.stderr}")
    offenders = {}
    for finding in json.loads(result.stdout):
        path = Path(finding["filename"]).resolve().relative_to(ROOT).as_posix()
        function = finding["message"].split("`")[1]
        offenders[f"{path}:{function}"] = f"{path}:{finding['location']['row']}: {finding['message']}"
    return offenders


def test_no_function_in_src_is_more_complex_than_fifteen():
    offenders = sorted(_too_complex().values())
    assert not offenders, (
        "Split these functions into named steps (McCabe complexity at most 15):\n" + "\n".join(offenders)
    )
