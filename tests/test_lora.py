"""helpers.lora: adapters start as the wrapped layer, train only themselves, and merge exactly."""

import pytest
import torch
from torch import nn

from helpers.gpt import GPTConfig, GPTModel
from helpers.lora import LoRALinear, apply_lora, count_trainable, merge_lora

CFG = GPTConfig(vocab_size=40, context_length=8, emb_dim=16, num_heads=2, num_layers=2)


def tiny_gpt(seed: int = 0) -> GPTModel:
    torch.manual_seed(seed)
    return GPTModel(CFG).eval()


def randomize_adapters(model: nn.Module, seed: int = 1) -> None:
    """B starts at zero; give it values so that the adapters change something."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, LoRALinear):
                module.B.copy_(torch.randn(module.B.shape, generator=g) * 0.1)


def test_a_new_adapter_gives_exactly_the_wrapped_layer():
    torch.manual_seed(0)
    linear = nn.Linear(5, 3)
    x = torch.randn(2, 4, 5)
    torch.testing.assert_close(LoRALinear(linear, rank=2, alpha=4)(x), linear(x), rtol=0, atol=0)


def test_the_adapter_adds_alpha_over_rank_times_b_a_x():
    torch.manual_seed(0)
    linear = nn.Linear(5, 3)
    lora = LoRALinear(linear, rank=2, alpha=6)
    nn.init.normal_(lora.B)
    x = torch.randn(4, 5)
    weight = linear.weight + (6 / 2) * lora.B @ lora.A  # (3, 5)
    torch.testing.assert_close(lora(x), x @ weight.T + linear.bias)


def test_apply_lora_starts_from_the_pretrained_model():
    model = tiny_gpt()
    ids = torch.randint(0, CFG.vocab_size, (2, 6))
    with torch.no_grad():
        before = model(ids)
        torch.testing.assert_close(apply_lora(model, rank=2, alpha=4)(ids), before)


def test_apply_lora_wraps_every_attention_and_feed_forward_layer():
    model = apply_lora(tiny_gpt(), rank=2, alpha=4)
    wrapped = {n for n, m in model.named_modules() if isinstance(m, LoRALinear)}
    per_block = [
        "att.W_query",
        "att.W_key",
        "att.W_value",
        "att.out_proj",
        "ff.layers.0",
        "ff.layers.2",
    ]
    assert wrapped == {f"trf_blocks.{i}.{n}" for i in range(CFG.num_layers) for n in per_block}
    assert isinstance(model.out_head, nn.Linear)  # the head is left alone


def test_only_the_adapters_train_and_their_count_by_hand():
    rank, d = 4, CFG.emb_dim
    model = apply_lora(tiny_gpt(), rank=rank, alpha=8)
    trainable = {n.rsplit(".", 1)[-1] for n, p in model.named_parameters() if p.requires_grad}
    assert trainable == {"A", "B"}
    # per block: 4 attention (d -> d), ff d -> 4d and 4d -> d; each adds rank * (d_in + d_out)
    per_block = 4 * rank * (d + d) + rank * (d + 4 * d) + rank * (4 * d + d)
    assert count_trainable(model) == CFG.num_layers * per_block


def test_gradients_reach_only_the_adapters():
    model = apply_lora(tiny_gpt(), rank=2, alpha=4)
    ids = torch.randint(0, CFG.vocab_size, (2, 6))
    model(ids).sum().backward()
    layer = model.trf_blocks[0].att.W_query
    assert layer.linear.weight.grad is None
    assert layer.B.grad.abs().sum() > 0  # B = 0 blocks A's gradient at the first step, not B's
    assert layer.A.grad.abs().sum() == 0


def test_merging_gives_the_same_outputs_with_plain_linear_layers():
    model = apply_lora(tiny_gpt(), rank=3, alpha=6)
    randomize_adapters(model)
    ids = torch.randint(0, CFG.vocab_size, (2, 7))
    with torch.no_grad():
        adapted = model(ids)
        merged = merge_lora(model)(ids)
    assert not any(isinstance(m, LoRALinear) for m in model.modules())
    assert count_trainable(model) == 0
    torch.testing.assert_close(merged, adapted, rtol=1e-5, atol=1e-5)
    assert not torch.allclose(adapted, tiny_gpt()(ids), atol=1e-3)  # the adapters did something


def test_merged_weights_are_w_plus_scaled_b_a():
    model = apply_lora(tiny_gpt(), rank=2, alpha=8)
    randomize_adapters(model)
    lora = model.trf_blocks[1].ff.layers[0]
    expected = lora.linear.weight + 4.0 * lora.B @ lora.A
    merge_lora(model)
    torch.testing.assert_close(model.trf_blocks[1].ff.layers[0].weight, expected)


def test_count_trainable_counts_a_shared_tensor_once_and_skips_frozen_ones():
    shared = nn.Linear(3, 3, bias=False)
    model = nn.Sequential(shared, nn.Linear(3, 2), shared)
    assert count_trainable(model) == 9 + (6 + 2)
    model[1].requires_grad_(False)
    assert count_trainable(model) == 9


@pytest.mark.parametrize("rank", [0, -1, 1.5, True])
def test_rank_must_be_a_whole_number_of_at_least_one(rank):
    with pytest.raises(ValueError, match="rank must be a whole number >= 1"):
        apply_lora(tiny_gpt(), rank=rank, alpha=1)


def test_a_target_that_matches_nothing_names_the_layers():
    with pytest.raises(ValueError, match=r"matches no nn.Linear.*trf_blocks\.0\.att\.W_query"):
        apply_lora(tiny_gpt(), rank=2, alpha=2, target=r"\.attention\.query$")


def test_lora_linear_wraps_only_linear_layers():
    with pytest.raises(TypeError, match="wraps an nn.Linear, got Embedding"):
        LoRALinear(nn.Embedding(3, 4), rank=1, alpha=1)
