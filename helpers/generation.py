"""Turning a GPT's logits into text: sampling rules, and a key-value cache (Chapter 5).

`sample_next_token` picks one id per sequence from the last position's logits (greedy,
temperature, top-k, top-p); `generate` repeats that, feeding each new id back in. With
`use_cache=True` it keeps every layer's keys and values, so each step runs the model on the one
new token instead of the whole prefix. Left out: beam search, repetition penalties, batched
prompts of different lengths (pad them yourself and mind the positions).
"""

import torch
import torch.nn.functional as F
from torch import nn

from helpers.gpt import GPTModel


def check_sampling(temperature: float, top_k: int | None, top_p: float | None) -> None:
    """Reject sampling settings that have no meaning, naming the allowed range."""
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0 (0 means greedy), got {temperature}")
    if top_k is not None and (not isinstance(top_k, int) or top_k < 1):
        raise ValueError(f"top_k must be a whole number >= 1 or None, got {top_k!r}")
    if top_p is not None and not 0.0 < top_p <= 1.0:
        raise ValueError(f"top_p must be in (0, 1] or None, got {top_p}")


def top_k_filter(logits: torch.Tensor, top_k: int) -> torch.Tensor:
    """Keep the top_k largest logits of each row (ties with the k-th included); -inf the rest."""
    top_k = min(top_k, logits.shape[-1])
    kth_largest = torch.topk(logits, top_k, dim=-1).values[..., -1:]  # (batch_size, 1)
    return logits.masked_fill(logits < kth_largest, -torch.inf)


def top_p_filter(logits: torch.Tensor, top_p: float) -> torch.Tensor:
    """Keep the fewest most likely ids whose probabilities add up to at least top_p."""
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True)
    probas = torch.softmax(sorted_logits, dim=-1)  # (batch_size, vocab_size), largest first
    mass_before = torch.cumsum(probas, dim=-1) - probas  # probability of the ids ranked above
    drop_sorted = mass_before >= top_p  # the nucleus is already full without this id
    drop = drop_sorted.scatter(-1, order, drop_sorted)  # back to vocabulary order
    return logits.masked_fill(drop, -torch.inf)


