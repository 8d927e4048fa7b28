"""Chapter 4's diagrams: the whole GPT model with its shapes, one transformer block, and the
feed-forward network's widening.

The numbers are the chapter's own: GPT-2 small's sizes and the token ids of the two sentences
the chapter batches ("The weather clock was right", "Every morning the bird sang").
"""

from draw import BLUE, GREEN, GREY, INK, MUTED, ORANGE, PURPLE, YELLOW, arrow, box, canvas
from draw import label as text
from matplotlib.patches import Circle

BATCH_IDS = [[464, 6193, 8801, 373, 826], [6109, 3329, 262, 6512, 25889]]


def _plus(ax, x, y, r=0.17):
    """A circled plus at (x, y): the shortcut's addition."""
    ax.add_patch(Circle((x, y), r, facecolor="white", edgecolor=INK, lw=1.0))
    text(ax, x, y, "+", size=14, weight="bold")


def _line(ax, xs, ys, color=INK, lw=1.2):
    ax.plot(xs, ys, color=color, lw=lw, solid_capstyle="butt")


def fig_ch4_gpt_model():
    """Token ids -> embeddings -> num_layers blocks -> final LayerNorm -> out_head -> logits."""
    fig, ax = canvas(9.0, 7.4)
    left, width, mid = 0.5, 4.2, 2.6  # the boxes' column and its centre
    shape_x = 5.1  # where the shapes are written
    rows = [
        # y of the box's bottom, height, text, fill, attribute name
        (6.15, 0.75, "token ids\n" + str(BATCH_IDS[0]) + "\n" + str(BATCH_IDS[1]), YELLOW, ""),
        (4.95, 0.7, "token embeddings + position embeddings\nthen dropout", GREEN, "embedding"),
        (3.0, 1.35, "", BLUE, "trf_blocks"),
        (2.1, 0.55, "final LayerNorm", PURPLE, "final_norm"),
        (
            0.95,
            0.75,
            "linear output head  (emb_dim -> vocab_size)\ntied (GPT-2): the token embedding matrix",
            ORANGE,
            "out_head",
        ),
    ]
    shapes = [
        ("(batch_size, num_tokens)", "(2, 5)"),
        ("(batch_size, num_tokens, emb_dim)", "(2, 5, 768)"),
        ("(batch_size, num_tokens, emb_dim)", "(2, 5, 768): every block keeps the shape"),
        ("(batch_size, num_tokens, emb_dim)", "(2, 5, 768)"),
        ("(batch_size, num_tokens, vocab_size)", "(2, 5, 50257): the logits"),
    ]
    for (y, h, label, fill, attr), (shape, example) in zip(rows, shapes, strict=True):
        box(ax, left, y, width, h, label, fill=fill, size=10)
        if attr:
            text(ax, left - 0.1, y + h / 2, attr, size=9, color=MUTED, ha="right", rotation=90)
        text(ax, shape_x, y + h / 2 + 0.12, shape, size=10, ha="left", family="monospace")
        text(ax, shape_x, y + h / 2 - 0.14, example, size=9, ha="left", color=MUTED)
    # inside trf_blocks: a stack of blocks, drawn as three cards
    for k, dy in enumerate([0.0, 0.12, 0.24]):
        fill = "white" if k < 2 else BLUE
        box(ax, 0.95 + dy, 3.55 + dy, 2.9, 0.5, "", fill=fill)
    text(ax, 2.64, 4.04, "TransformerBlock", size=10)
    text(ax, mid, 3.25, "num_layers blocks in a row (12 in GPT-2 small)", size=9, color=MUTED)
    # arrows between the boxes
    for top, bottom in [(6.15, 5.65), (4.95, 4.35), (3.0, 2.65), (2.1, 1.7)]:
        arrow(ax, (mid, top - 0.02), (mid, bottom + 0.02))
    arrow(ax, (mid, 0.95), (mid, 0.5))
    text(ax, mid, 0.3, "one score per vocabulary entry, at every position", size=10)
    return fig


def _column(ax, left, top, mid, names, fills, heights, gap):
    """Boxes from top to bottom joined by arrows; returns each box's (top, bottom)."""
    spans, y = [], top
    for k, (name, fill, h) in enumerate(zip(names, fills, heights, strict=True)):
        box(ax, left, y - h, 3.0, h, name, fill=fill, size=10)
        if k:
            arrow(ax, (mid, y + gap - 0.02), (mid, y + 0.02))
        spans.append((y, y - h))
        y -= h + gap
    return spans


