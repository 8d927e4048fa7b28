"""Chapter 7's diagrams: from an entry to a trained answer, and how a batch pads and masks."""

from draw import (
    BLUE,
    GREEN,
    GREY,
    MUTED,
    ORANGE,
    PURPLE,
    RED,
    YELLOW,
    arrow,
    box,
    canvas,
    cells,
    label,
)


def fig_ch7_pipeline():
    """entry -> prompt text -> token ids -> batch (inputs, targets) -> model -> answer -> score."""
    fig, ax = canvas(9.8, 2.6)
    steps = [
        ("entry\ninstruction,\ninput, output", GREY),
        ("format_prompt\n### instruction:\n### input:\n### answer:", BLUE),
        ('tokenize\nprompt, then\n" " + output\n(prompt length\nkept)', ORANGE),
        ("collate\nadd end-of-text,\npad, shift,\n-100 targets", YELLOW),
        ("finetune\nnext-token\nloss", PURPLE),
        ("generate until\nend-of-text,\nextract, score", GREEN),
    ]
    width, gap = 1.42, 0.2
    for k, (text, fill) in enumerate(steps):
        x = 0.15 + k * (width + gap)
        box(ax, x, 0.55, width, 1.35, text, fill=fill, size=8.5)
        if k:
            arrow(ax, (x - gap, 1.22), (x, 1.22))
    label(ax, 4.9, 2.3, "instruction finetuning is pretraining on formatted examples", size=10)
    label(ax, 4.9, 0.25, "the same format at training and at answer time", size=9, color=MUTED)
    return fig


def fig_ch7_collate():
    """Two examples padded with end-of-text; targets shifted; padding (and the prompt) -100."""
    fig, ax = canvas(9.8, 4.7)
    cell = 0.62
    prompt, answer, eot = BLUE, GREEN, ORANGE
    rows = [
        (["P1", "P2", "P3", "A1", "A2", "eot"], [prompt] * 3 + [answer] * 2 + [eot]),
        (["P1", "P2", "A1", "eot", "eot", "eot"], [prompt] * 2 + [answer] + [eot] * 3),
    ]
    label(
        ax,
        0.15,
        4.45,
        "each example + one end-of-text, padded with end-of-text",
        size=9.5,
        ha="left",
    )
    for r, (values, fills) in enumerate(rows):
        cells(ax, 0.15, 4.2 - r * 0.72, [values], cell=cell, fills=[fills], size=8.5)
    label(ax, 5.0, 4.45, "inputs: all but the last", size=9.5, ha="left")
    label(ax, 5.0, 2.5, "targets: all but the first (shifted by one)", size=9.5, ha="left")
    for r, (values, fills) in enumerate(rows):
        cells(ax, 5.0, 4.2 - r * 0.72, [values[:-1]], cell=cell, fills=[fills[:-1]], size=8.5)
    targets = [
        (["P2", "P3", "A1", "A2", "eot"], [prompt] * 2 + [answer] * 2 + [eot]),
        (["P2", "A1", "eot", "-100", "-100"], [prompt, answer, eot, RED, RED]),
    ]
    for r, (values, fills) in enumerate(targets):
        cells(ax, 5.0, 2.25 - r * 0.72, [values], cell=cell, fills=[fills], size=8.5)
    label(
        ax,
        0.15,
        2.2,
        "the first end-of-text stays a target:\nthe model learns to stop.",
        size=9,
        ha="left",
    )
    label(
        ax,
        0.15,
        1.35,
        "the padding after it becomes -100:\ncross_entropy skips it.",
        size=9,
        ha="left",
    )
    label(
        ax,
        0.15,
        0.45,
        "mask_prompt=True also sets the prompt's targets (P2, P3) to -100:\n"
        "the loss is then over the answer and its end-of-text only.",
        size=9,
        ha="left",
        color=MUTED,
    )
    for k, (name, fill) in enumerate(
        [("prompt", prompt), ("answer", answer), ("end-of-text", eot), ("ignored", RED)]
    ):
        box(ax, 5.0 + k * 1.2, 0.35, 0.22, 0.22, "", fill=fill, round_=False)
        label(ax, 5.28 + k * 1.2, 0.46, name, size=8.5, ha="left")
    return fig
