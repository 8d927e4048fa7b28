"""Chapter 3's diagrams: queries, keys and values; the causal mask; splitting into heads.

The numbers are the chapter's own: the six-token sentence with 3-dimensional embeddings, the
`SelfAttention(3, 2)` that `torch.manual_seed(123)` gives, and the `torch.arange(12)` example
of the head split.
"""

import torch
from draw import BLUE, GREEN, GREY, MUTED, ORANGE, PURPLE, RED, YELLOW, arrow, box, canvas, cells
from draw import label as text

from helpers.attention import SelfAttention, causal_mask

WORDS = ["the", "bird", "did", "not", "sing", "today"]
INPUTS = [
    [0.21, 0.85, 0.33],
    [0.77, 0.12, 0.64],
    [0.30, 0.66, 0.19],
    [0.05, 0.91, 0.72],
    [0.69, 0.24, 0.88],
    [0.48, 0.37, 0.11],
]


def fig_ch3_qkv():
    """One input, three projections: queries and keys make the weights, values are mixed."""
    fig, ax = canvas(10.0, 4.4)
    box(ax, 0.2, 1.75, 1.5, 0.9, "inputs\n(num_tokens, d_in)", fill=YELLOW, size=9)
    names = [("W_query", "queries", 3.3), ("W_key", "keys", 2.2), ("W_value", "values", 0.8)]
    for weight, result, y in names:
        arrow(ax, (1.75, 2.2), (2.35, y + 0.3), color=MUTED)
        box(ax, 2.4, y, 1.25, 0.6, f"{weight}\n(d_in, d_out)", fill=GREEN, size=8.5)
        arrow(ax, (3.7, y + 0.3), (4.2, y + 0.3))
        box(ax, 4.25, y, 1.55, 0.6, f"{result}\n(num_tokens, d_out)", fill=BLUE, size=8.5)
    # scores from queries and keys, then weights, then the weighted sum of values
    arrow(ax, (5.85, 3.6), (6.45, 3.15), color=MUTED)
    arrow(ax, (5.85, 2.5), (6.45, 2.95), color=MUTED)
    box(ax, 6.5, 2.7, 1.6, 0.75, "attn_scores\nqueries @ keys.T", fill=ORANGE, size=8.5)
    text(ax, 7.3, 2.55, "(num_tokens, num_tokens)", size=8, color=MUTED)
    arrow(ax, (7.3, 2.4), (7.3, 2.05))
    text(ax, 7.4, 2.22, "softmax(attn_scores / sqrt(d_k))", size=8, color=MUTED, ha="left")
    box(ax, 6.5, 1.35, 1.6, 0.65, "attn_weights\nrows sum to 1", fill=ORANGE, size=8.5)
    arrow(ax, (8.15, 1.67), (8.6, 1.45))
    arrow(ax, (5.85, 1.05), (8.6, 1.05), color=MUTED)
    box(ax, 8.65, 0.75, 1.25, 0.9, "context_vec\nattn_weights\n@ values", fill=PURPLE, size=8.5)
    text(ax, 9.27, 0.6, "(num_tokens, d_out)", size=8, color=MUTED)
    text(ax, 1.0, 1.5, "one vector per token", size=8, color=MUTED)
    text(ax, 3.0, 4.2, "three learned projections of the same input", size=9, color=MUTED)
    text(
        ax,
        5.0,
        0.3,
        "queries ask, keys answer (their dot products are the scores), values are what gets mixed",
        size=9,
    )
    return fig


def _masked_scores() -> tuple[list[list[str]], list[list[str]]]:
    torch.manual_seed(123)
    sa = SelfAttention(3, 2)
    x = torch.tensor(INPUTS)
    with torch.no_grad():
        scores = sa.W_query(x) @ sa.W_key(x).T  # (num_tokens, num_tokens)
    mask = causal_mask(6)
    masked = scores.masked_fill(mask, -torch.inf)
    weights = torch.softmax(masked / 2**0.5, dim=-1)
    score_text = [
        ["-inf" if m else f"{v:.2f}" for v, m in zip(r, mr, strict=True)]
        for r, mr in zip(scores.tolist(), mask.tolist(), strict=True)
    ]
    weight_text = [[f"{v:.2f}" if v else "0" for v in row] for row in weights.tolist()]
    return score_text, weight_text


def _word_labels(ax, x, y, cell):
    for i, word in enumerate(WORDS):
        text(ax, x - 0.08, y - (i + 0.5) * cell, word, size=8, ha="right")
        text(ax, x + (i + 0.5) * cell, y + 0.08, word, size=8, rotation=90, va="bottom")


