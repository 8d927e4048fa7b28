"""Low-rank adaptation (LoRA): finetune a few small matrices instead of the whole model.

Full finetuning changes every weight W. LoRA freezes W and learns an update of low rank:
`W x + (alpha / rank) * B A x`, with A (rank, d_in) and B (d_out, rank). With rank much
smaller than d_in and d_out that is far fewer numbers to train and store per task. B starts
at zero, so the adapted model starts as exactly the pretrained one; A starts random, or the
gradient of B would be zero too. After training, `W + (alpha / rank) * B A` is an ordinary
matrix: merging it back costs nothing at inference.
"""

import math
import re

import torch
from torch import nn

# The attention projections and both feed-forward layers of every transformer block.
DEFAULT_TARGET = r"\.(att\.(W_query|W_key|W_value|out_proj)|ff\.layers\.[02])$"


class LoRALinear(nn.Module):
    """A frozen nn.Linear plus a trainable low-rank update: W x + b + (alpha / rank) * B A x."""

    def __init__(self, linear: nn.Linear, rank: int, alpha: float):
        super().__init__()
        if not isinstance(linear, nn.Linear):
            raise TypeError(f"LoRALinear wraps an nn.Linear, got {type(linear).__name__}")
        check_rank(rank)
        self.linear = linear.requires_grad_(False)
        self.A = nn.Parameter(torch.empty(rank, linear.in_features))
        nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))  # as nn.Linear initialises its weight
        self.B = nn.Parameter(torch.zeros(linear.out_features, rank))  # zero: no change at first
        self.scaling = alpha / rank

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        update = (x @ self.A.T) @ self.B.T  # (..., d_in) -> (..., rank) -> (..., d_out)
        return self.linear(x) + self.scaling * update

    @torch.no_grad()
    def merged(self) -> nn.Linear:
        """An ordinary nn.Linear with W + (alpha / rank) * B A: the same outputs, no adapter."""
        plain = nn.Linear(
            self.linear.in_features, self.linear.out_features, bias=self.linear.bias is not None
        )
        plain.to(self.linear.weight.device, self.linear.weight.dtype)
        plain.weight.copy_(self.linear.weight + self.scaling * self.B @ self.A)
        if self.linear.bias is not None:
            plain.bias.copy_(self.linear.bias)
        return plain.requires_grad_(False)


def check_rank(rank: int) -> None:
    """A LoRA rank is a whole number >= 1: the width of the update's bottleneck."""
    if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
        raise ValueError(f"LoRA rank must be a whole number >= 1, got {rank!r}")


def _replace(model: nn.Module, name: str, new: nn.Module) -> None:
    """Put new where the submodule called name ('a.b.c') was."""
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)


def apply_lora(
    model: nn.Module, rank: int, alpha: float, target: str = DEFAULT_TARGET
) -> nn.Module:
    """Wrap every nn.Linear whose name matches the regex target; freeze all but the adapters."""
    check_rank(rank)
    names = [
        name
        for name, module in model.named_modules()
        if isinstance(module, nn.Linear) and re.search(target, "." + name)
    ]
    if not names:
        linears = [n for n, m in model.named_modules() if isinstance(m, nn.Linear)][:3]
        raise ValueError(f"target {target!r} matches no nn.Linear; their names look like {linears}")
    model.requires_grad_(False)
    for name in names:
        _replace(model, name, LoRALinear(model.get_submodule(name), rank, alpha))
    return model


def merge_lora(model: nn.Module) -> nn.Module:
    """Fold every adapter into its layer and put the plain nn.Linear back, in place."""
    names = [name for name, module in model.named_modules() if isinstance(module, LoRALinear)]
    for name in names:
        _replace(model, name, model.get_submodule(name).merged())
    return model


def count_trainable(model: nn.Module) -> int:
    """Parameters that an optimizer would update (requires_grad), shared tensors counted once."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
