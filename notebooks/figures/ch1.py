"""Chapter 1's diagrams: text to tokens to ids to batches, sliding windows, and padding.

The numbers are the chapter's own: GPT-2's token ids of the story's first words (the ids the
chapter's `GPTDataset` and `create_dataloader` cells print), and of two short sentences.
A leading space is drawn as "␣" and a line break as "\\n".
"""

from draw import BLUE, GREY, INK, MUTED, ORANGE, YELLOW, arrow, box, canvas
from draw import label as text

from helpers.data import read_corpus
from helpers.tokenizers import gpt2_encoding


def _shown(token: str) -> str:
    return token.replace(" ", "␣").replace("\n", "\\n")


def _story_tokens(count: int) -> tuple[list[int], list[str]]:
    """The first `count` GPT-2 ids of the story, and each id's text."""
    gpt2 = gpt2_encoding()
    ids = gpt2.encode(read_corpus())[:count]
    return ids, [_shown(gpt2.decode([i])) for i in ids]


def _row(ax, x, y_top, values, *, width, height, fill, size=9):
    """One row of rectangular cells; (x, y_top) is the top-left corner."""
    for k, value in enumerate(values):
        box(
            ax,
            x + k * width,
            y_top - height,
            width,
            height,
            str(value),
            fill=fill,
            size=size,
            round_=False,
            family="monospace",
        )


def _down(ax, x, y_from, y_to, note):
    arrow(ax, (x, y_from), (x, y_to))
    text(ax, x + 0.15, (y_from + y_to) / 2, note, size=9, color=MUTED, ha="left")


def fig_ch1_pipeline():
    """text -> tokens -> token ids -> a batch of (inputs, targets)."""
    ids, tokens = _story_tokens(9)
    fig, ax = canvas(9.6, 5.6)
    left, width, height = 1.9, 0.8, 0.45
    mid = left + 1.0

    def stage(y: float, name: str, note: str) -> None:
        text(ax, 0.9, y + 0.1, name, size=11, weight="bold")
        text(ax, 0.9, y - 0.17, note, size=8, color=MUTED)

    stage(5.1, "text", "a str")
    box(
        ax,
        left,
        4.85,
        9 * width,
        height,
        r"'The Weather Clock of Saltmere\n\nChapter One: ...'",
        fill=GREY,
        size=10,
    )
    _down(ax, mid, 4.8, 4.35, "split into tokens (here GPT-2's BPE, section 6)")
    stage(4.07, "tokens", "strings")
    _row(ax, left, 4.3, tokens, width=width, height=height, fill=YELLOW)
    _down(ax, mid, 3.8, 3.35, "look up each token's id in the vocabulary")
    stage(3.07, "token ids", "list[int]")
    _row(ax, left, 3.3, ids, width=width, height=height, fill=BLUE)
    _down(
        ax,
        mid,
        2.8,
        2.35,
        "cut windows of context_length = 4, stride = 4 (section 7); stack them (section 8)",
    )
    # the batch the chapter's create_dataloader cell prints
    stage(1.62, "one batch", "(inputs, targets)")
    inputs, targets = [ids[0:4], ids[4:8]], [ids[1:5], ids[5:9]]
    text(ax, left + 2 * width, 2.15, "inputs x", size=10, weight="bold")
    _row(ax, left, 2.0, inputs[0], width=width, height=height, fill=BLUE)
    _row(ax, left, 2.0 - height, inputs[1], width=width, height=height, fill=BLUE)
    t_left = left + 5 * width
    text(ax, t_left + 2 * width, 2.15, "targets y", size=10, weight="bold")
    _row(ax, t_left, 2.0, targets[0], width=width, height=height, fill=ORANGE)
    _row(ax, t_left, 2.0 - height, targets[1], width=width, height=height, fill=ORANGE)
    text(ax, left + 2 * width, 0.9, "(batch_size, context_length) = (2, 4)", size=9, color=MUTED)
    text(ax, t_left + 2 * width, 0.9, "the same windows, one token later", size=9, color=MUTED)
    text(
        ax,
        4.8,
        0.35,
        "y[b, i] is the token that follows x[b, 0], ..., x[b, i]: what the model learns to predict",
        size=10,
    )
    return fig


