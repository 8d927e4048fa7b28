"""The GPT-2 architecture, block by block (Chapter 4).

Token ids -> ``InputEmbedding`` (Chapter 2) -> ``num_layers`` x ``TransformerBlock`` (attention
from Chapter 3, then a feed-forward network, each with pre-LayerNorm and a shortcut) ->
final ``LayerNorm`` -> a linear head giving one logit per vocabulary entry. ``LayerNorm`` and
``GELU`` call PyTorch's fused kernels; Chapter 4 writes out what they compute, step by step, and
shows the two equal.
"""

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from helpers.attention import MultiHeadAttention
from helpers.embeddings import InputEmbedding


@dataclass(frozen=True)
class GPTConfig:
    """The sizes of a GPT model. Frozen: a typo in a field name fails at once."""

    vocab_size: int = 50_257  # token ids, from GPT-2's BPE tokenizer
    context_length: int = 1_024  # the longest sequence the model reads
    emb_dim: int = 768  # width of every token vector
    num_heads: int = 12  # attention heads per block; must divide emb_dim
    num_layers: int = 12  # transformer blocks
    drop_rate: float = 0.1  # dropout after embeddings, on attention weights, before shortcuts
    qkv_bias: bool = True  # GPT-2 has biases in its query, key and value projections
    tie_weights: bool = True  # the output head reuses the token embedding matrix, as in GPT-2

    def __post_init__(self):
        for name in ("vocab_size", "context_length", "emb_dim", "num_heads", "num_layers"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"GPTConfig.{name} must be a whole number >= 1, got {value!r}")
        if self.emb_dim % self.num_heads:
            raise ValueError(
                f"GPTConfig: emb_dim={self.emb_dim} is not divisible by num_heads="
                f"{self.num_heads}; choose num_heads that divides emb_dim"
            )
        if not 0.0 <= self.drop_rate < 1.0:
            raise ValueError(f"GPTConfig.drop_rate must be in [0, 1), got {self.drop_rate}")


GPT2_SMALL = GPTConfig()  # 124M parameters
GPT2_MEDIUM = GPTConfig(emb_dim=1_024, num_heads=16, num_layers=24)  # 355M
GPT2_LARGE = GPTConfig(emb_dim=1_280, num_heads=20, num_layers=36)  # 774M
GPT2_XL = GPTConfig(emb_dim=1_600, num_heads=25, num_layers=48)  # 1558M
GPT_TINY = GPTConfig(vocab_size=50_257, context_length=64, emb_dim=32, num_heads=4, num_layers=2)


