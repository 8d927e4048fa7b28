"""From token ids to vectors: token embeddings plus position information (Chapter 2)."""

import torch
from torch import nn


def check_token_ids(token_ids: torch.Tensor, vocab_size: int, context_length: int) -> None:
    """Raise a clear error for ids a model cannot embed: wrong dtype, rank, range or length."""
    if not isinstance(token_ids, torch.Tensor):
        raise TypeError(f"token ids must be a torch.Tensor, got {type(token_ids).__name__}")
    dtype = token_ids.dtype
    if dtype.is_floating_point or dtype.is_complex or dtype == torch.bool:
        raise TypeError(f"token ids must be integers, got dtype {dtype}; convert with ids.long()")
    if token_ids.dim() != 2:
        raise ValueError(
            f"token ids must have shape (batch_size, num_tokens), got {tuple(token_ids.shape)}; "
            "for a single sequence use ids.unsqueeze(0)"
        )
    num_tokens = token_ids.shape[1]
    if num_tokens > context_length:
        raise ValueError(
            f"sequence of {num_tokens} tokens is longer than context_length={context_length}; "
            f"keep the last {context_length} tokens with ids[:, -{context_length}:]"
        )
    if token_ids.numel() and (token_ids.min() < 0 or token_ids.max() >= vocab_size):
        bad = token_ids[(token_ids < 0) | (token_ids >= vocab_size)][0].item()
        raise ValueError(
            f"token id {bad} is out of range for vocab_size={vocab_size} (valid: 0 to "
            f"{vocab_size - 1}); was the text encoded with a different tokenizer?"
        )


def sinusoidal_encoding(context_length: int, emb_dim: int, base: float = 10_000.0) -> torch.Tensor:
    """The original Transformer's fixed position vectors, shape (context_length, emb_dim).

    encoding[pos, 2i] = sin(pos / base**(2i / emb_dim)), encoding[pos, 2i + 1] = cos(same angle)
    """
    if emb_dim < 2 or emb_dim % 2:
        raise ValueError(f"emb_dim must be even and >= 2 (sin/cos pairs), got {emb_dim}")
    positions = torch.arange(context_length, dtype=torch.float32)[:, None]  # (context_length, 1)
    pair_index = torch.arange(0, emb_dim, 2, dtype=torch.float32)  # (emb_dim // 2,)
    frequencies = base ** (-pair_index / emb_dim)  # from 1 down to nearly 1 / base
    angles = positions * frequencies  # (context_length, emb_dim // 2)
    encoding = torch.empty(context_length, emb_dim)
    encoding[:, 0::2] = torch.sin(angles)
    encoding[:, 1::2] = torch.cos(angles)
    return encoding


class InputEmbedding(nn.Module):
    """GPT-2's input: a learned vector per token id plus one per position, then dropout."""

    def __init__(self, vocab_size: int, emb_dim: int, context_length: int, drop_rate: float = 0.0):
        super().__init__()
        self.vocab_size = vocab_size
        self.context_length = context_length
        self.tok_emb = nn.Embedding(vocab_size, emb_dim)
        self.pos_emb = nn.Embedding(context_length, emb_dim)
        self.drop_emb = nn.Dropout(drop_rate)

    def forward(self, token_ids: torch.Tensor) -> torch.Tensor:
        check_token_ids(token_ids, self.vocab_size, self.context_length)
        batch_size, num_tokens = token_ids.shape
        tok_embeds = self.tok_emb(token_ids)  # (batch_size, num_tokens, emb_dim)
        positions = torch.arange(num_tokens, device=token_ids.device)  # (num_tokens,)
        pos_embeds = self.pos_emb(positions)  # (num_tokens, emb_dim)
        x = tok_embeds + pos_embeds  # broadcast over the batch: (batch_size, num_tokens, emb_dim)
        return self.drop_emb(x)
