"""pip install of the course (as Colab does) must ship every helpers package."""

import ast
import re

from helpers.paths import REPO_ROOT


def test_every_helpers_package_is_listed_in_pyproject():
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    listed = set(ast.literal_eval(re.search(r"^packages = (\[.*\])$", pyproject, re.M)[1]))
    on_disk = {
        ".".join(init.parent.relative_to(REPO_ROOT).parts)
        for init in (REPO_ROOT / "helpers").rglob("__init__.py")
    }
    assert listed == on_disk
