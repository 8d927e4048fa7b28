"""helpers.generation: sampling rules by hand, the KV cache against the uncached path and HF."""

import math

import pytest
import torch
from transformers import GPT2LMHeadModel

from helpers.generation import (
    KVCache,
    cached_forward,
    generate,
    sample_next_token,
    top_k_filter,
    top_p_filter,
)
from helpers.gpt import GPTConfig, GPTModel
from helpers.weights import hf_gpt2_config, load_gpt2_weights

CONFIGS = [
    GPTConfig(vocab_size=97, context_length=12, emb_dim=32, num_heads=4, num_layers=2),
    GPTConfig(vocab_size=61, context_length=20, emb_dim=24, num_heads=3, num_layers=3),
    GPTConfig(
        vocab_size=50, context_length=9, emb_dim=16, num_heads=1, num_layers=1, tie_weights=False
    ),
]


def seeded_model(cfg: GPTConfig, seed: int = 0) -> GPTModel:
    torch.manual_seed(seed)
    model = GPTModel(cfg).eval()
    # Larger weights than GPT-2's init, so greedy ids vary instead of repeating one token.
    torch.manual_seed(seed)  # the redraw below does not depend on how the model initialises
    with torch.no_grad():
        for param in model.parameters():
            param.normal_(0, 0.5)
    return model


@pytest.mark.parametrize("cfg", CONFIGS)
@pytest.mark.parametrize("prompt_len", [1, 5])
def test_cached_greedy_equals_uncached_past_the_context_limit(cfg, prompt_len):
    model = seeded_model(cfg)
    torch.manual_seed(1)
    idx = torch.randint(0, cfg.vocab_size, (3, prompt_len))
    steps = 2 * cfg.context_length  # well past the limit, where both must crop
    cached = generate(model, idx, steps, use_cache=True)
    uncached = generate(model, idx, steps, use_cache=False)
    assert cached.shape == (3, prompt_len + steps)
    assert torch.equal(cached, uncached)
    assert len(set(cached.flatten().tolist())) > 4, "a test on a constant sequence proves little"


def test_cached_forward_logits_equal_full_forward():
    cfg = CONFIGS[0]
    model = seeded_model(cfg)
    ids = torch.randint(0, cfg.vocab_size, (2, cfg.context_length))
    cache = KVCache(cfg.num_layers)
    prefill = cached_forward(model, ids[:, :5], cache)
    steps = [cached_forward(model, ids[:, i : i + 1], cache) for i in range(5, cfg.context_length)]
    with torch.no_grad():
        full = model(ids)
    assert torch.allclose(torch.cat([prefill, *steps], dim=1), full, atol=1e-5)
    with pytest.raises(ValueError, match="context_length"):
        cached_forward(model, ids[:, :1], cache)


def test_cache_writes_new_positions_in_place_without_copying_the_old_ones():
    cfg = CONFIGS[0]
    model = seeded_model(cfg)
    ids = torch.randint(0, cfg.vocab_size, (2, 6))
    cache = KVCache(cfg.num_layers, max_tokens=cfg.context_length)
    cached_forward(model, ids[:, :4], cache)
    first_keys = cache.keys[0].clone()
    addresses = [t.data_ptr() for t in cache.keys + cache.values]  # where each layer's room is
    cached_forward(model, ids[:, 4:5], cache)
    cached_forward(model, ids[:, 5:6], cache)
    head_dim = cfg.emb_dim // cfg.num_heads
    assert cache.num_tokens == 6
    assert cache.keys[0].shape == (2, cfg.num_heads, 6, head_dim)
    # every layer still reads the buffer it allocated first: nothing was copied to grow it
    assert [t.data_ptr() for t in cache.keys + cache.values] == addresses
    assert torch.equal(cache.keys[0][:, :, :4], first_keys)  # earlier positions left as they were


def test_cache_refuses_more_tokens_than_its_room():
    cfg = CONFIGS[0]
    model = seeded_model(cfg)
    cache = KVCache(cfg.num_layers, max_tokens=3)
    cached_forward(model, torch.zeros(1, 3, dtype=torch.long), cache)
    with pytest.raises(ValueError, match="room for 3 tokens"):
        cached_forward(model, torch.zeros(1, 1, dtype=torch.long), cache)


def test_smaller_context_length_crops_like_the_uncached_path():
    model = seeded_model(CONFIGS[1])
    idx = torch.randint(0, 61, (2, 3))
    kwargs = dict(context_length=6)
    assert torch.equal(
        generate(model, idx, 15, use_cache=True, **kwargs),
        generate(model, idx, 15, use_cache=False, **kwargs),
    )


@pytest.mark.parametrize("cfg", CONFIGS[:2])
@pytest.mark.parametrize("seed", [0, 7])
def test_greedy_ids_equal_hugging_face_generate(cfg, seed):
    torch.manual_seed(seed)
    hf_model = GPT2LMHeadModel(hf_gpt2_config(cfg)).eval()
    with torch.no_grad():
        hf_model.transformer.wte.weight.normal_(0, 1.0)
    ours = load_gpt2_weights(GPTModel(cfg), hf_model.state_dict()).eval()
    idx = torch.randint(0, cfg.vocab_size, (2, 4))
    new = cfg.context_length - 4  # HF does not crop past its position table
    expected = hf_model.generate(
        idx,
        attention_mask=torch.ones_like(idx),
        max_new_tokens=new,
        do_sample=False,
        use_cache=True,
        eos_token_id=None,  # no early stop: every id, the last one too, is an ordinary token
        pad_token_id=0,
    )
    assert torch.equal(generate(ours, idx, new), expected)


