"""Chapter 6's diagrams: a GPT read as a classifier, and a LoRA adapter beside a frozen layer."""

from draw import BLUE, GREEN, GREY, INK, MUTED, ORANGE, PURPLE, arrow, box, canvas, cells, label


def fig_ch6_classifier():
    """Padded ids -> frozen blocks -> trainable last block -> read the last real token -> head."""
    fig, ax = canvas(9.8, 5.2)
    tokens = ["Gale", " by", " noon", ".", "<eot>", "<eot>"]
    fills = [[ORANGE] * 4 + [GREY] * 2]
    label(
        ax,
        0.15,
        5.0,
        "one padded row, tokens illustrative: (num_tokens,) = (6,)",
        size=9.5,
        ha="left",
    )
    cells(ax, 0.15, 4.8, [tokens], cell=0.62, fills=fills, size=8)
    layers = [
        ("token + position embeddings (frozen)", GREY),
        ("transformer blocks 1..3 (frozen)", GREY),
        ("last transformer block (trained)", GREEN),
        ("final LayerNorm (trained)", GREEN),
    ]
    for k, (text, fill) in enumerate(layers):
        box(ax, 0.15, 3.5 - k * 0.62, 3.72, 0.46, text, fill=fill, size=9)
        arrow(ax, (2.0, 3.96 - k * 0.62 + 0.22), (2.0, 3.96 - k * 0.62))
    arrow(ax, (2.0, 1.64), (2.0, 1.3))
    label(ax, 0.15, 0.58, "(batch_size, num_tokens, emb_dim)", size=9, color=MUTED, ha="left")
    label(ax, 0.15, 0.28, "every position has a vector; which one to read?", size=9, ha="left")
    for k in range(6):
        x = 0.15 + k * 0.62 + 0.31
        chosen = k == 3
        box(ax, x - 0.2, 0.95, 0.4, 0.3, "", fill=PURPLE if chosen else BLUE, round_=False)
    x_read = 0.15 + 3 * 0.62 + 0.31
    arrow(ax, (x_read + 0.22, 1.1), (5.05, 2.0))
    label(ax, 4.35, 1.2, "last real token", size=9, color=INK)
    box(ax, 5.1, 1.55, 1.9, 0.9, "new head\nLinear(emb_dim, 2)\n(trained)", fill=GREEN, size=9)
    arrow(ax, (7.0, 2.0), (7.6, 2.0))
    cells(ax, 7.65, 2.3, [["fair", "storm"], ["-1.3", "2.1"]], cell=0.7, size=8.5)
    label(
        ax, 8.35, 0.6, "(batch_size, num_classes)\nlogits, one row per message", size=9, color=MUTED
    )
    label(
        ax,
        6.9,
        4.3,
        "The causal mask lets position t see tokens 0..t:\nonly the last real token "
        "has seen the whole message.\nPadding comes after it, so it changes nothing there.",
        size=9,
    )
    return fig


def fig_ch6_lora():
    """y = W x + (alpha / rank) * B A x: W frozen, A and B small and trained; B starts at zero."""
    fig, ax = canvas(9.0, 3.8)
    box(ax, 0.2, 1.55, 0.9, 0.6, "x\n(..., d_in)", fill=ORANGE, size=9)
    box(ax, 2.0, 2.35, 2.2, 1.05, "W (frozen)\nd_out x d_in\npretrained", fill=GREY, size=9)
    box(ax, 2.0, 0.25, 1.0, 1.05, "A\nrank x d_in\nrandom", fill=GREEN, size=9)
    box(ax, 3.4, 0.25, 1.0, 1.05, "B\nd_out x rank\nstarts at 0", fill=GREEN, size=9)
    arrow(ax, (1.1, 1.95), (2.0, 2.85))
    arrow(ax, (1.1, 1.75), (2.0, 0.8))
    arrow(ax, (3.0, 0.78), (3.4, 0.78))
    box(ax, 5.0, 1.55, 0.6, 0.6, "+", fill=PURPLE, size=14)
    arrow(ax, (4.2, 2.85), (5.0, 2.0))
    arrow(ax, (4.4, 0.78), (5.0, 1.7), "x alpha / rank", offset=(0.55, -0.2))
    arrow(ax, (5.6, 1.85), (6.3, 1.85))
    box(ax, 6.3, 1.55, 1.0, 0.6, "y\n(..., d_out)", fill=ORANGE, size=9)
    label(
        ax,
        7.1,
        3.2,
        "trained per layer: rank x (d_in + d_out)\ninstead of d_out x d_in\n"
        "merged: W + (alpha / rank) B A",
        size=9,
        color=INK,
    )
    return fig
