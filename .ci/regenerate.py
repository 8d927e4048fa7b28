"""Re-run notebooks top to bottom and store their outputs: python .ci/regenerate.py [NOTEBOOK ...]

Uses the same environment as the tests (conftest.NOTEBOOK_ENV), so a second run gives no diff.
"""

import json
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
    for path in paths:
        coalesce_streams(Path(path))


def coalesce_streams(path: Path) -> None:
    """Join consecutive stdout (or stderr) chunks: how print output is split varies per run."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        merged = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and output["output_type"] == previous["output_type"] == "stream"
                and output["name"] == previous["name"]
            ):
                text = "".join(previous["text"]) + "".join(output["text"])
                previous["text"] = text.splitlines(keepends=True)
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged
    text = json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