def fig_ch4_block():
    """Pre-LayerNorm: x + Dropout(Attention(LayerNorm(x))), then x + Dropout(FF(LayerNorm(x)))."""
    fig, ax = canvas(9.0, 9.2)
    left, mid, gap = 1.6, 3.1, 0.35  # boxes' left edge and centre, space between boxes
    short_x = 0.8  # the shortcut runs down this line
    text(ax, mid, 8.95, "input x   (batch_size, num_tokens, emb_dim)", size=10)
    halves = [
        (
            8.8,
            ["LayerNorm   (norm1)", "multi-head causal attention   (att)"],
            [PURPLE, BLUE],
            "x = x + drop_shortcut(att(norm1(x)))",
        ),
        (
            4.93,
            ["LayerNorm   (norm2)", "feed-forward   (ff)"],
            [PURPLE, GREEN],
            "x = x + drop_shortcut(ff(norm2(x)))",
        ),
    ]
    for start, names, fills, code in halves:
        top = start - 0.55  # the first box's top
        spans = _column(
            ax,
            left,
            top,
            mid,
            [*names, "dropout   (drop_shortcut)"],
            [*fills, GREY],
            [0.55, 0.75, 0.55],
            gap,
        )
        bottom = spans[-1][1]
        arrow(ax, (mid, start), (mid, top + 0.02))
        plus_y = bottom - 0.6
        arrow(ax, (mid, bottom - 0.02), (mid, plus_y + 0.19))
        _plus(ax, mid, plus_y)
        split_y = top + 0.27  # the shortcut leaves the incoming arrow here
        ax.plot([mid], [split_y], "o", color=INK, ms=4)
        _line(ax, [short_x, mid], [split_y, split_y])
        _line(ax, [short_x, short_x], [split_y, plus_y])
        arrow(ax, (short_x, plus_y), (mid - 0.19, plus_y))
        text(
            ax,
            short_x - 0.2,
            (split_y + plus_y) / 2,
            "shortcut: x unchanged",
            size=9,
            color=MUTED,
            rotation=90,
        )
        text(ax, mid + 0.35, plus_y, code, size=9, ha="left", family="monospace")
    arrow(ax, (mid, 1.1 - 0.19), (mid, 0.45))
    text(ax, mid, 0.25, "output   (batch_size, num_tokens, emb_dim)", size=10)
    # the feed-forward network, opened up on the right
    ff_top, ff_bottom = spans[1]  # the second half's feed-forward box
    panel_left, panel_w, h, step = 5.3, 3.3, 0.5, 0.75
    layers = [
        ("Linear: emb_dim -> 4 * emb_dim\n(768 -> 3072 in GPT-2 small)", GREEN),
        ("GELU", YELLOW),
        ("Linear: 4 * emb_dim -> emb_dim\n(3072 -> 768)", GREEN),
    ]
    panel_top = 4.3
    for k, (name, fill) in enumerate(layers):
        y = panel_top - k * step
        box(ax, panel_left, y - h, panel_w, h, name, fill=fill, size=9)
        if k:
            arrow(
                ax,
                (panel_left + panel_w / 2, y + step - h - 0.02),
                (panel_left + panel_w / 2, y + 0.02),
            )
    panel_bottom = panel_top - 2 * step - h
    _line(ax, [left + 3.0, panel_left], [ff_top, panel_top], color=MUTED, lw=0.8)
    _line(ax, [left + 3.0, panel_left], [ff_bottom, panel_bottom], color=MUTED, lw=0.8)
    return fig


def fig_ch4_feed_forward():
    """One token vector widened from emb_dim to 4 * emb_dim numbers, then projected back."""
    fig, ax = canvas(9.0, 3.0)
    unit = 0.0024  # inches per number: 3072 numbers -> 7.4 inches
    rows = [
        (2.45, 768, BLUE, "input: emb_dim = 768 numbers"),
        (1.45, 3_072, YELLOW, ""),
        (0.45, 768, BLUE, "output: emb_dim = 768 numbers, the input's width again"),
    ]
    for y, n, fill, name in rows:
        w = n * unit
        box(ax, 1.0, y - 0.15, w, 0.3, "", fill=fill, round_=False)
        text(ax, 1.0 + w + 0.15, y, name, size=10, ha="left")
    arrow(ax, (1.4, 2.28), (1.4, 1.62), "Linear(768, 3072)", offset=(0.75, -0.08))
    arrow(ax, (1.4, 1.28), (1.4, 0.62), "Linear(3072, 768)", offset=(0.75, -0.08))
    text(ax, 0.5, 1.45, "one\ntoken", size=9, color=MUTED)
    text(ax, 1.0 + 3_072 * unit / 2, 1.45, "hidden: 4 * emb_dim = 3072 numbers, then GELU", size=10)
    return fig
