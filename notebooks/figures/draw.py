"""Drawing primitives for the course's diagrams: boxes, arrows, grids of cells, labels.

Every diagram is drawn by code in this folder (one module per chapter, `ch1.py`, `ch2.py`, ...),
so a contributor can change one and run `python notebooks/figures/make_figures.py` to redraw it.
Coordinates are in inches from the bottom-left corner of the figure, so text sizes stay
predictable: a label of 10 points is about 0.14 inches tall.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # draw to files only; no window is ever opened
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle  # noqa: E402

FIGURES_DIR = Path(__file__).resolve().parent
DPI = 100

# One palette for every chapter: soft fills, dark text.
BLUE = "#dbe8f7"
GREEN = "#dff0d8"
ORANGE = "#fde3c8"
PURPLE = "#e8def3"
GREY = "#eeeeee"
RED = "#f6d5d5"
YELLOW = "#fbf3c9"
INK = "#222222"
MUTED = "#666666"


def canvas(width: float, height: float) -> tuple[plt.Figure, plt.Axes]:
    """A blank figure of width x height inches whose axes use inches as units."""
    fig = plt.figure(figsize=(width, height), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.axis("off")
    return fig, ax


def box(ax, x, y, w, h, text="", *, fill=BLUE, size=10, weight="normal", round_=True, **kw):
    """A filled box with centred text; (x, y) is its bottom-left corner."""
    style = "round,pad=0,rounding_size=0.06" if round_ else "square,pad=0"
    ax.add_patch(
        FancyBboxPatch((x, y), w, h, boxstyle=style, facecolor=fill, edgecolor=INK, lw=1.0)
    )
    if text:
        ax.text(
            x + w / 2,
            y + h / 2,
            text,
            ha="center",
            va="center",
            size=size,
            weight=weight,
            color=INK,
            **kw,
        )


def arrow(ax, start, end, text="", *, color=INK, size=9, offset=(0.0, 0.12), lw=1.2):
    """An arrow from start to end (x, y), with an optional label beside its middle."""
    ax.add_patch(
        FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=color, lw=lw)
    )
    if text:
        mid_x = (start[0] + end[0]) / 2 + offset[0]
        mid_y = (start[1] + end[1]) / 2 + offset[1]
        ax.text(mid_x, mid_y, text, ha="center", va="bottom", size=size, color=MUTED)


def label(ax, x, y, text, *, size=10, color=INK, ha="center", va="center", **kw):
    """Plain text at (x, y)."""
    ax.text(x, y, text, ha=ha, va=va, size=size, color=color, **kw)


def cells(ax, x, y, values, *, cell=0.4, fill=GREY, fills=None, size=9, mono=True):
    """A grid of square cells holding values (a list of rows); (x, y) is the top-left corner."""
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            color = fills[r][c] if fills is not None else fill
            left, bottom = x + c * cell, y - (r + 1) * cell
            ax.add_patch(
                Rectangle((left, bottom), cell, cell, facecolor=color, edgecolor=INK, lw=0.8)
            )
            ax.text(
                left + cell / 2,
                bottom + cell / 2,
                str(value),
                ha="center",
                va="center",
                size=size,
                color=INK,
                family="monospace" if mono else None,
            )


def save(fig: plt.Figure, name: str) -> Path:
    """Write the figure as notebooks/figures/<name>.png, byte for byte the same every run."""
    path = FIGURES_DIR / f"{name}.png"
    fig.savefig(path, dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return path
