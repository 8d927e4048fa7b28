"""Reading notebooks in tests: their cells, and the definitions their code cells make."""

import ast
import functools
import io
import json
import tokenize
from dataclasses import dataclass
from pathlib import Path

from helpers.paths import NOTEBOOKS_DIR, REPO_ROOT

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
HELPER_MODULES = sorted(
    ".".join(p.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")
    for p in (REPO_ROOT / "helpers").rglob("*.py")
    if p.relative_to(REPO_ROOT).with_suffix("").parts != ("helpers", "__init__")
)


def cells(path: Path, cell_type: str = "code") -> list[dict]:
    """The cells of one type, with their source joined into a string."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = [cell for cell in notebook["cells"] if cell["cell_type"] == cell_type]
    for cell in found:
        cell["text"] = "".join(cell["source"])
    return found


@dataclass(frozen=True)
class Definition:
    """One top-level definition: its syntax tree and the comments written inside it."""

    tree: str  # ast.dump without positions: formatting does not count, code does
    comments: tuple[str, ...]  # shape comments such as "# (batch_size, num_tokens)" count too


def _comments(segment: str) -> tuple[str, ...]:
    tokens = tokenize.generate_tokens(io.StringIO(segment).readline)
    return tuple(t.string.strip() for t in tokens if t.type == tokenize.COMMENT)


def definitions(source: str) -> dict[str, Definition]:
    """Top-level functions, classes and assigned names of some code; later ones win."""
    found = {}
    lines = source.splitlines(keepends=True)  # once: ast.get_source_segment re-splits per call
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            name = node.name
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
        else:
            continue
        segment = "".join(lines[node.lineno - 1 : node.end_lineno])  # top level: whole lines
        tree = ast.dump(node, include_attributes=False)
        found[name] = Definition(tree, _comments(segment))
    return found


@functools.cache  # read-only results, shared by many tests
def notebook_definitions(path: Path) -> dict[str, Definition]:
    """What the notebook's code cells define (IPython magics and shell lines skipped)."""
    code = "\n".join(
        "\n".join(
            line for line in cell["text"].splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        for cell in cells(path)
    )
    return definitions(code)


@functools.cache
def module_definitions(module: str) -> dict[str, Definition]:
    path = REPO_ROOT / (module.replace(".", "/") + ".py")
    if not path.is_file():  # a package: its __init__.py
        path = REPO_ROOT / module.replace(".", "/") / "__init__.py"
    return definitions(path.read_text(encoding="utf-8"))
