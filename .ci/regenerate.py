"""Re-run notebooks top to bottom and store their outputs: python .ci/regenerate.py [NOTEBOOK ...]

Uses the same environment as the tests (conftest.NOTEBOOK_ENV), so a second run gives no diff.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from conftest import NOTEBOOK_ENV  # noqa: E402


def main(notebooks: list[str]) -> None:
    paths = notebooks or sorted(str(p) for p in (ROOT / "notebooks").glob("*.ipynb"))
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--inplace",
        "--ExecutePreprocessor.kernel_name=python3",
        "--ExecutePreprocessor.record_timing=False",
        "--ExecutePreprocessor.store_widget_state=False",
        "--ExecutePreprocessor.timeout=600",
        *paths,
    ]
    subprocess.run(command, env={**os.environ, **NOTEBOOK_ENV}, check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
