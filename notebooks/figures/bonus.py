"""The bonus chapter's diagrams: one BPE training step, and encoding a piece by rank.

The numbers are the chapter's own: the bytes of "low lower lowest" (its first training example)
and the three-merge table {b"lo": 256, b"low": 257, b"er": 258} it encodes "lower" with.
A space is drawn as "␣".
"""

from collections import Counter

from draw import BLUE, GREEN, GREY, MUTED, ORANGE, YELLOW, arrow, box, canvas
from draw import label as text

from helpers.bpe import merge_pair

TEXT = b"low lower lowest"
RANKS = {b"lo": 256, b"low": 257, b"er": 258}


def _char(token: bytes) -> str:
    return token.decode("utf-8").replace(" ", "␣")


def _row(ax, x, y_top, values, fills, *, width, height, size=9):
    """One row of cells, each value on its own line pair; (x, y_top) is the top-left corner."""
    for k, (value, fill) in enumerate(zip(values, fills, strict=True)):
        box(
            ax,
            x + k * width,
            y_top - height,
            width,
            height,
            value,
            fill=fill,
            size=size,
            round_=False,
            family="monospace",
        )


def fig_bonus_merge_step():
    """Count adjacent pairs, merge the most frequent (ties: the smaller pair) into id 256."""
    ids = list(TEXT)
    counts = Counter(zip(ids, ids[1:], strict=False))
    pair = min(counts, key=lambda p: (-counts[p], p))
    merged = merge_pair(ids, pair, 256)
    vocab = {i: bytes([i]) for i in range(256)} | {256: bytes(pair)}
    width, height, left = 0.52, 0.62, 1.0
    fig, ax = canvas(9.6, 6.0)
    # before: 16 bytes, the chosen pair highlighted where it occurs
    starts = [i for i in range(len(ids) - 1) if (ids[i], ids[i + 1]) == pair]
    in_pair = {i for s in starts for i in (s, s + 1)}
    text(
        ax,
        left,
        5.7,
        f"before: {len(ids)} tokens (the bytes of {TEXT.decode()!r})",
        size=11,
        weight="bold",
        ha="left",
    )
    _row(
        ax,
        left,
        5.45,
        [f"{_char(bytes([i]))}\n{i}" for i in ids],
        [ORANGE if k in in_pair else YELLOW for k in range(len(ids))],
        width=width,
        height=height,
    )
    # the counts, most frequent first
    top = sorted(counts, key=lambda p: (-counts[p], p))[:5]
    text(ax, left, 4.45, "1. count every adjacent pair (the 5 most frequent)", size=10, ha="left")
    for r, p in enumerate(top):
        y = 4.1 - r * 0.3
        fill = ORANGE if p == pair else GREY
        box(
            ax,
            left + 0.2,
            y - 0.13,
            2.6,
            0.26,
            f"{p}  {_char(bytes(p))!r:6}",
            fill=fill,
            size=9,
            round_=False,
            family="monospace",
        )
        text(ax, left + 3.0, y, f"{counts[p]}x", size=9, ha="left")
    text(
        ax,
        left + 3.7,
        3.8,
        "2. merge the most frequent pair; on a tie the\n"
        f"smaller pair wins: {top[0]} before {top[1]}",
        size=10,
        ha="left",
    )
    text(
        ax,
        left + 3.7,
        3.12,
        f"3. give it the next free id: {pair} -> 256 = {vocab[256]!r}",
        size=10,
        ha="left",
    )
    arrow(ax, (4.8, 2.45), (4.8, 2.0), "replace each occurrence, left to right", offset=(1.8, -0.1))
    text(ax, left, 1.75, f"after: {len(merged)} tokens", size=11, weight="bold", ha="left")
    _row(
        ax,
        left,
        1.5,
        [f"{_char(vocab[i])}\n{i}" for i in merged],
        [GREEN if i == 256 else YELLOW for i in merged],
        width=width,
        height=height,
    )
    text(
        ax,
        left + len(merged) * width + 0.2,
        1.5 - height / 2,
        "repeat with the\nnew counts",
        size=9,
        color=MUTED,
        ha="left",
    )
    return fig


def _encode_steps(data: bytes) -> list[tuple[list[bytes], bytes | None]]:
    """Each state of the parts, and the pair of parts merged next (lowest rank, leftmost)."""
    parts = [bytes([b]) for b in data]
    steps = []
    while True:
        candidates = [
            (RANKS[a + b], i)
            for i, (a, b) in enumerate(zip(parts, parts[1:], strict=False))
            if a + b in RANKS
        ]
        if not candidates:
            steps.append((parts, None))
            return steps
        _, i = min(candidates)
        steps.append((parts, parts[i] + parts[i + 1]))
        parts = parts[:i] + [parts[i] + parts[i + 1]] + parts[i + 2 :]


def fig_bonus_encode_by_rank():
    """Encoding b"lower": merge the adjacent pair with the lowest rank until none is left."""
    ranks = {bytes([b]): b for b in range(256)} | RANKS
    steps = _encode_steps(b"lower")
    width, height, left = 0.72, 0.5, 1.2
    fig, ax = canvas(9.6, 4.6)
    text(
        ax,
        left,
        4.3,
        "ranks: "
        + ", ".join(f"{k!r} = {v}" for k, v in RANKS.items())
        + "; a single byte's rank is its value",
        size=10,
        ha="left",
    )
    for s, (parts, chosen) in enumerate(steps):
        y_top = 3.8 - s * 0.9
        text(ax, left - 0.2, y_top - height / 2, f"step {s}", size=10, ha="right", color=MUTED)
        pairs = [a + b for a, b in zip(parts, parts[1:], strict=False)]
        first = pairs.index(chosen) if chosen is not None else -1
        fills = [
            ORANGE if first >= 0 and k in (first, first + 1) else BLUE for k in range(len(parts))
        ]
        _row(
            ax,
            left,
            y_top,
            [f"{p.decode()}\n{ranks[p]}" for p in parts],
            fills,
            width=width,
            height=height,
        )
        x_note = left + 5 * width + 0.3
        known = [f"{p.decode()!r} {RANKS[p]}" for p in pairs if p in RANKS]
        if chosen is None:
            note = f"no adjacent pair has a rank: done, ids {[ranks[p] for p in parts]}"
        else:
            note = f"ranked pairs: {', '.join(known)}; merge the lowest, {chosen.decode()!r}"
        text(ax, x_note, y_top - height / 2, note, size=10, ha="left")
    return fig
