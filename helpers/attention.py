"""Self-attention, from one head without a mask to GPT-2's multi-head causal attention (Chapter 3).

``MultiHeadAttention`` is the module the GPT model uses. It runs PyTorch's fused
``scaled_dot_product_attention`` by default and keeps the explicit computation, which the
chapter teaches, for returning the attention weights.
"""

import torch
import torch.nn.functional as F
from torch import nn


class SelfAttention(nn.Module):
    """Scaled dot-product attention over one sequence, no mask: (num_tokens, d_in) -> d_out wide."""

    def __init__(self, d_in: int, d_out: int, qkv_bias: bool = False):
        super().__init__()
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        queries = self.W_query(x)  # (num_tokens, d_out)
        keys = self.W_key(x)
        values = self.W_value(x)
        attn_scores = queries @ keys.T  # (num_tokens, num_tokens)
        attn_weights = torch.softmax(attn_scores / keys.shape[-1] ** 0.5, dim=-1)
        return attn_weights @ values  # (num_tokens, d_out)


def causal_mask(context_length: int) -> torch.Tensor:
    """True above the diagonal: position i may not look at positions j > i."""
    return torch.triu(torch.ones(context_length, context_length, dtype=torch.bool), diagonal=1)


class CausalAttention(nn.Module):
    """One head of causal self-attention over a batch, with dropout on the attention weights."""

    def __init__(
        self, d_in: int, d_out: int, context_length: int, dropout: float, qkv_bias: bool = False
    ):
        super().__init__()
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.dropout = nn.Dropout(dropout)
        # A buffer: in state_dict and moved by .to(device), but not a parameter: never trained.
        self.register_buffer("mask", causal_mask(context_length))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch_size, num_tokens, d_in = x.shape
        queries = self.W_query(x)  # (batch_size, num_tokens, d_out)
        keys = self.W_key(x)
        values = self.W_value(x)
        attn_scores = queries @ keys.transpose(1, 2)  # (batch_size, num_tokens, num_tokens)
        attn_scores = attn_scores.masked_fill(self.mask[:num_tokens, :num_tokens], -torch.inf)
        attn_weights = torch.softmax(attn_scores / keys.shape[-1] ** 0.5, dim=-1)
        attn_weights = self.dropout(attn_weights)
        return attn_weights @ values  # (batch_size, num_tokens, d_out)


class MultiHeadAttentionWrapper(nn.Module):
    """Several independent causal heads side by side; their outputs are concatenated."""

    def __init__(
        self,
        d_in: int,
        d_out: int,
        context_length: int,
        dropout: float,
        num_heads: int,
        qkv_bias: bool = False,
    ):
        super().__init__()
        self.heads = nn.ModuleList(
            [
                CausalAttention(d_in, d_out, context_length, dropout, qkv_bias)
                for _ in range(num_heads)
            ]
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([head(x) for head in self.heads], dim=-1)  # (..., num_heads * d_out)


def check_attention_input(x: torch.Tensor, d_in: int, context_length: int) -> None:
    """Raise a clear error for input attention cannot take: wrong rank, width or length."""
    if x.dim() != 3:
        raise ValueError(
            f"attention input must have shape (batch_size, num_tokens, d_in), got "
            f"{tuple(x.shape)}; for one sequence use x.unsqueeze(0)"
        )
    if x.shape[-1] != d_in:
        raise ValueError(f"attention input has width {x.shape[-1]}, but d_in={d_in}")
    if x.shape[1] > context_length:
        raise ValueError(
            f"sequence of {x.shape[1]} tokens is longer than context_length={context_length}; "
            f"keep the last {context_length} tokens"
        )


class MultiHeadAttention(nn.Module):
    """GPT-2's causal multi-head attention: one projection split into heads, then out_proj."""

    def __init__(
        self,
        d_in: int,
        d_out: int,
        context_length: int,
        dropout: float,
        num_heads: int,
        qkv_bias: bool = False,
    ):
        super().__init__()
        if d_out % num_heads:
            raise ValueError(
                f"d_out={d_out} is not divisible by num_heads={num_heads}; each head gets "
                "d_out // num_heads dimensions, so pick values where that division is exact"
            )
        self.d_in = d_in
        self.d_out = d_out
        self.context_length = context_length
        self.num_heads = num_heads
        self.head_dim = d_out // num_heads
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.out_proj = nn.Linear(d_out, d_out)  # mixes what the heads found
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("mask", causal_mask(context_length))
        self.use_sdpa = True  # the fused kernel; set False to run the explicit computation

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        """(batch_size, num_tokens, d_out) -> (batch_size, num_heads, num_tokens, head_dim)."""
        batch_size, num_tokens, _ = x.shape
        x = x.view(batch_size, num_tokens, self.num_heads, self.head_dim)
        return x.transpose(1, 2)

    def attend(
        self, queries: torch.Tensor, keys: torch.Tensor, values: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The explicit computation: returns the context vectors and the attention weights."""
        num_tokens = queries.shape[2]
        # (batch_size, num_heads, num_tokens, head_dim) @ (..., head_dim, num_tokens)
        attn_scores = queries @ keys.transpose(2, 3)  # (..., num_tokens, num_tokens)
        attn_scores = attn_scores.masked_fill(self.mask[:num_tokens, :num_tokens], -torch.inf)
        attn_weights = torch.softmax(attn_scores / self.head_dim**0.5, dim=-1)
        attn_weights = self.dropout(attn_weights)
        context_vec = attn_weights @ values  # (batch_size, num_heads, num_tokens, head_dim)
        return context_vec, attn_weights

    def forward(
        self, x: torch.Tensor, return_attn_weights: bool = False
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        check_attention_input(x, self.d_in, self.context_length)
        batch_size, num_tokens, _ = x.shape
        # each: (batch_size, num_heads, num_tokens, head_dim)
        queries = self.split_heads(self.W_query(x))
        keys = self.split_heads(self.W_key(x))
        values = self.split_heads(self.W_value(x))
        attn_weights = None
        if self.use_sdpa and not return_attn_weights:
            # Same mask and scale as attend(); in training, its dropout draws its own masks.
            dropout_p = self.dropout.p if self.training else 0.0
            context_vec = F.scaled_dot_product_attention(
                queries, keys, values, dropout_p=dropout_p, is_causal=True
            )
        else:
            context_vec, attn_weights = self.attend(queries, keys, values)
        context_vec = context_vec.transpose(1, 2)  # (batch_size, num_tokens, num_heads, head_dim)
        context_vec = context_vec.reshape(batch_size, num_tokens, self.d_out)
        out = self.out_proj(context_vec)  # (batch_size, num_tokens, d_out)
        return (out, attn_weights) if return_attn_weights else out
