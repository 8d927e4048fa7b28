"""Lint is part of the test command: ruff over the helpers, tests, benchmarks and notebooks."""

import shutil
import subprocess
import sys

import pytest

from helpers.paths import REPO_ROOT


def test_ruff_check_and_format_find_nothing():
    if (
        shutil.which("ruff") is None
        and subprocess.run(
            [sys.executable, "-m", "ruff", "--version"], capture_output=True
        ).returncode
    ):
        pytest.fail("ruff is not installed: pip install -r requirements.txt")
    for command in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command], cwd=REPO_ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
