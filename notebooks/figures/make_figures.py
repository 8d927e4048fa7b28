"""Redraw every diagram: python notebooks/figures/make_figures.py

Each chapter module here (ch1.py, ch2.py, ..., bonus.py) defines functions named `fig_<name>`
that return a matplotlib figure; this script saves each as `<name>.png` beside it. Then
`python .ci/regenerate.py` copies every PNG into the notebook cells that show it
(`![...](attachment:<name>.png)` in a Markdown cell), so the .ipynb file alone displays it.
"""

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from draw import save  # noqa: E402


def figure_functions() -> dict:
    """Every fig_<name> function of every chapter module, keyed by <name>."""
    found = {}
    for path in sorted(HERE.glob("*.py")):
        if path.stem in ("draw", "make_figures"):
            continue
        module = importlib.import_module(path.stem)
        for attr in sorted(vars(module)):
            if attr.startswith("fig_"):
                name = attr.removeprefix("fig_")
                if name in found:
                    raise ValueError(f"two figures are called {name!r}; rename one")
                found[name] = getattr(module, attr)
    return found


def main() -> None:
    for name, draw_figure in figure_functions().items():
        print(save(draw_figure(), name).name)


if __name__ == "__main__":
    main()
