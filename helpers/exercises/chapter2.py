"""Checks for Chapter 2's exercises (embeddings): parameter counts, rotary and shifted positions."""

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from helpers.exercises.checking import Case, _call, _seeded, exercise


@exercise("2.1")
def _check_2_1() -> list[Case]:
    """embedding_parameters(vocab_size, context_length, emb_dim): both tables' parameters."""
    cases = []
    for vocab_size, context_length, emb_dim in [
        (10, 4, 3),
        (1, 1, 1),
        (50_257, 1_024, 768),
        (50_257, 1_024, 1_600),
    ]:
        with torch.device("meta"):  # shapes only: no memory, no random numbers
            tables = nn.Embedding(vocab_size, emb_dim), nn.Embedding(context_length, emb_dim)
        counted = sum(p.numel() for table in tables for p in table.parameters())
        mistakes = [
            (vocab_size * emb_dim, "the position table is learned too: one vector per position"),
            (vocab_size + context_length, "each row of a table is a vector of emb_dim numbers"),
            (vocab_size * emb_dim + context_length, "each position's row has emb_dim numbers"),
        ]
        cases.append(
            Case(
                f"embedding_parameters({vocab_size:_}, {context_length:_}, {emb_dim:_})",
                _call(vocab_size, context_length, emb_dim),
                counted,
                "count the numbers in both tables, rows times columns each",
                mistakes,
            )
        )
    return cases


