"""Re-run notebooks top to bottom and store their outputs: python .ci/regenerate.py [NOTEBOOK ...]

Uses the same environment as the tests (conftest.NOTEBOOK_ENV), so a second run gives no diff.
After the run it also
- copies each diagram `notebooks/figures/<name>.png` into the Markdown cells that show it
  (`![...](attachment:<name>.png)`), so the .ipynb file alone displays it everywhere;
- collapses exercise solutions (code cells whose first line is `# @title Solution...`);
- rewrites absolute paths in stored tracebacks to short relative ones.
`--no-execute` does only these three steps (quick, after editing Markdown).
"""

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "notebooks" / "figures"
sys.path.insert(0, str(ROOT))
from conftest import NOTEBOOK_ENV  # noqa: E402

ATTACHMENT = re.compile(r"\(attachment:([\w.-]+\.png)\)")
SOLUTION_PREFIX = "# @title Solution"


def main(args: list[str]) -> None:
    execute = "--no-execute" not in args
    notebooks = [a for a in args if a != "--no-execute"]
    paths = notebooks or sorted(str(p) for p in (ROOT / "notebooks").glob("*.ipynb"))
    if execute:
        run_notebooks(paths)
    for path in paths:
        tidy(Path(path))


def run_notebooks(paths: list[str]) -> None:
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


def tidy(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            attach_figures(cell, source)
        if cell["cell_type"] == "code":
            cell["outputs"] = coalesce_streams(cell["outputs"])
            for output in cell["outputs"]:
                if output["output_type"] == "error":
                    output["traceback"] = [relative_paths(line) for line in output["traceback"]]
            hide_solution(cell, source)
    text = json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def attach_figures(cell: dict, source: str) -> None:
    """Embed every PNG the cell refers to as attachment:<name>.png, and nothing else."""
    names = ATTACHMENT.findall(source)
    if not names:
        cell.pop("attachments", None)
        return
    cell["attachments"] = {
        name: {"image/png": base64.b64encode((FIGURES / name).read_bytes()).decode("ascii")}
        for name in names
    }


def hide_solution(cell: dict, source: str) -> None:
    """Collapse a solution's code in JupyterLab (Colab's form view reads the @title line)."""
    jupyter = cell["metadata"].setdefault("jupyter", {})
    if source.startswith(SOLUTION_PREFIX):
        jupyter["source_hidden"] = True
    else:
        jupyter.pop("source_hidden", None)
    if not jupyter:
        del cell["metadata"]["jupyter"]


# A path in a traceback line starts after a space, a quote, a bracket or an ANSI colour code
# (IPython colours its tracebacks), and runs up to the next such character. Absolute
# (/home/ada/venv/...) or relative (.venv/...): both give way to one placeholder.
PATH_START = r"(^|[\s\"'(\[]|\x1b\[[0-9;]*m)"
PATH_BODY = r"(?:[^\s\"'()\x1b]*[/\\])?"
SITE_PACKAGES = re.compile(PATH_START + PATH_BODY + r"site-packages[/\\]", re.M)
PYTHON_LIB = re.compile(PATH_START + PATH_BODY + r"lib[/\\]python3\.\d+[/\\]", re.M)


def relative_paths(line: str) -> str:
    """Machine paths in a traceback line -> paths relative to the repository or site-packages.

    '/home/ada/proj/.venv/lib/python3.12/site-packages/torch/nn.py' -> '<site-packages>/torch/nn.py'
    """
    # site-packages first: an environment inside the repository must not keep its name
    line = SITE_PACKAGES.sub(r"\1<site-packages>/", line)
    line = PYTHON_LIB.sub(r"\1<python>/", line)
    line = line.replace(str(ROOT) + os.sep, "")
    return re.sub(r"/tmp/ipykernel_\d+/\d+\.py", "<cell>", line)


def coalesce_streams(outputs: list[dict]) -> list[dict]:
    """Join consecutive stdout (or stderr) chunks: how print output is split varies per run."""
    merged = []
    for output in outputs:
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
    return merged


if __name__ == "__main__":
    main(sys.argv[1:])
