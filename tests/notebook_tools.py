"""Reading notebooks in tests: their cells, and the definitions their code cells make."""

import ast
import json
from pathlib import Path

from helpers.paths import NOTEBOOKS_DIR, REPO_ROOT

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def cells(path: Path, cell_type: str = "code") -> list[dict]:
    """The cells of one type, with their source joined into a string."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = [cell for cell in notebook["cells"] if cell["cell_type"] == cell_type]
    for cell in found:
        cell["text"] = "".join(cell["source"])
    return found


def definitions(source: str) -> dict[str, ast.AST]:
    """Top-level functions, classes and assigned names of some code; later ones win."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found[node.name] = node
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = node
    return found


def notebook_definitions(path: Path) -> dict[str, ast.AST]:
    """What the notebook's code cells define (IPython magics and shell lines skipped)."""
    code = "\n".join(
        "\n".join(
            line for line in cell["text"].splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        for cell in cells(path)
    )
    return definitions(code)


def module_definitions(module: str) -> dict[str, ast.AST]:
    path = REPO_ROOT / (module.replace(".", "/") + ".py")
    return definitions(path.read_text(encoding="utf-8"))
