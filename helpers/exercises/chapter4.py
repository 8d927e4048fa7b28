"""Checks for Chapter 4's exercises (the GPT model): dropout rates, parameter counts, FLOPs."""

import functools
import math

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from helpers.exercises.checking import Case, _call, exercise
from helpers.gpt import GPTConfig, GPTModel


def _tiny_config(num_layers: int = 2, drop_rate: float = 0.0, vocab_size: int = 50) -> GPTConfig:
    return GPTConfig(
        vocab_size=vocab_size,
        context_length=16,
        emb_dim=16,
        num_heads=2,
        num_layers=num_layers,
        drop_rate=drop_rate,
    )


def _dropout_rates(model: nn.Module) -> dict[str, float]:
    return {name: m.p for name, m in model.named_modules() if isinstance(m, nn.Dropout)}


def _rates_by_role(names: list[str], emb: float, attn: float, shortcut: float) -> dict:
    """The p each nn.Dropout should have, from its name: drop_emb, att.dropout, drop_shortcut."""
    roles = {"drop_emb": emb, "dropout": attn, "drop_shortcut": shortcut}
    return {name: roles[name.rsplit(".", 1)[-1]] for name in names}


@exercise("4.1")
def _check_4_1() -> list[Case]:
    """set_dropout(model, emb, attn, shortcut): three dropout rates in a built model."""
    cases = []
    for num_layers, emb, attn, shortcut in [
        (2, 0.1, 0.0, 0.2),
        (3, 0.0, 0.3, 0.05),
        (1, 0.0, 0.0, 0.0),
    ]:
        cfg = _tiny_config(num_layers, drop_rate=0.5)
        before = _dropout_rates(GPTModel(cfg))
        names = list(before)
        first_block = [n for n in names if n.startswith(("embedding.", "trf_blocks.0."))]
        expected = _rates_by_role(names, emb, attn, shortcut)
        mistakes = [
            (
                before | _rates_by_role(first_block, emb, attn, shortcut),
                "every block has its own dropout modules: set them in all of model.trf_blocks",
            ),
            (
                _rates_by_role(names, emb, shortcut, attn),
                "att.dropout acts on the attention weights; drop_shortcut on each branch before "
                "it is added back",
            ),
            (
                before,
                "no nn.Dropout changed: a number stored on the model or its cfg after it is "
                "built reaches no module; set each nn.Dropout's p",
            ),
        ]
        cases.append(
            Case(
                f"set_dropout(GPTModel(cfg with num_layers={num_layers}, drop_rate=0.5), "
                f"emb={emb}, attn={attn}, shortcut={shortcut}): every nn.Dropout's p",
                lambda answer, cfg=cfg, rates=(emb, attn, shortcut): _dropout_rates(
                    answer(GPTModel(cfg), *rates)
                ),
                expected,
                "find every nn.Dropout with model.named_modules(): its name says where it acts",
                [(w, h) for w, h in mistakes if w != expected],
            )
        )
    return cases


@functools.cache
def _gpt_parameters(vocab_size: int, context_length: int, emb_dim: int, num_layers: int) -> int:
    """GPT-2's parameter count (head tied), counted on a model built on the meta device."""
    cfg = GPTConfig(vocab_size, context_length, emb_dim, num_heads=1, num_layers=num_layers)
    with torch.device("meta"):  # shapes only: no memory, no random numbers
        model = GPTModel(cfg)
    return sum(p.numel() for p in model.parameters())  # the tied matrix is one parameter


# What a known mistake adds to the count, from (vocab_size, context_length, emb_dim, num_layers).
_PARAMETER_MISTAKES = [
    (
        lambda v, c, d, n: v * d,
        "GPT-2 ties the output head to the token embedding: count that matrix once",
    ),
    (lambda v, c, d, n: -c * d, "the position embeddings are parameters too"),
    (
        lambda v, c, d, n: -2 * d,
        "the final LayerNorm (after the last block) has a scale and a shift",
    ),
    (
        lambda v, c, d, n: -n * 4 * d - 2 * d,
        "each LayerNorm has a scale and a shift of emb_dim numbers: two per block, one at the end",
    ),
    (
        lambda v, c, d, n: -n * 9 * d,
        "the Linear layers have biases: the query, key, value and output projections, and both "
        "feed-forward layers",
    ),
    (
        lambda v, c, d, n: -n * (8 * d * d + 5 * d),
        "the feed-forward network widens to 4 * emb_dim and comes back: two Linear layers in "
        "each block",
    ),
]


@exercise("4.2")
def _check_4_2() -> list[Case]:
    """gpt2_parameters(vocab_size, context_length, emb_dim, num_layers): GPT-2's count."""
    cases = []
    for v, c, d, n in [
        (10, 7, 4, 1),
        (10, 7, 4, 3),
        (50_257, 1_024, 768, 12),
        (50_257, 1_024, 1_024, 24),
    ]:
        expected = _gpt_parameters(v, c, d, n)
        cases.append(
            Case(
                f"gpt2_parameters(vocab_size={v:_}, context_length={c:_}, emb_dim={d:_}, "
                f"num_layers={n})",
                _call(v, c, d, n),
                expected,
                "list every layer with parameters: per block attention, feed-forward and two "
                "LayerNorms; outside the blocks the two embedding tables and the final LayerNorm; "
                "count weights and biases",
                [(expected + change(v, c, d, n), hint) for change, hint in _PARAMETER_MISTAKES],
            )
        )
    return cases


def _forward_flops(model: nn.Module, ids: torch.Tensor) -> int:
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(ids)
    return counter.get_total_flops()


@exercise("4.3")
def _check_4_3() -> list[Case]:
    """flops_per_token(model, ids): a forward pass's FLOPs divided by the number of tokens."""
    cases = []
    for batch_size, num_tokens, use_sdpa in [
        (1, 8, True),
        (2, 8, True),
        (1, 1, True),
        (2, 8, False),
    ]:
        torch.manual_seed(0)
        model = GPTModel(_tiny_config())
        for block in model.trf_blocks:
            block.att.use_sdpa = use_sdpa
        shape = (batch_size, num_tokens)
        ids = torch.randint(0, 50, shape, generator=torch.Generator().manual_seed(1))
        total = _forward_flops(model, ids)
        mistakes = [
            (total, "that is the whole forward pass: divide by the number of tokens"),
            (total / num_tokens, "ids hold batch_size x num_tokens tokens: divide by all of them"),
            (3 * total / ids.numel(), "count the forward pass only, with no backward pass"),
        ]
        cases.append(
            Case(
                f"flops_per_token(model, ids): a 2-block GPT, emb_dim 16, ids of shape {shape}, "
                f"use_sdpa={use_sdpa}",
                lambda answer, model=model, ids=ids: answer(model, ids.clone()),
                total / ids.numel(),
                "count one forward pass with FlopCounterMode, then divide by the tokens in ids",
                [(w, h) for w, h in mistakes if not math.isclose(w, total / ids.numel())],
            )
        )
    return cases
