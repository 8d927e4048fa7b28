"""helpers.gpt and helpers.weights: parts against PyTorch, the model against Hugging Face."""

import dataclasses
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from transformers import GPT2LMHeadModel

from helpers.gpt import (
    GELU,
    GPT2_SMALL,
    GPT_TINY,
    GPTConfig,
    GPTModel,
    LayerNorm,
    TransformerBlock,
    count_parameters,
    generate_text_simple,
    text_to_token_ids,
    token_ids_to_text,
)
from helpers.tokenizers import gpt2_encoding
from helpers.weights import (
    gpt2_key_map,
    hf_gpt2_config,
    load_gpt2_weights,
    load_state_dict_file,
)


def hf_pair(cfg: GPTConfig, seed: int) -> tuple[GPT2LMHeadModel, GPTModel]:
    """A randomly initialised Hugging Face GPT-2 of cfg's size, and ours loaded from it."""
    torch.manual_seed(seed)
    hf_model = GPT2LMHeadModel(hf_gpt2_config(cfg)).eval()
    ours = load_gpt2_weights(GPTModel(cfg), hf_model.state_dict()).eval()
    return hf_model, ours


SMALL_CONFIGS = [
    GPTConfig(
        vocab_size=101, context_length=16, emb_dim=32, num_heads=4, num_layers=2, drop_rate=0.0
    ),
    GPTConfig(
        vocab_size=64, context_length=24, emb_dim=48, num_heads=3, num_layers=3, drop_rate=0.1
    ),
    GPTConfig(
        vocab_size=80, context_length=8, emb_dim=16, num_heads=1, num_layers=1, tie_weights=False
    ),
]


@pytest.mark.parametrize("cfg", SMALL_CONFIGS)
@pytest.mark.parametrize("seed", [0, 1, 123])
def test_logits_equal_hugging_face_gpt2(cfg, seed):
    hf_model, ours = hf_pair(cfg, seed)
    ids = torch.randint(0, cfg.vocab_size, (3, cfg.context_length))
    with torch.no_grad():
        assert torch.allclose(ours(ids), hf_model(ids).logits, atol=1e-5)


def test_loading_real_shaped_gpt2_state_dict_keys_without_prefix(tmp_path):
    # The hub's model.safetensors for GPT-2 stores keys without "transformer." and no lm_head.
    hf_model, _ = hf_pair(SMALL_CONFIGS[0], seed=0)
    bare = {k.removeprefix("transformer."): v.clone() for k, v in hf_model.state_dict().items()}
    del bare["lm_head.weight"]
    bare["h.0.attn.bias"] = torch.ones(1, 1, 16, 16).tril()  # the causal mask older files store
    from safetensors.torch import save_file

    save_file(bare, tmp_path / "model.safetensors")
    torch.save(bare, tmp_path / "model.pt")
    for name in ("model.safetensors", "model.pt"):
        ours = load_gpt2_weights(GPTModel(SMALL_CONFIGS[0]), load_state_dict_file(tmp_path / name))
        ids = torch.randint(0, 101, (1, 16))
        with torch.no_grad():
            assert torch.allclose(ours.eval()(ids), hf_model(ids).logits, atol=1e-5)


def test_torch_load_refuses_pickled_objects(tmp_path):
    from fractions import Fraction

    torch.save({"weights": torch.zeros(1), "not a tensor": Fraction(1, 2)}, tmp_path / "x.pt")
    with pytest.raises(Exception, match="Weights only load failed"):
        load_state_dict_file(tmp_path / "x.pt")


def test_state_dict_of_another_size_is_refused_with_names():
    hf_model, _ = hf_pair(SMALL_CONFIGS[0], seed=0)
    wider = dataclasses.replace(SMALL_CONFIGS[0], emb_dim=64)
    with pytest.raises(ValueError, match=r"shape mismatch for .*: the model has \(\d+, 64\)"):
        load_gpt2_weights(GPTModel(wider), hf_model.state_dict())
    deeper = dataclasses.replace(SMALL_CONFIGS[0], num_layers=3)
    with pytest.raises(ValueError, match=r"missing keys h\.2\..*and \d+ more"):
        load_gpt2_weights(GPTModel(deeper), hf_model.state_dict())


def test_gpt2_weights_need_qkv_bias():
    hf_model, _ = hf_pair(SMALL_CONFIGS[0], seed=0)
    no_bias = dataclasses.replace(SMALL_CONFIGS[0], qkv_bias=False)
    with pytest.raises(ValueError, match=r"W_query.bias.*GPTConfig\(qkv_bias=True\)"):
        load_gpt2_weights(GPTModel(no_bias), hf_model.state_dict())


def test_state_dict_of_another_architecture_is_refused():
    other = {"encoder.layer.0.attention.self.query.weight": torch.zeros(4, 4)}
    with pytest.raises(
        ValueError, match="not a GPT-2 state dict.*missing keys.*unexpected keys encoder"
    ):
        load_gpt2_weights(GPTModel(SMALL_CONFIGS[0]), other)


