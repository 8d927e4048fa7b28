"""helpers.attention against PyTorch's own attention, plus causality, masks and errors."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers.attention import (
    CausalAttention,
    MultiHeadAttention,
    MultiHeadAttentionWrapper,
    SelfAttention,
    causal_mask,
)

SHAPES = [  # (batch_size, num_tokens, d_in, d_out, num_heads)
    (2, 7, 16, 16, 4),
    (1, 1, 8, 12, 3),
    (3, 10, 12, 24, 2),  # d_in != d_out
    (2, 16, 32, 32, 1),
]


def _mha(d_in, d_out, num_heads, qkv_bias, seed, context_length=16):
    torch.manual_seed(seed)
    return MultiHeadAttention(d_in, d_out, context_length, 0.0, num_heads, qkv_bias).eval()


def _sdpa_reference(mha: MultiHeadAttention, x: torch.Tensor) -> torch.Tensor:
    batch_size, num_tokens, _ = x.shape

    def heads(layer):
        return layer(x).view(batch_size, num_tokens, mha.num_heads, -1).transpose(1, 2)

    context = F.scaled_dot_product_attention(
        heads(mha.W_query), heads(mha.W_key), heads(mha.W_value), is_causal=True
    )
    return mha.out_proj(context.transpose(1, 2).reshape(batch_size, num_tokens, mha.d_out))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("qkv_bias", [False, True])
@pytest.mark.parametrize("seed", [0, 123])
@pytest.mark.parametrize("use_sdpa", [True, False])
def test_multi_head_attention_equals_sdpa(shape, qkv_bias, seed, use_sdpa):
    batch_size, num_tokens, d_in, d_out, num_heads = shape
    mha = _mha(d_in, d_out, num_heads, qkv_bias, seed)
    mha.use_sdpa = use_sdpa
    x = torch.randn(batch_size, num_tokens, d_in)
    with torch.no_grad():
        assert torch.allclose(mha(x), _sdpa_reference(mha, x), atol=1e-5)


@pytest.mark.parametrize("qkv_bias", [False, True])
@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("num_heads", [1, 2, 4])
def test_multi_head_attention_equals_torch_multihead_attention(qkv_bias, seed, num_heads):
    mha = _mha(16, 16, num_heads, qkv_bias, seed)
    reference = nn.MultiheadAttention(16, num_heads, batch_first=True).eval()
    projections = (mha.W_query, mha.W_key, mha.W_value)
    with torch.no_grad():
        reference.in_proj_weight.copy_(torch.cat([p.weight for p in projections]))
        bias = [p.bias if qkv_bias else torch.zeros(16) for p in projections]
        reference.in_proj_bias.copy_(torch.cat(bias))
        reference.out_proj.weight.copy_(mha.out_proj.weight)
        reference.out_proj.bias.copy_(mha.out_proj.bias)
        x = torch.randn(3, 9, 16)
        expected, _ = reference(x, x, x, attn_mask=causal_mask(9), need_weights=False)
        assert torch.allclose(mha(x), expected, atol=1e-5)


def test_fast_and_explicit_paths_agree_and_gradients_match():
    mha = _mha(16, 16, 4, True, 0)
    x = torch.randn(2, 8, 16, requires_grad=True)
    fast = mha(x)
    explicit, _ = mha(x, return_attn_weights=True)
    assert torch.allclose(fast, explicit, atol=1e-6)
    (grad_fast,) = torch.autograd.grad(fast.sum(), x)
    (grad_explicit,) = torch.autograd.grad(explicit.sum(), x)
    assert torch.allclose(grad_fast, grad_explicit, atol=1e-5)


def test_attention_weights_rows_sum_to_one_and_future_is_exactly_zero():
    mha = _mha(16, 16, 4, False, 1)
    _, weights = mha(torch.randn(2, 8, 16), return_attn_weights=True)
    assert weights.shape == (2, 4, 8, 8)
    assert torch.allclose(weights.sum(dim=-1), torch.ones(2, 4, 8))
    assert (weights[..., causal_mask(8)] == 0).all()
    assert (weights[..., ~causal_mask(8)] > 0).all()


@pytest.mark.parametrize(
    "module",
    [
        lambda: _mha(16, 16, 4, True, 3),
        lambda: CausalAttention(16, 8, 16, 0.0).eval(),
        lambda: MultiHeadAttentionWrapper(16, 8, 16, 0.0, 2).eval(),
    ],
)
def test_causality_changing_later_tokens_leaves_earlier_outputs_unchanged(module):
    torch.manual_seed(0)
    attention = module()
    x = torch.randn(2, 10, 16)
    changed = x.clone()
    changed[:, 6:] = torch.randn(2, 4, 16) * 10
    with torch.no_grad():
        before, after = attention(x), attention(changed)
    assert torch.allclose(before[:, :6], after[:, :6], atol=1e-6)
    assert not torch.allclose(before[:, 6:], after[:, 6:])


def test_wrapper_equals_multi_head_attention_with_matched_weights():
    torch.manual_seed(0)
    wrapper = MultiHeadAttentionWrapper(8, 3, 16, 0.0, num_heads=4)
    mha = MultiHeadAttention(8, 12, 16, 0.0, num_heads=4)
    with torch.no_grad():
        for name in ["W_query", "W_key", "W_value"]:
            getattr(mha, name).weight.copy_(
                torch.cat([getattr(h, name).weight for h in wrapper.heads])
            )
        mha.out_proj.weight.copy_(torch.eye(12))
        mha.out_proj.bias.zero_()
        x = torch.randn(2, 5, 8)
        assert torch.allclose(wrapper(x), mha(x), atol=1e-6)


def test_self_attention_by_hand():
    torch.manual_seed(0)
    sa = SelfAttention(3, 2)
    x = torch.randn(4, 3)
    q, k, v = x @ sa.W_query.weight.T, x @ sa.W_key.weight.T, x @ sa.W_value.weight.T
    weights = torch.exp(q @ k.T / 2**0.5)
    weights = weights / weights.sum(dim=1, keepdim=True)
    assert torch.allclose(sa(x), weights @ v, atol=1e-6)


def test_eval_mode_is_deterministic_even_with_dropout():
    torch.manual_seed(0)
    mha = MultiHeadAttention(16, 16, 16, dropout=0.5, num_heads=4).eval()
    x = torch.randn(2, 8, 16)
    assert torch.equal(mha(x), mha(x))
    mha.train()
    torch.manual_seed(1)
    assert not torch.allclose(mha(x), mha.eval()(x))


def test_train_mode_dropout_zeroes_weights_on_the_explicit_path():
    torch.manual_seed(0)
    mha = MultiHeadAttention(16, 16, 16, dropout=0.5, num_heads=4).train()
    _, weights = mha(torch.randn(2, 8, 16), return_attn_weights=True)
    visible = weights[..., ~causal_mask(8)]
    assert 0.3 < (visible == 0).float().mean() < 0.7


def test_mask_buffer_moves_with_to_and_is_in_state_dict():
    mha = MultiHeadAttention(8, 8, 6, 0.0, 2)
    assert "mask" in mha.state_dict()
    assert "mask" not in dict(mha.named_parameters())
    mha = mha.to(torch.float64).to("meta")
    assert mha.mask.device.type == "meta" and mha.mask.dtype == torch.bool
    assert mha.W_query.weight.dtype == torch.float64


def test_d_out_not_divisible_by_num_heads():
    with pytest.raises(ValueError, match="d_out=768 is not divisible by num_heads=5"):
        MultiHeadAttention(768, 768, 1024, 0.0, num_heads=5)


@pytest.mark.parametrize(
    "shape,message",
    [
        ((7, 16), r"shape \(batch_size, num_tokens, d_in\), got \(7, 16\)"),
        ((1, 2, 7, 16), r"got \(1, 2, 7, 16\)"),
        ((2, 7, 15), "has width 15, but d_in=16"),
        ((2, 17, 16), "17 tokens is longer than context_length=16"),
    ],
)
def test_bad_input_is_refused_clearly(shape, message):
    with pytest.raises(ValueError, match=message):
        _mha(16, 16, 4, False, 0)(torch.randn(*shape))


def test_fused_path_ignores_the_mask_buffer_which_only_attend_reads():
    # Chapter 3 says so: the fused path passes is_causal=True instead of the buffer.
    mha = _mha(16, 16, 4, False, 2)
    x = torch.randn(2, 6, 16)
    with torch.no_grad():
        fused, (explicit, _) = mha(x), mha(x, return_attn_weights=True)
        mha.mask.fill_(False)  # a mask that hides nothing
        assert torch.equal(mha(x), fused)
        assert not torch.allclose(mha(x, return_attn_weights=True)[0], explicit, atol=1e-4)
