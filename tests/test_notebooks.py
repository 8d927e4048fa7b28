"""Notebook hygiene that strict nbval cannot see, and the Colab set-up in one place."""

import base64
import re
import sys

import pytest
from notebook_tools import NOTEBOOKS, cells

from helpers.paths import NOTEBOOKS_DIR, REPO_ROOT

FIGURES_DIR = NOTEBOOKS_DIR / "figures"
ATTACHMENT = re.compile(r"\(attachment:([\w.-]+\.png)\)")
SOLUTION_PREFIX = "# @title Solution"

IGNORE_TAGS = {"nbval-ignore-output", "nbval-skip", "skip-execution"}
REPO_URL = re.search(r'^Repository = "(.+)"$', (REPO_ROOT / "pyproject.toml").read_text(), re.M)[1]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_is_stored_executed_in_order(path):
    counts = []
    for cell in cells(path):
        tags = set(cell["metadata"].get("tags", []))
        if "nbval-skip" in tags:
            continue
        assert cell["execution_count"] is not None, f"unexecuted cell: {cell['text'][:60]!r}"
        counts.append(cell["execution_count"])
    assert counts == list(range(1, len(counts) + 1)), "regenerate with: python .ci/regenerate.py"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_errors_are_stored_only_where_expected(path):
    for cell in cells(path):
        raises = "raises-exception" in cell["metadata"].get("tags", [])
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        assert bool(errors) == raises, (
            f"cell {cell['text'][:60]!r}: raises={raises}, errors={errors}"
        )


# An absolute path starts at a separator (or a drive letter) right after a space, quote or
# bracket: /home/..., /usr/lib/..., C:\\Users\\...; "and/or" or "km/h" are not paths.
ABSOLUTE_PATH = re.compile(r"(?:^|[\s'\"(\[=:])(?:/[\w.-]+/|[A-Za-z]:\\)|site-packages/", re.M)
MACHINE_TEXT = re.compile(r"\bat 0x[0-9a-f]{6,}|\d+\.\d+ ?(ms|s)\b|ipykernel_\d+")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _output_texts(output: dict) -> list[str]:
    texts = ["".join(output.get("text", ""))]
    texts += ["".join(value) for key, value in output.get("data", {}).items() if "text" in key]
    texts += [output.get("evalue", "")] + [ANSI.sub("", t) for t in output.get("traceback", [])]
    return texts


def test_the_path_pattern_catches_paths():
    for text in [
        "File /home/ada/x.py",
        "'/usr/lib/python3.11/re.py'",
        "C:\\Users\\x",
        "in /tmp/a/",
    ]:
        assert ABSOLUTE_PATH.search(text), text
    for text in ["rain and/or wind", "10 km/h", "<site-packages>torch", "ids / 2"]:
        assert not ABSOLUTE_PATH.search(text), text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_hold_no_machine_specific_text(path):
    for cell in cells(path):
        for output in cell["outputs"]:
            for text in _output_texts(output):
                found = ABSOLUTE_PATH.search(text) or MACHINE_TEXT.search(text)
                assert not found, f"{path.name}: {found.group(0)!r} in output {text[:200]!r}"
            assert output.get("name") != "stderr", f"{path.name}: stderr output {output}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_ignore_and_skip_tags_are_justified(path):
    for cell in cells(path):
        if IGNORE_TAGS & set(cell["metadata"].get("tags", [])):
            assert "#" in cell["text"].splitlines()[0], (
                "say why the cell is skipped, in its first line"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_sets_up_colab_from_the_one_repository_url(path):
    first = cells(path)[0]["text"]
    assert 'if "google.colab" in sys.modules:' in first
    assert f'REPO_URL = "{REPO_URL}"' in first
    assert first == cells(NOTEBOOKS[0])[0]["text"], "every notebook uses the same Colab cell"


def test_readme_links_every_notebook_in_colab():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    colab_base = REPO_URL.replace(
        "https://github.com/", "https://colab.research.google.com/github/"
    )
    for path in NOTEBOOKS:
        assert f"{colab_base}/blob/main/notebooks/{path.name}" in readme, (
            f"README lacks {path.name}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_is_attached_from_its_source(path):
    shown = 0
    for cell in cells(path, "markdown"):
        names = ATTACHMENT.findall(cell["text"])
        attached = cell.get("attachments", {})
        assert sorted(attached) == sorted(set(names)), "run: python .ci/regenerate.py --no-execute"
        for name in names:
            png = FIGURES_DIR / name
            assert png.is_file(), f"{name} has no file in notebooks/figures/"
            assert base64.b64decode(attached[name]["image/png"]) == png.read_bytes(), (
                f"{name} changed since it was attached: python .ci/regenerate.py --no-execute"
            )
            shown += 1
    assert shown >= 1, f"{path.name} shows no diagram"


def test_every_figure_file_is_drawn_by_code():
    sys.path.insert(0, str(FIGURES_DIR))
    from make_figures import figure_functions

    drawn = set(figure_functions())
    on_disk = {p.stem for p in FIGURES_DIR.glob("*.png")}
    assert on_disk == drawn, (
        f"PNG without code: {on_disk - drawn}; code without PNG: {drawn - on_disk}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercise_solutions_are_collapsed(path):
    solutions = [c for c in cells(path) if c["text"].startswith(SOLUTION_PREFIX)]
    assert solutions, f"{path.name} has no solution cells (first line '{SOLUTION_PREFIX} ...')"
    for cell in solutions:
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True
        assert 'display-mode: "form"' in cell["text"].splitlines()[0], "Colab form view"
