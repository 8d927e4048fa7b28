"""The size sweep's compute accounting, worked by hand."""

import pytest

from helpers.gpt import GPTConfig
from helpers.size_sweep import SIZES, flops_per_step, learning_rate, main


def test_flops_per_step_by_hand():
    cfg = GPTConfig(vocab_size=10, context_length=4, emb_dim=8, num_heads=2, num_layers=1)
    # matrix parameters: token embedding (tied head) 10*8; attention q, k, v with biases 3*(64+8),
    # out_proj 64+8; feed-forward 8*32+32 and 32*8+8; three LayerNorms 3*16. Positions: a lookup.
    num_params = 80 + 3 * 72 + 72 + (256 + 32) + (256 + 8) + 48
    tokens = 2 * 4
    expected = 6 * num_params * tokens + 12 * 1 * 8 * 4 * tokens
    assert flops_per_step(cfg, batch_size=2) == expected


def test_sizes_grow_and_learning_rates_shrink():
    widths = [emb_dim for emb_dim, _, _ in SIZES]
    assert widths == sorted(widths)
    assert [learning_rate(w) for w in (64, 128, 256)] == [3e-3, 2e-3, 1e-3]


def test_bad_flops_is_a_command_line_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--flops", "0"])
    assert exit_info.value.code == 2
    assert "--flops: must be > 0, got 0.0" in capsys.readouterr().err