class LayerNorm(nn.Module):
    """Normalize each token vector to mean 0 and variance 1, then scale and shift (learned)."""

    def __init__(self, emb_dim: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps  # keeps the division safe when a vector has (almost) no variance
        self.scale = nn.Parameter(torch.ones(emb_dim))
        self.shift = nn.Parameter(torch.zeros(emb_dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # One fused kernel for: mean, biased variance (divides by n, as in GPT-2),
        # norm_x = (x - mean) / sqrt(var + eps), then scale * norm_x + shift
        return F.layer_norm(x, self.scale.shape, self.scale, self.shift, self.eps)


class GELU(nn.Module):
    """GPT-2's activation: the tanh approximation of x * P(X <= x) for a standard normal X."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # One fused kernel for: 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))
        return F.gelu(x, approximate="tanh")


class FeedForward(nn.Module):
    """Widen each token vector 4x, apply GELU, and project back: (..., emb_dim) -> same."""

    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(cfg.emb_dim, 4 * cfg.emb_dim),
            GELU(),
            nn.Linear(4 * cfg.emb_dim, cfg.emb_dim),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


class TransformerBlock(nn.Module):
    """Pre-LayerNorm attention and feed-forward, each added back to its input (shortcut)."""

    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.att = MultiHeadAttention(
            d_in=cfg.emb_dim,
            d_out=cfg.emb_dim,
            context_length=cfg.context_length,
            dropout=cfg.drop_rate,
            num_heads=cfg.num_heads,
            qkv_bias=cfg.qkv_bias,
        )
        self.ff = FeedForward(cfg)
        self.norm1 = LayerNorm(cfg.emb_dim)
        self.norm2 = LayerNorm(cfg.emb_dim)
        self.drop_shortcut = nn.Dropout(cfg.drop_rate)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop_shortcut(self.att(self.norm1(x)))  # (batch_size, num_tokens, emb_dim)
        x = x + self.drop_shortcut(self.ff(self.norm2(x)))
        return x


class GPTModel(nn.Module):
    """GPT-2: token ids (batch_size, num_tokens) -> logits (batch_size, num_tokens, vocab_size)."""

    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.cfg = cfg
        self.embedding = InputEmbedding(
            cfg.vocab_size, cfg.emb_dim, cfg.context_length, cfg.drop_rate
        )
        self.trf_blocks = nn.Sequential(*[TransformerBlock(cfg) for _ in range(cfg.num_layers)])
        self.final_norm = LayerNorm(cfg.emb_dim)
        self.out_head = nn.Linear(cfg.emb_dim, cfg.vocab_size, bias=False)
        if cfg.tie_weights:
            self.out_head.weight = self.embedding.tok_emb.weight  # one matrix, used twice
        self.apply(init_gpt2_weights)  # std 0.02 everywhere
        init_residual_projections(self)  # then smaller for the layers that feed the shortcuts

    def forward(self, in_idx: torch.Tensor) -> torch.Tensor:
        x = self.embedding(in_idx)  # (batch_size, num_tokens, emb_dim); checks the ids
        x = self.trf_blocks(x)
        x = self.final_norm(x)
        return self.out_head(x)  # (batch_size, num_tokens, vocab_size)


def init_gpt2_weights(module: nn.Module) -> None:
    """GPT-2's initialization, first part: weights normal with std 0.02, biases 0.

    PyTorch's default embedding init (std 1) would make a tied output head give huge logits.
    """
    if isinstance(module, (nn.Linear, nn.Embedding)):
        nn.init.normal_(module.weight, mean=0.0, std=0.02)
    if isinstance(module, nn.Linear) and module.bias is not None:
        nn.init.zeros_(module.bias)


def init_residual_projections(model: GPTModel) -> None:
    """GPT-2's initialization, second part: std 0.02 / sqrt(2 * num_layers) for residual layers.

    Each block adds two outputs to the residual stream (attention's out_proj, the feed-forward's
    last Linear), so the stream sums 2 * num_layers of them; dividing their weights' std by
    sqrt(2 * num_layers) keeps the sum's size at the start about the same at any depth.
    """
    std = 0.02 / math.sqrt(2 * model.cfg.num_layers)
    for block in model.trf_blocks:
        for layer in (block.att.out_proj, block.ff.layers[2]):  # the layers added to the stream
            nn.init.normal_(layer.weight, mean=0.0, std=std)


def generate_text_simple(
    model: nn.Module, idx: torch.Tensor, max_new_tokens: int, context_size: int
) -> torch.Tensor:
    """Greedy decoding: append the most likely next token, max_new_tokens times."""
    if idx.dim() != 2:
        raise ValueError(f"idx must have shape (batch_size, num_tokens), got {tuple(idx.shape)}")
    if max_new_tokens < 0 or context_size < 1:
        raise ValueError(
            f"need max_new_tokens >= 0 and context_size >= 1, got {max_new_tokens}, {context_size}"
        )
    for _ in range(max_new_tokens):
        idx_cond = idx[:, -context_size:]  # crop to the context the model supports
        with torch.no_grad():
            logits = model(idx_cond)  # (batch_size, num_tokens, vocab_size)
        logits = logits[:, -1, :]  # only the last position predicts the next token
        probas = torch.softmax(logits, dim=-1)  # (batch_size, vocab_size)
        idx_next = torch.argmax(probas, dim=-1, keepdim=True)  # (batch_size, 1)
        idx = torch.cat((idx, idx_next), dim=1)  # (batch_size, num_tokens + 1)
    return idx


def text_to_token_ids(text: str, tokenizer) -> torch.Tensor:
    """Encode one text as a batch of one: shape (1, num_tokens)."""
    encoded = tokenizer.encode(text, allowed_special={"<|endoftext|>"})
    return torch.tensor(encoded).unsqueeze(0)


def token_ids_to_text(token_ids: torch.Tensor, tokenizer) -> str:
    """Decode a batch of one (or a flat sequence) of token ids back to text."""
    return tokenizer.decode(token_ids.squeeze(0).tolist())


def count_parameters(model: nn.Module) -> int:
    """Parameters of a model, each shared (tied) tensor counted once."""
    return sum(p.numel() for p in model.parameters())
