"""Notebook hygiene that strict nbval cannot see, and the Colab set-up in one place."""

import re

import pytest
from notebook_tools import NOTEBOOKS, cells

from helpers.paths import REPO_ROOT

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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_hold_no_machine_specific_text(path):
    pattern = re.compile(
        r"/home/|/root/|/tmp/|site-packages|\bat 0x[0-9a-f]{6,}|\d+\.\d+ ?(ms|s)\b"
    )
    for cell in cells(path):
        for output in cell["outputs"]:
            text = "".join(output.get("text", "")) + "".join(
                output.get("data", {}).get("text/plain", "")
            )
            assert not pattern.search(text), (
                f"{path.name}: {pattern.search(text).group(0)!r} in output"
            )
            assert output.get("name") != "stderr", f"{path.name}: stderr output {text[:80]!r}"


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