def fig_ch3_causal_mask():
    """The mask, the scores with -inf above the diagonal, and the weights after softmax."""
    scores, weights = _masked_scores()
    mask = causal_mask(6).tolist()
    fig, ax = canvas(10.0, 4.3)
    cell, top = 0.4, 3.1
    lefts = [0.65, 4.05, 7.45]
    above = [[RED if m else GREY for m in row] for row in mask]
    mask_text = [["True" if m else "" for m in row] for row in mask]
    cells(ax, lefts[0], top, mask_text, cell=cell, fills=above, size=6)
    cells(ax, lefts[1], top, scores, cell=cell, fills=above, size=7)
    below = [[GREY if m else BLUE for m in row] for row in mask]
    cells(ax, lefts[2], top, weights, cell=cell, fills=below, size=7)
    titles = [
        "mask = causal_mask(6)",
        "attn_scores.masked_fill(mask, -inf)",
        "softmax(... / sqrt(d_k), dim=-1)",
    ]
    notes = [
        "True above the diagonal: a later token",
        "-inf where the mask is True",
        "exp(-inf) = 0: no weight on later tokens;",
    ]
    notes2 = ["(column) that this token (row) may not see", "", "each row sums to 1"]
    for left, title, note, note2 in zip(lefts, titles, notes, notes2, strict=True):
        _word_labels(ax, left, top, cell)
        text(ax, left + 3 * cell, 0.55, title, size=9, weight="bold")
        text(ax, left + 3 * cell, 0.3, note, size=8, color=MUTED)
        text(ax, left + 3 * cell, 0.1, note2, size=8, color=MUTED)
    arrow(ax, (lefts[0] + 6 * cell + 0.1, 1.9), (lefts[1] - 0.55, 1.9))
    arrow(ax, (lefts[1] + 6 * cell + 0.1, 1.9), (lefts[2] - 0.55, 1.9))
    text(
        ax,
        0.1,
        4.05,
        "rows: the token that attends (query);  columns: the token attended to (key)",
        size=9,
        ha="left",
        color=MUTED,
    )
    return fig


def fig_ch3_head_split():
    """(1, 3, 4) -> view -> (1, 3, 2, 2) -> transpose(1, 2) -> (1, 2, 3, 2)."""
    values = torch.arange(12).view(3, 4).tolist()
    head_fill = [BLUE, BLUE, ORANGE, ORANGE]
    fig, ax = canvas(10.0, 4.0)
    cell, top = 0.42, 2.9
    # 1) the projection's output: num_tokens rows of d_out numbers
    cells(ax, 0.6, top, values, cell=cell, fills=[head_fill] * 3, size=9)
    for t in range(3):
        text(ax, 0.52, top - (t + 0.5) * cell, f"token {t}", size=8, color=MUTED, ha="right")
    text(ax, 0.6 + 2 * cell, 3.55, "W_query(x), numbered 0 to 11", size=10, weight="bold")
    text(ax, 0.6 + 2 * cell, 3.3, "(batch_size, num_tokens, d_out)", size=8, color=MUTED)
    text(ax, 0.6 + 2 * cell, top - 3 * cell - 0.2, "= (1, 3, 4)", size=8, color=MUTED)
    # 2) view: each row cut into num_heads pieces of head_dim
    arrow(ax, (2.45, 2.27), (3.25, 2.27), ".view(1, 3, 2, 2)", size=8)
    left2 = 3.45
    for t in range(3):
        for h in range(2):
            piece = [values[t][2 * h : 2 * h + 2]]
            x = left2 + h * (2 * cell + 0.15)
            cells(ax, x, top - t * (cell + 0.1), piece, cell=cell, fill=head_fill[2 * h], size=9)
    text(ax, left2 + 2 * cell + 0.07, 3.55, "split each row", size=10, weight="bold")
    text(
        ax,
        left2 + 2 * cell + 0.07,
        3.3,
        "(batch_size, num_tokens, num_heads, head_dim)",
        size=8,
        color=MUTED,
    )
    text(ax, left2 + 2 * cell + 0.07, top - 3 * cell - 0.4, "= (1, 3, 2, 2)", size=8, color=MUTED)
    # 3) transpose: heads first, so each head is a (num_tokens, head_dim) matrix
    arrow(ax, (5.45, 2.27), (6.35, 2.27), ".transpose(1, 2)", size=8)
    left3 = 6.6
    for h in range(2):
        block = [values[t][2 * h : 2 * h + 2] for t in range(3)]
        x = left3 + h * (2 * cell + 0.45)
        cells(ax, x, top, block, cell=cell, fill=head_fill[2 * h], size=9)
        text(ax, x + cell, top - 3 * cell - 0.2, f"head {h}", size=9)
    text(ax, left3 + 2 * cell + 0.2, 3.55, "one matrix per head", size=10, weight="bold")
    text(
        ax,
        left3 + 2 * cell + 0.2,
        3.3,
        "(batch_size, num_heads, num_tokens, head_dim)",
        size=8,
        color=MUTED,
    )
    text(ax, left3 + 2 * cell + 0.2, top - 3 * cell - 0.45, "= (1, 2, 3, 2)", size=8, color=MUTED)
    text(
        ax,
        5.0,
        0.45,
        "d_out = num_heads * head_dim = 2 * 2 (in the GPT model, d_out = emb_dim);\n"
        "blue columns go to head 0, orange to head 1; no number is copied or changed;\n"
        "then queries @ keys.transpose(2, 3) computes every head's scores in one batched matmul",
        size=9,
    )
    return fig
