"""Chapter 5's diagrams: one training step, and generation with a key-value cache."""

from draw import BLUE, GREEN, GREY, MUTED, ORANGE, PURPLE, YELLOW, arrow, box, canvas, label


def fig_ch5_training_step():
    """The loop: a batch -> logits -> loss -> gradients -> clipped -> optimizer step."""
    fig, ax = canvas(9.6, 3.4)
    steps = [
        ("batch\n(inputs, targets)\neach (batch_size,\nnum_tokens)", GREY),
        ("model(inputs)\n-> logits\n(batch_size,\nnum_tokens,\nvocab_size)", BLUE),
        ("cross-entropy\nwith targets\n-> loss (a number)", ORANGE),
        ("loss.backward()\none gradient\nper parameter", PURPLE),
        ("clip_grad_norm_\nlength <= 1.0", YELLOW),
        ("optimizer.step()\nAdamW updates\nthe weights", GREEN),
    ]
    width, gap, y = 1.38, 0.22, 1.25
    for k, (text, fill) in enumerate(steps):
        x = 0.2 + k * (width + gap)
        box(ax, x, y, width, 1.45, text, fill=fill, size=8.5)
        if k:
            arrow(ax, (x - gap, y + 0.72), (x, y + 0.72))
    start, end = 0.2 + width / 2, 0.2 + 5 * (width + gap) + width / 2
    ax.annotate(
        "",
        xy=(start, y),
        xytext=(end, y),
        arrowprops=dict(arrowstyle="-|>", color=MUTED, connectionstyle="arc3,rad=-0.12", lw=1.2),
    )
    label(
        ax,
        (start + end) / 2,
        0.18,
        "next step: optimizer.zero_grad(), next batch",
        size=9,
        color=MUTED,
    )
    label(
        ax,
        4.8,
        3.05,
        "one training step (repeat; every eval_every steps, measure the "
        "validation loss with dropout off)",
        size=10,
    )
    return fig


def fig_ch5_kv_cache():
    """Without a cache every step recomputes all positions; with one, only the new token."""
    fig, ax = canvas(9.8, 4.4)
    cell = 0.42
    label(ax, 2.6, 4.1, "without a cache: every step runs on all tokens", size=10)
    label(ax, 7.2, 4.1, "with a cache: after the prompt, 1 token a step", size=10)
    for step in range(4):
        y = 3.55 - step * 0.8
        name = "step 1 (prompt)" if step == 0 else f"step {step + 1}"
        label(ax, 0.1, y - cell / 2, name, size=8.5, color=MUTED, ha="left")
        label(ax, 4.45, y - cell / 2, name, size=8.5, color=MUTED, ha="left")
        for pos in range(4 + step):
            box(ax, 1.15 + pos * cell, y - cell, cell, cell, "", fill=ORANGE, round_=False)
        for pos in range(4 + step):
            new = pos == 3 + step or (step == 0)
            fill = ORANGE if new else GREEN
            box(ax, 5.5 + pos * cell, y - cell, cell, cell, "", fill=fill, round_=False)
    box(ax, 0.95, 0.2, 0.3, 0.22, "", fill=ORANGE, round_=False)
    label(ax, 1.35, 0.31, "keys and values computed this step", size=8.5, ha="left")
    box(ax, 5.3, 0.2, 0.3, 0.22, "", fill=GREEN, round_=False)
    label(
        ax,
        5.7,
        0.31,
        "read from the cache, per layer:\n(batch_size, num_heads, num_tokens, head_dim)",
        size=8.5,
        ha="left",
    )
    return fig
