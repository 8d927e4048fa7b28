"""Chapter 2's diagrams: an embedding lookup, and ids becoming a 3-D batch of input vectors.

The numbers are the chapter's own: the 6 x 3 table that `torch.manual_seed(123)` gives
`nn.Embedding(6, 3)`, and the first token ids of the story in GPT-2's vocabulary.
"""

import torch
from draw import BLUE, GREEN, GREY, MUTED, ORANGE, PURPLE, YELLOW, arrow, box, canvas, cells
from draw import label as text
from torch import nn

STORY_IDS = [[464, 15615, 21328, 286], [13754, 34671, 198, 198]]  # "The Weather Clock of" ...
STORY_TOKENS = [["The", "␣Weather", "␣Clock", "␣of"], ["␣Salt", "mere", "\\n", "\\n"]]


def _seeded_table() -> list[list[str]]:
    torch.manual_seed(123)
    weight = nn.Embedding(6, 3).weight.detach()
    return [[f"{v:.2f}" for v in row] for row in weight.tolist()]


def fig_ch2_lookup():
    """ids [2, 5, 2] pick rows 2, 5, 2 of a (vocab_size, emb_dim) = (6, 3) table."""
    table = _seeded_table()
    ids = [2, 5, 2]
    fig, ax = canvas(9.6, 4.4)
    cell, top = 0.52, 3.6
    id_left, left, out_left = 0.7, 3.7, 7.55
    out_top = top - 1.5 * cell
    # the ids, one per row
    text(ax, id_left + cell / 2, 4.15, "token ids", size=11, weight="bold")
    text(ax, id_left + cell / 2, 3.9, "(num_tokens,)", size=9, color=MUTED)
    id_fills = [[ORANGE], [PURPLE], [ORANGE]]
    cells(ax, id_left, out_top, [[i] for i in ids], cell=cell, fills=id_fills, size=10)
    # the table: vocab_size rows of emb_dim numbers
    text(ax, left + 1.5 * cell, 4.15, "nn.Embedding(6, 3).weight", size=11, weight="bold")
    text(ax, left + 1.5 * cell, 3.9, "(vocab_size, emb_dim) = (6, 3)", size=9, color=MUTED)
    row_fill = {2: ORANGE, 5: PURPLE}
    fills = [[row_fill.get(r, GREY)] * 3 for r in range(6)]
    cells(ax, left, top, table, cell=cell, fills=fills, size=8)
    for r in range(6):
        text(ax, left - 0.1, top - (r + 0.5) * cell, f"row {r}", size=8, color=MUTED, ha="right")
    text(ax, out_left + 1.5 * cell, 4.15, "looked-up vectors", size=11, weight="bold")
    text(ax, out_left + 1.5 * cell, 3.9, "(num_tokens, emb_dim) = (3, 3)", size=9, color=MUTED)
    out_fills = [[ORANGE] * 3, [PURPLE] * 3, [ORANGE] * 3]
    cells(ax, out_left, out_top, [table[i] for i in ids], cell=cell, fills=out_fills, size=8)
    # arrows: id -> its row of the table -> its place in the output
    for k, i in enumerate(ids):
        y_id = out_top - (k + 0.5) * cell
        y_row = top - (i + 0.5) * cell
        arrow(ax, (id_left + cell + 0.05, y_id), (left - 0.6, y_row), color=MUTED, lw=1.0)
        arrow(ax, (left + 3 * cell + 0.05, y_row), (out_left - 0.08, y_id), color=MUTED, lw=1.0)
    text(ax, 4.8, 0.25, "a lookup copies rows: no multiplication, and an id may repeat", size=10)
    return fig


def _block(ax, x, y, rows, cols, fill, *, depth=2, cell=0.3, shift=0.16, labels=None):
    """A stack of `depth` grids (rows x cols), drawn back to front; (x, y) is the front's top-left.

    The front grid shows `labels` in its cells; the grids behind it are plain.
    """
    for d in reversed(range(depth)):
        dx, dy = d * shift, d * shift
        values = labels if d == 0 and labels is not None else [[""] * cols for _ in range(rows)]
        cells(ax, x + dx, y + dy, values, cell=cell, fill=fill, size=8)


