"""helpers.embeddings: one-hot equivalence, sinusoidal values, the input module and its errors."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers.embeddings import InputEmbedding, check_token_ids, sinusoidal_encoding


@pytest.mark.parametrize("seed", [0, 1, 123])
def test_embedding_equals_one_hot_times_weight_and_linear(seed):
    torch.manual_seed(seed)
    embedding = nn.Embedding(50, 8)
    linear = nn.Linear(50, 8, bias=False)
    linear.weight = nn.Parameter(embedding.weight.T.detach().clone())
    ids = torch.randint(0, 50, (3, 7))
    one_hot = F.one_hot(ids, 50).float()  # (3, 7, 50)
    assert torch.allclose(embedding(ids), one_hot @ embedding.weight)
    assert torch.allclose(embedding(ids), linear(one_hot))


def test_sinusoidal_hand_computed_entries():
    encoding = sinusoidal_encoding(context_length=50, emb_dim=4)
    assert encoding.shape == (50, 4)
    assert encoding[0].tolist() == [0.0, 1.0, 0.0, 1.0]  # sin(0), cos(0) in each pair
    # pair 0 has frequency 1, pair 1 has frequency 10000 ** (-2 / 4) = 0.01
    for pos in [1, 2, 7, 49]:
        expected = [math.sin(pos), math.cos(pos), math.sin(pos * 0.01), math.cos(pos * 0.01)]
        assert encoding[pos].tolist() == pytest.approx(expected, abs=1e-6)


def test_sinusoidal_is_bounded_and_distinct_per_position():
    encoding = sinusoidal_encoding(context_length=1024, emb_dim=768)
    assert encoding.abs().max() <= 1.0
    assert torch.unique(encoding, dim=0).shape[0] == 1024


@pytest.mark.parametrize("emb_dim", [0, 3, 7])
def test_sinusoidal_needs_an_even_width(emb_dim):
    with pytest.raises(ValueError, match=f"emb_dim must be even and >= 2.*got {emb_dim}"):
        sinusoidal_encoding(10, emb_dim)


def _module(drop_rate=0.0, seed=123):
    torch.manual_seed(seed)
    return InputEmbedding(vocab_size=100, emb_dim=16, context_length=8, drop_rate=drop_rate)


def test_input_embedding_shape_dtype_and_value():
    module = _module()
    ids = torch.tensor([[1, 2, 3], [4, 5, 99]])
    out = module(ids)
    assert out.shape == (2, 3, 16) and out.dtype == torch.float32
    expected = module.tok_emb.weight[ids] + module.pos_emb.weight[:3]
    assert torch.allclose(out, expected)


def test_input_embedding_accepts_int32_ids():
    module = _module()
    ids = torch.tensor([[1, 2, 3]])
    assert torch.equal(module(ids.int()), module(ids))


def test_input_embedding_seeded_determinism():
    ids = torch.tensor([[1, 2, 3, 4]])
    assert torch.equal(_module(seed=5)(ids), _module(seed=5)(ids))
    assert not torch.equal(_module(seed=5)(ids), _module(seed=6)(ids))


def test_dropout_only_in_training_mode():
    module = _module(drop_rate=0.5)
    ids = torch.randint(0, 100, (4, 8))
    module.eval()
    plain = module(ids)
    module.train()
    dropped = module(ids)
    kept = dropped != 0
    assert 0 < kept.float().mean() < 1
    assert torch.allclose(dropped[kept], plain[kept] * 2)


@pytest.mark.parametrize(
    "ids,error,message",
    [
        (torch.tensor([[1.0, 2.0]]), TypeError, "must be integers, got dtype torch.float32"),
        (torch.tensor([[True]]), TypeError, "must be integers, got dtype torch.bool"),
        ([[1, 2]], TypeError, "must be a torch.Tensor, got list"),
        (
            torch.tensor([1, 2]),
            ValueError,
            r"shape \(batch_size, num_tokens\), got \(2,\).*unsqueeze",
        ),
        (torch.tensor([[1, 100]]), ValueError, "token id 100 is out of range for vocab_size=100"),
        (torch.tensor([[-1, 2]]), ValueError, "token id -1 is out of range for vocab_size=100"),
        (
            torch.zeros(1, 9, dtype=torch.long),
            ValueError,
            "9 tokens is longer than context_length=8",
        ),
    ],
)
def test_bad_ids_are_refused_clearly(ids, error, message):
    with pytest.raises(error, match=message):
        _module()(ids)


def test_empty_sequence_is_allowed():
    check_token_ids(torch.zeros(2, 0, dtype=torch.long), vocab_size=10, context_length=4)