def test_parameter_counts():
    with torch.device("meta"):
        assert count_parameters(GPTModel(GPT2_SMALL)) == 124_439_808
        untied = dataclasses.replace(GPT2_SMALL, tie_weights=False)
        assert count_parameters(GPTModel(untied)) == 124_439_808 + 50_257 * 768
        no_bias = dataclasses.replace(GPT2_SMALL, qkv_bias=False, tie_weights=False)
        assert count_parameters(GPTModel(no_bias)) == 163_009_536


@pytest.mark.parametrize("shape", [(2, 3, 8), (4, 16), (1, 1, 5, 7)])
def test_layer_norm_equals_torch(shape):
    torch.manual_seed(0)
    x = torch.randn(shape) * 5 + 3
    ours, reference = LayerNorm(shape[-1]), nn.LayerNorm(shape[-1])
    with torch.no_grad():
        ours.scale.uniform_()
        ours.shift.uniform_()
        reference.weight.copy_(ours.scale)
        reference.bias.copy_(ours.shift)
    assert torch.allclose(ours(x), reference(x), atol=1e-5)


def explicit_layer_norm(x, scale, shift, eps=1e-5):
    """Chapter 4's LayerNorm step by step: what the fused F.layer_norm must compute."""
    mean = x.mean(dim=-1, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)  # biased, as in GPT-2
    return scale * (x - mean) / torch.sqrt(var + eps) + shift


def explicit_gelu(x):
    """Chapter 4's GELU step by step: the tanh formula that F.gelu(approximate="tanh") fuses."""
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def test_layer_norm_outputs_and_gradients_equal_the_explicit_computation():
    torch.manual_seed(0)
    x = (torch.randn(3, 5, 16) * 4 + 2).requires_grad_(True)
    layer = LayerNorm(16)
    with torch.no_grad():
        layer.scale.uniform_(0.5, 1.5)
        layer.shift.uniform_(-1, 1)
    upstream = torch.randn(3, 5, 16)
    fused = layer(x)
    explicit = explicit_layer_norm(x, layer.scale, layer.shift)
    assert torch.allclose(fused, explicit, atol=1e-5)
    params = (x, layer.scale, layer.shift)
    for got, expected in zip(
        torch.autograd.grad(fused, params, upstream),
        torch.autograd.grad(explicit, params, upstream),
        strict=True,
    ):
        assert torch.allclose(got, expected, atol=1e-5)


def test_layer_norm_keeps_its_parameter_names_for_checkpoints():
    assert list(LayerNorm(8).state_dict()) == ["scale", "shift"]
    assert LayerNorm(8, eps=1e-6).eps == 1e-6


def test_gelu_outputs_and_gradients_equal_the_explicit_formula():
    x = torch.linspace(-8, 8, 4_001, requires_grad=True)
    fused, explicit = GELU()(x), explicit_gelu(x)
    assert torch.allclose(fused, explicit, atol=1e-6)
    (grad_fused,) = torch.autograd.grad(fused.sum(), x)
    (grad_explicit,) = torch.autograd.grad(explicit.sum(), x)
    assert torch.allclose(grad_fused, grad_explicit, atol=1e-5)


def test_gelu_equals_torch_tanh_approximation_and_is_close_to_exact():
    x = torch.linspace(-10, 10, 20_001)
    assert torch.allclose(GELU()(x), F.gelu(x, approximate="tanh"), atol=1e-6)
    assert (GELU()(x) - F.gelu(x)).abs().max() < 5e-4


def test_block_preserves_shape_and_is_causal():
    torch.manual_seed(0)
    block = TransformerBlock(GPT_TINY).eval()
    x = torch.randn(2, 10, GPT_TINY.emb_dim)
    changed = x.clone()
    changed[:, 7:] += 5
    with torch.no_grad():
        out, out_changed = block(x), block(changed)
    assert out.shape == x.shape
    assert torch.allclose(out[:, :7], out_changed[:, :7], atol=1e-6)


def test_greedy_generation_golden_ids():
    # Recorded from this code (torch 2.13, CPU) after GPT-2's residual scaling was added to the
    # init. A change here means the initialization (its draws or their order), the forward pass
    # or greedy decoding changed: find out which before recording new values.
    torch.manual_seed(123)
    model = GPTModel(GPT_TINY).eval()
    idx = text_to_token_ids("Hello, I am", gpt2_encoding())
    with torch.no_grad():
        first_logits = model(idx)[0, -1, :4]
    golden_logits = torch.tensor([0.0426, -0.1678, 0.0898, 0.0102])
    assert torch.allclose(first_logits, golden_logits, atol=1e-4)
    out = generate_text_simple(model, idx, max_new_tokens=6, context_size=GPT_TINY.context_length)
    assert out[:, :4].tolist() == [[15496, 11, 314, 716]]
    assert out.tolist() == [[15496, 11, 314, 716, 3149, 3149, 3149, 3149, 3149, 3149]]
    assert token_ids_to_text(out, gpt2_encoding()) == "Hello, I ammpmpmpmpmpmp"