def fig_ch2_batch():
    """A (batch_size, num_tokens) grid of ids becomes a (batch_size, num_tokens, emb_dim) block."""
    fig, ax = canvas(9.6, 3.9)
    cell = 0.72
    text(ax, 2.39, 3.6, "token ids", size=11, weight="bold")
    text(ax, 2.39, 3.35, "(batch_size, num_tokens), here (2, 4)", size=9, color=MUTED)
    ids = [
        [f"{i}\n{t}" for i, t in zip(row, tokens, strict=True)]
        for row, tokens in zip(STORY_IDS, STORY_TOKENS, strict=True)
    ]
    cells(ax, 0.95, 3.05, ids, cell=cell, fill=YELLOW, size=8, mono=False)
    text(ax, 0.85, 3.05 - cell / 2, "sequence 0", size=8, color=MUTED, ha="right")
    text(ax, 0.85, 3.05 - 1.5 * cell, "sequence 1", size=8, color=MUTED, ha="right")
    arrow(ax, (3.95, 2.35), (4.85, 2.35), "look up", size=9)
    text(ax, 4.4, 2.1, "each id's row", size=8, color=MUTED)
    # the 3-D result: for each sequence, num_tokens rows of emb_dim numbers
    c3, front_left, front_top, shift = 0.36, 6.0, 2.75, 0.3
    rows = [["", "", "", "...", ""] for _ in range(4)]
    _block(ax, front_left, front_top, 4, 5, BLUE, depth=2, cell=c3, shift=shift, labels=rows)
    for r, token in enumerate(STORY_TOKENS[0]):
        text(ax, front_left - 0.08, front_top - (r + 0.5) * c3, token, size=8, ha="right")
    text(ax, front_left + 2.5 * c3 + shift / 2, 3.6, "token embeddings", size=11, weight="bold")
    text(
        ax,
        front_left + 2.5 * c3,
        front_top - 4 * c3 - 0.2,
        "emb_dim = 256 numbers",
        size=8,
        color=MUTED,
    )
    text(
        ax,
        front_left + 5 * c3 + shift + 0.12,
        front_top + shift - 0.05,
        "sequence 1 behind",
        size=8,
        color=MUTED,
        ha="left",
    )
    text(
        ax,
        front_left + 2.5 * c3,
        front_top - 4 * c3 - 0.42,
        "sequence 0 in front: one row per token",
        size=8,
        color=MUTED,
    )
    text(ax, 2.39, 1.35, "␣ marks a leading space, \\n a newline", size=8, color=MUTED)
    text(ax, 4.8, 0.35, "(batch_size, num_tokens, emb_dim), here (2, 4, 256)", size=10)
    return fig


def fig_ch2_input_pipeline():
    """Token ids -> token embeddings, plus position embeddings broadcast over the batch."""
    fig, ax = canvas(10.0, 4.6)
    # top row: tokens
    text(ax, 0.95, 4.35, "token ids", size=10, weight="bold")
    text(ax, 0.95, 4.12, "(batch_size, num_tokens)", size=8, color=MUTED)
    ids = [[str(i) for i in row] for row in STORY_IDS]
    cells(ax, 0.15, 3.95, ids, cell=0.4, fill=YELLOW, size=7)
    arrow(ax, (1.85, 3.55), (2.35, 3.55))
    box(ax, 2.4, 3.1, 1.8, 0.9, "tok_emb\n(vocab_size, emb_dim)", fill=GREEN, size=8.5)
    text(ax, 3.3, 2.9, "one row per id", size=8, color=MUTED)
    arrow(ax, (4.25, 3.55), (4.75, 3.55))
    _block(ax, 4.8, 3.95, 4, 4, BLUE, depth=2, cell=0.2, shift=0.12)
    text(ax, 5.85, 3.85, "token embeddings", size=9, ha="left")
    text(ax, 5.85, 3.62, "(batch_size, num_tokens, emb_dim)", size=8, color=MUTED, ha="left")
    # bottom row: positions
    text(ax, 0.95, 2.15, "positions", size=10, weight="bold")
    text(ax, 0.95, 1.92, "torch.arange(num_tokens)", size=8, color=MUTED)
    cells(ax, 0.15, 1.75, [["0", "1", "2", "3"]], cell=0.4, fill=YELLOW, size=8)
    arrow(ax, (1.85, 1.55), (2.35, 1.55))
    box(ax, 2.4, 1.1, 1.8, 0.9, "pos_emb\n(context_length, emb_dim)", fill=GREEN, size=8.5)
    text(ax, 3.3, 0.9, "rows 0 to num_tokens - 1", size=8, color=MUTED)
    arrow(ax, (4.25, 1.55), (4.75, 1.55))
    cells(ax, 4.8, 1.95, [[""] * 4 for _ in range(4)], cell=0.2, fill=ORANGE)
    text(ax, 5.75, 1.65, "position embeddings", size=9, ha="left")
    text(ax, 5.75, 1.42, "(num_tokens, emb_dim)", size=8, color=MUTED, ha="left")
    text(ax, 5.75, 1.19, "the same for every sequence", size=8, color=MUTED, ha="left")
    # the sum
    text(ax, 8.25, 2.6, "+", size=22, weight="bold")
    arrow(ax, (5.75, 3.3), (8.05, 2.75), color=MUTED)
    arrow(ax, (5.65, 1.95), (8.05, 2.45), color=MUTED)
    arrow(ax, (8.42, 2.6), (8.7, 2.6))
    _block(ax, 8.75, 3.0, 4, 4, PURPLE, depth=2, cell=0.2, shift=0.12)
    text(ax, 9.2, 1.95, "input embeddings", size=9)
    text(ax, 9.2, 1.72, "(batch_size,", size=8, color=MUTED)
    text(ax, 9.2, 1.52, "num_tokens, emb_dim)", size=8, color=MUTED)
    text(
        ax,
        5.0,
        0.3,
        "broadcasting adds position vector j to token j of every sequence; "
        "InputEmbedding then applies dropout",
        size=9,
    )
    return fig