def fig_ch1_sliding_window():
    """Windows of context_length = 4 tokens, moved by stride = 2; targets shifted by one."""
    context_length, stride, num_windows = 4, 2, 3
    count = (num_windows - 1) * stride + context_length + 1
    ids, tokens = _story_tokens(count)
    width, height, left, gap = 0.74, 0.4, 2.1, 0.42
    fig, ax = canvas(9.6, 5.9)
    top = 5.45
    for p in range(count):
        text(ax, left + (p + 0.5) * width, top + 0.15, str(p), size=8, color=MUTED)
    text(ax, left - 0.15, top + 0.15, "position", size=8, color=MUTED, ha="right")
    text(ax, left - 0.15, top - height / 2, "tokens", size=9, color=MUTED, ha="right")
    _row(ax, left, top, tokens, width=width, height=height, fill=YELLOW, size=8)
    text(ax, left - 0.15, top - 1.5 * height, "token ids", size=9, color=MUTED, ha="right")
    _row(ax, left, top - height, ids, width=width, height=height, fill=GREY, size=8)
    row_top = top - 2 * height - 0.55
    # context_length: a bracket over window 0's inputs
    x1 = left + context_length * width
    y = row_top + 0.1
    ax.plot([left, left, x1, x1], [y - 0.07, y, y, y - 0.07], color=INK, lw=1)
    text(ax, (left + x1) / 2, y + 0.16, f"context_length = {context_length}", size=9)
    for w in range(num_windows):
        start = w * stride
        w_top = row_top - w * (2 * height + gap)
        for k, (name, offset, fill) in enumerate([("inputs x", 0, BLUE), ("targets y", 1, ORANGE)]):
            y_top = w_top - k * height
            values = ids[start + offset : start + offset + context_length]
            _row(
                ax,
                left + (start + offset) * width,
                y_top,
                values,
                width=width,
                height=height,
                fill=fill,
                size=8,
            )
            text(ax, left - 0.15, y_top - height / 2, f"window {w}: {name}", size=9, ha="right")
        if w > 0:  # stride: how far this window starts after the previous one
            y = w_top + gap / 2
            prev = left + (start - stride) * width
            arrow(ax, (prev, y), (prev + stride * width, y))
            text(ax, prev + stride * width + 0.1, y, f"stride = {stride}", size=9, ha="left")
    text(
        ax,
        4.8,
        0.3,
        "each window holds context_length examples: after reading x[0], ..., x[i], predict y[i]",
        size=10,
    )
    return fig


def fig_ch1_padding():
    """Two sentences of different lengths, padded to a rectangle, with a mask of real tokens."""
    gpt2 = gpt2_encoding()
    rows = [gpt2.encode(s) for s in ["The cat slept.", "The bird sang in the rain."]]
    longest = max(len(r) for r in rows)
    pad_id = gpt2.eot_token
    width, height, left = 0.78, 0.42, 1.6
    fig, ax = canvas(9.6, 5.6)

    def labelled_rows(top, values, fills, title, note):
        text(ax, left + longest * width / 2, top + 0.42, title, size=11, weight="bold")
        text(ax, left + longest * width / 2, top + 0.17, note, size=9, color=MUTED)
        for r, (row, row_fills) in enumerate(zip(values, fills, strict=True)):
            for k, (value, fill) in enumerate(zip(row, row_fills, strict=True)):
                box(
                    ax,
                    left + k * width,
                    top - (r + 1) * height,
                    width,
                    height,
                    str(value),
                    fill=fill,
                    size=9,
                    round_=False,
                    family="monospace",
                )
            text(
                ax,
                left - 0.15,
                top - (r + 0.5) * height,
                f"sentence {r}",
                size=9,
                color=MUTED,
                ha="right",
            )

    tokens = [[_shown(gpt2.decode([i])) for i in row] for row in rows]
    labelled_rows(
        4.75,
        tokens,
        [[YELLOW] * len(r) for r in rows],
        "two sentences",
        "lengths 4 and 7: torch.tensor refuses rows of different lengths",
    )
    padded = [row + [pad_id] * (longest - len(row)) for row in rows]
    fills = [[BLUE] * len(row) + [GREY] * (longest - len(row)) for row in rows]
    labelled_rows(
        3.05,
        padded,
        fills,
        "padded token ids",
        f"(batch_size, num_tokens) = (2, {longest}); grey: padding with id {pad_id}",
    )
    mask = [[1] * len(row) + [0] * (longest - len(row)) for row in rows]
    mask_fills = [[BLUE if m else GREY for m in row] for row in mask]
    labelled_rows(
        1.35,
        mask,
        mask_fills,
        "mask",
        "1 = a real token, 0 = padding: left out of the loss (and of attention where needed)",
    )
    text(
        ax,
        left + longest * width + 0.25,
        2.55,
        "GPT-2 has no padding\ntoken; finetuning code\n"
        "commonly pads with\n<|endoftext|>'s id, 50256",
        size=9,
        ha="left",
    )
    return fig