def sample_next_token(
    logits: torch.Tensor,
    *,
    temperature: float = 0.0,
    top_k: int | None = None,
    top_p: float | None = None,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Pick one id per row of logits (batch_size, vocab_size) -> (batch_size, 1).

    temperature 0 is greedy (argmax; top_k and top_p cannot change it). Otherwise the logits are
    divided by temperature, filtered by top_k then top_p, and one id is drawn from the softmax.
    """
    check_sampling(temperature, top_k, top_p)
    if logits.dim() != 2:
        raise ValueError(f"logits must be (batch_size, vocab_size), got {tuple(logits.shape)}")
    if temperature == 0:
        return torch.argmax(logits, dim=-1, keepdim=True)
    logits = logits / temperature
    if top_k is not None:
        logits = top_k_filter(logits, top_k)
    if top_p is not None:
        logits = top_p_filter(logits, top_p)
    probas = torch.softmax(logits.float(), dim=-1)  # (batch_size, vocab_size)
    return torch.multinomial(probas, num_samples=1, generator=generator)  # (batch_size, 1)


class KVCache:
    """Each layer's keys and values so far: (batch_size, num_heads, num_tokens, head_dim).

    The first append to a layer allocates room for max_tokens positions; every later one
    writes the new positions into that room. torch.cat would instead copy everything cached so
    far at every step: work that grows with the square of the number of generated tokens.
    """

    def __init__(self, num_layers: int, max_tokens: int = 1_024):
        self.max_tokens = max_tokens  # the model's context_length is always enough
        self.keys: list[torch.Tensor | None] = [None] * num_layers  # the filled part of the room
        self.values: list[torch.Tensor | None] = [None] * num_layers
        self.room: list[tuple[torch.Tensor, torch.Tensor] | None] = [None] * num_layers

    @property
    def num_tokens(self) -> int:
        """How many positions the cache holds (the position of the next token)."""
        return 0 if self.keys[0] is None else self.keys[0].shape[2]

    def append(self, layer: int, keys: torch.Tensor, values: torch.Tensor):
        """Write the new positions' keys and values into place; return all of this layer's."""
        start = 0 if self.keys[layer] is None else self.keys[layer].shape[2]
        end = start + keys.shape[2]
        if end > self.max_tokens:
            raise ValueError(f"the cache has room for {self.max_tokens} tokens, not {end}")
        if self.room[layer] is None:
            batch_size, num_heads, _, head_dim = keys.shape
            shape = (batch_size, num_heads, self.max_tokens, head_dim)
            self.room[layer] = (keys.new_empty(shape), values.new_empty(shape))
        key_room, value_room = self.room[layer]
        key_room[:, :, start:end] = keys  # along num_tokens: only the new positions are written
        value_room[:, :, start:end] = values
        self.keys[layer], self.values[layer] = key_room[:, :, :end], value_room[:, :, :end]
        return self.keys[layer], self.values[layer]


def cached_attention(
    att: nn.Module, x: torch.Tensor, cache: KVCache, layer: int, start: int
) -> torch.Tensor:
    """Chapter 3's MultiHeadAttention for the new positions start.., earlier ones from cache."""
    batch_size, num_tokens, _ = x.shape  # only the new tokens
    queries = att.split_heads(att.W_query(x))  # (batch_size, num_heads, num_tokens, head_dim)
    new_keys, new_values = att.split_heads(att.W_key(x)), att.split_heads(att.W_value(x))
    keys, values = cache.append(layer, new_keys, new_values)
    # keys, values: (batch_size, num_heads, start + num_tokens, head_dim)
    allowed = None  # one new token is the last position: it may see every cached key
    if num_tokens > 1:
        query_pos = torch.arange(start, start + num_tokens, device=x.device)
        key_pos = torch.arange(start + num_tokens, device=x.device)
        allowed = key_pos[None, :] <= query_pos[:, None]  # (num_tokens, start + num_tokens)
    context_vec = F.scaled_dot_product_attention(queries, keys, values, attn_mask=allowed)
    context_vec = context_vec.transpose(1, 2).reshape(batch_size, num_tokens, att.d_out)
    return att.out_proj(context_vec)  # (batch_size, num_tokens, d_out)


def cached_forward(model: GPTModel, new_ids: torch.Tensor, cache: KVCache) -> torch.Tensor:
    """GPTModel.forward for the new ids (batch_size, num_new), continuing at cache.num_tokens."""
    start = cache.num_tokens
    if start + new_ids.shape[1] > model.cfg.context_length:
        raise ValueError(
            f"the cache holds {start} tokens; {new_ids.shape[1]} more would pass context_length="
            f"{model.cfg.context_length}: start a new cache on the last tokens instead"
        )
    emb = model.embedding
    positions = torch.arange(start, start + new_ids.shape[1], device=new_ids.device)
    x = emb.drop_emb(
        emb.tok_emb(new_ids) + emb.pos_emb(positions)
    )  # (batch_size, num_new, emb_dim)
    for layer, block in enumerate(model.trf_blocks):
        x = x + block.drop_shortcut(
            cached_attention(block.att, block.norm1(x), cache, layer, start)
        )
        x = x + block.drop_shortcut(block.ff(block.norm2(x)))
    return model.out_head(model.final_norm(x))  # (batch_size, num_new, vocab_size)


def _next_logits(model, idx, cache, context_length) -> tuple[torch.Tensor, KVCache | None]:
    """Logits for the position after idx, using (and refilling) the cache where it can."""
    if cache is None:
        return model(idx[:, -context_length:])[:, -1, :], None
    if cache.num_tokens == 0 or idx.shape[1] > context_length:
        # First step, or past the context: every position shifts, so refill from the window.
        cache = KVCache(len(model.trf_blocks), context_length)
        return cached_forward(model, idx[:, -context_length:], cache)[:, -1, :], cache
    return cached_forward(model, idx[:, -1:], cache)[:, -1, :], cache


@torch.no_grad()
def generate(
    model: GPTModel,
    idx: torch.Tensor,
    max_new_tokens: int,
    *,
    context_length: int | None = None,
    temperature: float = 0.0,
    top_k: int | None = None,
    top_p: float | None = None,
    eos_id: int | None = None,
    generator: torch.Generator | None = None,
    use_cache: bool = True,
) -> torch.Tensor:
    """Extend idx (batch_size, num_tokens) by up to max_new_tokens ids -> (batch_size, total).

    Runs in eval mode (dropout off) and restores the model's mode after. A sequence that emits
    eos_id keeps eos_id from then on; generation stops early once every sequence has.
    """
    if idx.dim() != 2 or idx.shape[1] == 0:
        raise ValueError(f"idx must be (batch_size, num_tokens >= 1), got {tuple(idx.shape)}")
    if max_new_tokens < 0:
        raise ValueError(f"max_new_tokens must be >= 0, got {max_new_tokens}")
    check_sampling(temperature, top_k, top_p)
    limit = model.cfg.context_length
    context_length = limit if context_length is None else context_length
    if not 1 <= context_length <= limit:
        raise ValueError(
            f"context_length must be in 1..{limit} (the model's), got {context_length}"
        )
    was_training = model.training
    model.eval()
    try:
        cache = KVCache(len(model.trf_blocks)) if use_cache else None
        finished = torch.zeros(idx.shape[0], 1, dtype=torch.bool, device=idx.device)
        for _ in range(max_new_tokens):
            logits, cache = _next_logits(model, idx, cache, context_length)
            idx_next = sample_next_token(
                logits, temperature=temperature, top_k=top_k, top_p=top_p, generator=generator
            )  # (batch_size, 1)
            if eos_id is not None:
                idx_next = idx_next.masked_fill(finished, eos_id)
                finished |= idx_next == eos_id
            idx = torch.cat([idx, idx_next], dim=1)  # (batch_size, num_tokens + 1)
            if eos_id is not None and bool(finished.all()):
                break
    finally:
        model.train(was_training)
    return idx