INIT_CFG = GPTConfig(vocab_size=500, context_length=16, emb_dim=128, num_heads=4, num_layers=8)


def _std(tensors) -> float:
    return torch.cat([t.detach().flatten() for t in tensors]).std().item()


def test_residual_projections_start_smaller_by_sqrt_of_twice_the_depth():
    torch.manual_seed(0)
    model = GPTModel(INIT_CFG)
    blocks = list(model.trf_blocks)
    residual = [b.att.out_proj.weight for b in blocks] + [b.ff.layers[2].weight for b in blocks]
    others = [b.att.W_query.weight for b in blocks] + [b.ff.layers[0].weight for b in blocks]
    others.append(model.embedding.tok_emb.weight)
    expected = 0.02 / (2 * INIT_CFG.num_layers) ** 0.5  # 0.005 for 8 layers
    assert _std(residual) == pytest.approx(expected, rel=0.02)
    assert _std(others) == pytest.approx(0.02, rel=0.02)
    for block in blocks:  # every block on its own, not just the average
        assert _std([block.att.out_proj.weight]) == pytest.approx(expected, rel=0.1)
        assert _std([block.ff.layers[2].weight]) == pytest.approx(expected, rel=0.1)
    biases = [b.att.out_proj.bias for b in blocks] + [b.ff.layers[2].bias for b in blocks]
    assert all(torch.all(bias == 0) for bias in biases)


def test_init_matches_hugging_face_gpt2_init_tensor_by_tensor():
    # Hugging Face's GPT2 scales its c_proj weights (attention's and the MLP's) the same way.
    torch.manual_seed(0)
    hf = GPT2LMHeadModel(hf_gpt2_config(INIT_CFG)).transformer.state_dict()
    ours = dict(GPTModel(INIT_CFG).named_parameters())
    for name, (theirs, _) in gpt2_key_map(INIT_CFG.num_layers).items():
        if name.endswith("weight") and hf[theirs].numel() > 1_000:
            assert _std([ours[name]]) == pytest.approx(_std([hf[theirs]]), rel=0.1), name


def test_init_does_not_affect_loaded_weights():
    hf_model, ours = hf_pair(INIT_CFG, seed=1)
    hf = hf_model.transformer.state_dict()
    for i, block in enumerate(ours.trf_blocks):
        assert torch.equal(block.att.out_proj.weight, hf[f"h.{i}.attn.c_proj.weight"].T)
        assert torch.equal(block.ff.layers[2].weight, hf[f"h.{i}.mlp.c_proj.weight"].T)


def test_greedy_generation_matches_argmax_of_full_forward():
    torch.manual_seed(0)
    model = GPTModel(GPT_TINY).eval()
    idx = torch.randint(0, 50_257, (2, 5))
    out = generate_text_simple(model, idx, max_new_tokens=1, context_size=64)
    with torch.no_grad():
        assert torch.equal(out[:, -1], model(idx)[:, -1].argmax(dim=-1))


def test_generation_crops_to_the_context():
    seen = []

    class Recorder(nn.Module):
        def forward(self, idx):
            seen.append(idx.shape[1])
            return torch.zeros(idx.shape[0], idx.shape[1], 10)

    out = generate_text_simple(Recorder(), torch.zeros(1, 6, dtype=torch.long), 4, context_size=3)
    assert out.shape == (1, 10)
    assert seen == [3, 3, 3, 3]
    # a real model would refuse the uncropped input
    model = GPTModel(GPT_TINY).eval()
    long_prompt = torch.zeros(1, 100, dtype=torch.long)
    assert generate_text_simple(model, long_prompt, 2, context_size=64).shape == (1, 102)
    with pytest.raises(ValueError, match="100 tokens is longer than context_length=64"):
        model(long_prompt)


def test_generation_argument_errors():
    model = GPTModel(GPT_TINY)
    with pytest.raises(ValueError, match=r"shape \(batch_size, num_tokens\)"):
        generate_text_simple(model, torch.zeros(5, dtype=torch.long), 1, 64)
    with pytest.raises(ValueError, match="max_new_tokens >= 0"):
        generate_text_simple(model, torch.zeros(1, 5, dtype=torch.long), -1, 64)


def test_out_of_range_ids_are_refused():
    with pytest.raises(ValueError, match="token id 50257 is out of range for vocab_size=50257"):
        GPTModel(GPT_TINY)(torch.tensor([[1, 50_257]]))


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"emb_dim": 100, "num_heads": 12}, "emb_dim=100 is not divisible by num_heads=12"),
        ({"num_layers": 0}, "num_layers must be a whole number >= 1, got 0"),
        ({"drop_rate": 1.0}, r"drop_rate must be in \[0, 1\)"),
    ],
)
def test_bad_configs(fields, message):
    with pytest.raises(ValueError, match=message):
        GPTConfig(**fields)


def test_config_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        GPT2_SMALL.emb_dim = 512