def test_generate_restores_training_mode_and_turns_dropout_off():
    model = seeded_model(
        GPTConfig(
            vocab_size=40, context_length=8, emb_dim=16, num_heads=2, num_layers=1, drop_rate=0.5
        )
    )
    model.train()
    idx = torch.zeros(1, 1, dtype=torch.long)
    first, second = generate(model, idx, 6), generate(model, idx, 6)
    assert torch.equal(first, second)  # dropout would make greedy output random
    assert model.training


def test_temperature_zero_and_top_k_one_are_greedy():
    torch.manual_seed(0)
    logits = torch.randn(4, 30)
    greedy = logits.argmax(dim=-1, keepdim=True)
    assert torch.equal(sample_next_token(logits), greedy)
    for seed in range(20):
        g = torch.Generator().manual_seed(seed)
        assert torch.equal(sample_next_token(logits, temperature=1.5, top_k=1, generator=g), greedy)


def test_temperature_scales_probabilities_as_computed_by_hand():
    logits = torch.tensor([[2.0, 1.0, 0.0]])
    temperature = 2.0
    by_hand = [math.exp(v / temperature) for v in (2.0, 1.0, 0.0)]
    by_hand = [p / sum(by_hand) for p in by_hand]  # 0.506, 0.307, 0.186
    g = torch.Generator().manual_seed(0)
    draws = torch.cat(
        [sample_next_token(logits.expand(20_000, 3), temperature=temperature, generator=g)]
    )
    freq = torch.bincount(draws.flatten(), minlength=3).float() / draws.numel()
    assert torch.allclose(freq, torch.tensor(by_hand), atol=0.015)


def test_top_k_never_samples_outside_the_k_largest():
    torch.manual_seed(1)
    logits = torch.randn(8, 50)
    allowed = torch.topk(logits, 5).indices
    g = torch.Generator().manual_seed(3)
    for _ in range(200):
        ids = sample_next_token(logits, temperature=2.0, top_k=5, generator=g)
        assert (ids == allowed).any(dim=-1).all()


def test_top_p_keeps_the_smallest_set_reaching_p():
    probas = torch.tensor([[0.5, 0.3, 0.15, 0.05]])
    kept = top_p_filter(probas.log(), 0.7).isfinite()
    assert kept.tolist() == [[True, True, False, False]]  # 0.5 < 0.7 <= 0.8
    kept = top_p_filter(probas.log(), 0.8).isfinite()
    assert kept.tolist() == [[True, True, False, False]]  # exactly 0.8 is enough
    kept = top_p_filter(probas.log()[:, [3, 1, 0, 2]], 0.81).isfinite()  # order must not matter
    assert kept.tolist() == [[False, True, True, True]]
    assert top_p_filter(probas.log(), 0.01).isfinite().sum() == 1  # the top id always stays


def test_top_p_never_samples_outside_the_nucleus():
    torch.manual_seed(2)
    logits = torch.randn(6, 40) * 2
    nucleus = top_p_filter(logits, 0.6).isfinite()
    g = torch.Generator().manual_seed(4)
    for _ in range(200):
        ids = sample_next_token(logits, temperature=1.0, top_p=0.6, generator=g)
        assert nucleus.gather(1, ids).all()


def test_top_k_filter_keeps_ties():
    logits = torch.tensor([[1.0, 3.0, 3.0, 0.0]])
    assert top_k_filter(logits, 1).isfinite().tolist() == [[False, True, True, False]]


def test_eos_stops_generation_and_pads_finished_rows():
    cfg = CONFIGS[0]
    model = seeded_model(cfg)
    idx = torch.randint(0, cfg.vocab_size, (2, 3))
    free = generate(model, idx, 8, use_cache=False)
    eos = int(free[0, 4])  # row 0's second new token
    out = generate(model, idx, 8, eos_id=eos)
    row0 = out[0, 3:].tolist()
    first = row0.index(eos)
    assert all(t == eos for t in row0[first:])
    assert out.shape[1] <= free.shape[1]
    stopped = generate(model, idx[:1], 8, eos_id=eos)
    assert stopped.shape[1] == 3 + first + 1  # stops right after the first eos when alone


def test_seeded_sampling_is_reproducible_and_cache_does_not_change_it():
    model = seeded_model(CONFIGS[1])
    idx = torch.randint(0, 61, (2, 2))

    def run(use_cache):
        g = torch.Generator().manual_seed(11)
        return generate(model, idx, 10, temperature=1.0, top_k=10, generator=g, use_cache=use_cache)

    assert torch.equal(run(True), run(False))


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(temperature=-1.0), "temperature"),
        (dict(top_k=0), "top_k"),
        (dict(top_k=2.5), "top_k"),
        (dict(top_p=0.0), "top_p"),
        (dict(top_p=1.5), "top_p"),
    ],
)
def test_bad_sampling_settings_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sample_next_token(torch.zeros(1, 5), **kwargs)


def test_bad_generate_arguments_raise():
    model = seeded_model(CONFIGS[0])
    with pytest.raises(ValueError, match="batch_size"):
        generate(model, torch.zeros(3, dtype=torch.long), 2)
    with pytest.raises(ValueError, match="max_new_tokens"):
        generate(model, torch.zeros(1, 2, dtype=torch.long), -1)
    with pytest.raises(ValueError, match="context_length"):
        generate(model, torch.zeros(1, 2, dtype=torch.long), 2, context_length=99)
    with pytest.raises(ValueError, match="logits"):
        sample_next_token(torch.zeros(5))
