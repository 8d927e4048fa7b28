"""Checks for Chapter 3's exercises (attention): a merged projection, memory, padded batches."""

import math

import torch
import torch.nn.functional as F
from torch import nn

from helpers.attention import MultiHeadAttention
from helpers.exercises.checking import Case, _call, _seeded, _tensor_difference, exercise


def _projections(seed: int, d_in: int, d_out: int, bias: bool) -> tuple[nn.Linear, ...]:
    torch.manual_seed(seed)
    return tuple(nn.Linear(d_in, d_out, bias=bias) for _ in range(3))


def _judge_merged(got: torch.Tensor, expected: tuple[torch.Tensor, torch.Tensor]) -> str | None:
    """got: the merged layer's output; expected: (queries|keys|values, keys|queries|values)."""
    right, swapped = expected
    difference = _tensor_difference(got, right, 1e-5)
    if difference is None:
        return None
    if difference:
        return (
            f"{difference}: the merged layer maps d_in numbers to 3 * d_out; its weight is "
            "(3 * d_out, d_in), the three weights stacked along dim 0"
        )
    if _tensor_difference(got, swapped, 1e-5) is None:
        return "the parts come out in the order query, key, value: stack them in that order"
    offset = (got - right).detach().reshape(-1, right.shape[-1])
    if torch.allclose(offset, offset[:1].expand_as(offset), atol=1e-5):
        return (
            "the outputs are off by the same vector for every token: that is a bias; give the "
            "merged layer the three biases, or none when the projections have none"
        )
    return "stack the three weight matrices (and biases) so the output splits into q, k, v"


@exercise("3.1")
def _check_3_1() -> list[Case]:
    """merged_projection(W_query, W_key, W_value): one nn.Linear for all three projections."""
    cases = []
    for seed, d_in, d_out, bias, x_shape in [
        (1, 3, 2, True, (6, 3)),
        (2, 16, 8, True, (2, 5, 16)),
        (3, 16, 8, False, (2, 5, 16)),
    ]:
        layers = _projections(seed, d_in, d_out, bias)
        x = _seeded(seed, *x_shape)
        with torch.no_grad():
            q, k, v = (layer(x) for layer in layers)
        cases.append(
            Case(
                f"merged_projection(W_query, W_key, W_value)(x): nn.Linear({d_in}, {d_out}, "
                f"bias={bias}) each, x of shape {x_shape}",
                lambda answer, layers=layers, x=x: answer(*layers)(x),
                (torch.cat([q, k, v], dim=-1), torch.cat([k, q, v], dim=-1)),
                "",
                judge=_judge_merged,
                shows_expected="the queries, keys and values side by side, shape "
                f"{(*x_shape[:-1], 3 * d_out)}",
                on_error="merged_projection returns one nn.Linear that can be called on x",
            )
        )
    layers = _projections(4, 16, 8, True)
    describe = lambda m: (type(m).__name__, m.in_features, m.out_features)
    cases.append(
        Case(
            "merged_projection(W_query, W_key, W_value) with nn.Linear(16, 8) each",
            lambda answer: describe(answer(*layers)),
            ("Linear", 16, 24),
            "GPT-2's c_attn is one nn.Linear(d_in, 3 * d_out)",
        )
    )
    return cases


@exercise("3.2")
def _check_3_2() -> list[Case]:
    """attention_weights_gib(batch_size, num_heads, num_tokens, bytes_per_number): memory."""
    dtypes = {4: torch.float32, 2: torch.bfloat16, 8: torch.float64}
    cases = []
    for batch_size, num_heads, num_tokens, size in [
        (2, 3, 5, 4),
        (8, 12, 1_024, 4),
        (8, 12, 4_096, 4),
        (2, 12, 1_024, 2),
        (1, 1, 1, 4),
    ]:
        shape = (batch_size, num_heads, num_tokens, num_tokens)
        weights = torch.empty(shape, dtype=dtypes[size], device="meta")  # no memory used
        gib = weights.numel() * weights.element_size() / 2**30
        mistakes = [
            (gib / num_tokens, "there is one weight per pair of tokens: num_tokens x num_tokens"),
            (gib * 2**30 / 1e9, "a GiB is 2**30 bytes (1e9 bytes is a GB)"),
            (gib / size, f"each number takes {size} bytes"),
            (gib / num_heads, "every head has its own weights"),
            (gib / batch_size, "every sequence of the batch has its own weights"),
        ]
        cases.append(
            Case(
                f"attention_weights_gib({batch_size}, {num_heads}, {num_tokens:_}, "
                f"bytes_per_number={size})",
                _call(batch_size, num_heads, num_tokens, size),
                gib,
                "count the numbers (one per sequence, head, query token and key token), times "
                "bytes per number, then convert bytes to GiB",
                [(w, h) for w, h in mistakes if not math.isclose(w, gib)],
            )
        )
    return cases


def _attention_alone(mha: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Causal multi-head attention of one sentence (num_tokens, d_in), dropout off, via SDPA."""
    num_tokens = x.shape[0]
    num_heads, head_dim = mha.num_heads, mha.d_out // mha.num_heads
    with torch.no_grad():
        q, k, v = (
            W(x).view(num_tokens, num_heads, head_dim).transpose(0, 1)  # (num_heads, n, head_dim)
            for W in (mha.W_query, mha.W_key, mha.W_value)
        )
        context_vec = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return mha.out_proj(context_vec.transpose(0, 1).reshape(num_tokens, mha.d_out))


def _left_padded(mha: nn.Module, sentences: list[torch.Tensor]) -> list[torch.Tensor]:
    """What padding with zeros at the front gives: the known mistake."""
    longest = max(len(s) for s in sentences)
    rows = [torch.cat([torch.zeros(longest - len(s), s.shape[1]), s]) for s in sentences]
    out = torch.stack([_attention_alone(mha, row) for row in rows])
    return [out[i, longest - len(s) :] for i, s in enumerate(sentences)]


@exercise("3.3")
def _check_3_3() -> list[Case]:
    """batch_outputs(mha, sentences): pad at the end, run as one batch, keep the real positions."""
    left_hint = (
        "padding before the real tokens changes them: the causal mask lets every later "
        "position see it"
    )
    cases = []
    for seed, d_in, d_out, lengths, dropout in [
        (1, 3, 4, [2, 4], 0.0),
        (2, 8, 8, [1, 5, 3], 0.0),
        (3, 8, 8, [4], 0.0),
        (4, 8, 8, [4, 4], 0.0),
        (5, 8, 8, [3, 6], 0.5),
    ]:
        torch.manual_seed(seed)
        mha = MultiHeadAttention(d_in, d_out, 8, dropout, num_heads=2)  # left in training mode
        sentences = [_seeded(seed * 10 + i, n, d_in) for i, n in enumerate(lengths)]
        hint = (
            "each sentence's outputs must equal what it gives run alone: pad after the real "
            "tokens, and return only the real positions, (its num_tokens, d_out) each"
        )
        if dropout:
            hint = "mha is in training mode with dropout: the exercise runs it in eval mode"
        cases.append(
            Case(
                f"batch_outputs(mha, sentences): sentences of {lengths} tokens, d_in={d_in}, "
                f"num_heads=2, dropout={dropout}",
                lambda answer, mha=mha, s=sentences: answer(mha, [x.clone() for x in s]),
                [_attention_alone(mha, s) for s in sentences],
                hint,
                [(_left_padded(mha, sentences), left_hint)] if len(set(lengths)) > 1 else [],
            )
        )
    return cases