def _rotate_pairs(
    x: torch.Tensor,
    base: float,
    *,
    halves: bool = False,
    sign: float = 1.0,
    pair_step: int = 2,
    first_position: int = 0,
) -> torch.Tensor:
    """Rotary embedding via complex numbers; the keyword arguments give known wrong versions."""
    num_tokens, dim = x.shape
    x = x.double()
    first, second = (x[:, : dim // 2], x[:, dim // 2 :]) if halves else (x[:, 0::2], x[:, 1::2])
    positions = torch.arange(first_position, first_position + num_tokens, dtype=torch.float64)
    pair = torch.arange(dim // 2, dtype=torch.float64)
    angles = sign * torch.outer(positions, base ** (-pair_step * pair / dim))
    rotated = torch.complex(first, second) * torch.polar(torch.ones_like(angles), angles)
    out = torch.empty_like(x)
    if halves:
        out[:, : dim // 2], out[:, dim // 2 :] = rotated.real, rotated.imag
    else:
        out[:, 0::2], out[:, 1::2] = rotated.real, rotated.imag
    return out.float()


def _rotary_mistakes(x: torch.Tensor, base: float) -> list[tuple[torch.Tensor, str]]:
    return [
        (
            _rotate_pairs(x, base, halves=True),
            "pair neighbouring dimensions (0, 1), (2, 3), ..., not the first half with the "
            "second half",
        ),
        (
            _rotate_pairs(x, base, sign=-1.0),
            "that rotates the other way: (a, b) turned by an angle t is "
            "(a cos t - b sin t, a sin t + b cos t)",
        ),
        (
            _rotate_pairs(x, base, pair_step=1),
            "pair i's exponent is -2i / dim: i counts pairs, and 2i is the pair's first dimension",
        ),
        (_rotate_pairs(x, base, first_position=1), "the first token is at position 0: unrotated"),
    ]


@exercise("2.2")
def _check_2_2() -> list[Case]:
    """rotary(x, base): rotate each pair of dimensions by position * base ** (-2i / dim)."""
    hint = (
        "row m, pair (2i, 2i + 1) turns by the angle m * base ** (-2i / dim); try "
        "x = torch.tensor([[1.0, 0.0]] * 3) by hand: row m should become (cos m, sin m)"
    )
    cases = []
    for shows, x, base in [
        ("torch.tensor([[1.0, 0.0]] * 3)", torch.tensor([[1.0, 0.0]] * 3), 10_000.0),
        ("torch.randn(5, 4)", _seeded(1, 5, 4), 10_000.0),
        ("torch.randn(6, 8), base=100.0", _seeded(2, 6, 8), 100.0),
        ("torch.randn(1, 6): one token", _seeded(3, 1, 6), 10_000.0),
    ]:
        run = lambda answer, x=x, base=base: answer(x.clone(), base)
        cases.append(
            Case(f"rotary({shows})", run, _rotate_pairs(x, base), hint, _rotary_mistakes(x, base))
        )
    return [*cases, _rotary_scores_case(), _rotary_input_case()]


def _rotary_scores_case() -> Case:
    """The property the exercise names: a score depends on m - n only."""
    q, k = _seeded(4, 8).expand(10, 8), _seeded(5, 8).expand(10, 8)
    pairs = [(2, 0), (7, 5), (9, 7)]

    def scores(rotate: Callable) -> torch.Tensor:
        rotated_q, rotated_k = rotate(q.clone()), rotate(k.clone())
        return torch.stack([rotated_q[m] @ rotated_k[n] for m, n in pairs])

    return Case(
        f"rotary(q)[m] @ rotary(k)[n] for (m, n) in {pairs}",
        scores,
        scores(lambda x: _rotate_pairs(x, 10_000.0)),
        "with the right rotation, the score depends only on m - n: all three are equal",
    )


def _rotary_input_case() -> Case:
    def leaves_input(answer: Callable) -> bool:
        x = _seeded(6, 4, 6)
        answer(x)
        return torch.equal(x, _seeded(6, 4, 6))

    return Case(
        "x after rotary(x): left unchanged",
        leaves_input,
        True,
        "rotary changed its input x in place: write the result into a new tensor",
    )


def _sinusoids(positions: torch.Tensor, emb_dim: int, base: float) -> torch.Tensor:
    """Sinusoidal encodings of the given positions: (len(positions), emb_dim)."""
    pair = torch.arange(emb_dim // 2, dtype=torch.float64)
    angles = torch.outer(positions.double(), base ** (-2 * pair / emb_dim))
    out = torch.empty(len(positions), emb_dim, dtype=torch.float64)
    out[:, 0::2], out[:, 1::2] = torch.sin(angles), torch.cos(angles)
    return out.float()


def _shift_mistakes(encoding: torch.Tensor, k: int, base: float) -> list[tuple[Any, str]]:
    """What rotating the wrong way, by the wrong frequencies, or rolling rows gives."""
    num_positions, emb_dim = encoding.shape
    angle = k * base ** (-torch.arange(emb_dim // 2, dtype=torch.float64) / emb_dim)
    sin_part, cos_part = encoding[:, 0::2].double(), encoding[:, 1::2].double()
    by_pair_index = torch.empty_like(encoding)  # frequencies from i, not 2i
    by_pair_index[:, 0::2] = (sin_part * angle.cos() + cos_part * angle.sin()).float()
    by_pair_index[:, 1::2] = (cos_part * angle.cos() - sin_part * angle.sin()).float()
    backwards = _sinusoids(torch.arange(num_positions) - k, emb_dim, base)
    return [
        (
            backwards,
            "that moved every row k positions back: check the signs against sin(a + b) and "
            "cos(a + b)",
        ),
        (by_pair_index, "pair i's frequency is base ** (-2i / emb_dim), as in the encoding"),
        (
            torch.roll(encoding, -k, dims=0),
            "rows past the end came back from the start: compute every row from its own "
            "values, by a rotation",
        ),
    ]


@exercise("2.3")
def _check_2_3() -> list[Case]:
    """shift_encoding(encoding, k, base): rotate each row's pairs by k positions' angle."""
    hint = (
        "pair i of a row holds (sin a, cos a) with a = pos * frequency_i; moving k positions "
        "adds b = k * frequency_i to a: use sin(a + b) = sin a cos b + cos a sin b and "
        "cos(a + b) = cos a cos b - sin a sin b"
    )
    cases = []
    for num_positions, emb_dim, k, base in [
        (4, 2, 1, 10_000.0),
        (64, 32, 5, 10_000.0),
        (6, 4, 0, 10_000.0),
        (10, 8, 100, 10_000.0),
        (8, 4, 3, 100.0),
    ]:
        positions = torch.arange(num_positions)
        encoding = _sinusoids(positions, emb_dim, base)
        cases.append(
            Case(
                f"shift_encoding(encoding, k={k}, base={base}) with encoding = "
                f"sinusoidal_encoding({num_positions}, {emb_dim}, base={base})",
                lambda answer, encoding=encoding, k=k, base=base: answer(encoding.clone(), k, base),
                _sinusoids(positions + k, emb_dim, base),
                hint,
                _shift_mistakes(encoding, k, base),
            )
        )
    return cases
