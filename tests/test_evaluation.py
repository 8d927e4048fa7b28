"""Bits per byte and novelty, checked against computations done another way."""

import math

import pytest
import torch
import torch.nn.functional as F

from helpers.evaluation import bits_per_byte, novelty, summed_loss, word_spans
from helpers.gpt import GPTConfig, GPTModel
from helpers.tokenizers import gpt2_encoding

CFG = GPTConfig(context_length=8, emb_dim=16, num_heads=2, num_layers=1, drop_rate=0.0)
TEXT = "Mara read the weather clock, and the hand pointed at the storm."


@pytest.fixture(scope="module")
def tokenizer():
    return gpt2_encoding()


def test_uniform_model_costs_log2_vocab_bits_per_token(tokenizer):
    torch.manual_seed(0)
    model = GPTModel(CFG)
    with torch.no_grad():
        model.out_head.weight.zero_()  # every logit 0: a uniform guess over the vocabulary
    num_tokens = len(tokenizer.encode(TEXT))
    expected = num_tokens * math.log2(CFG.vocab_size) / len(TEXT.encode("utf-8"))
    assert bits_per_byte(model, tokenizer, TEXT) == pytest.approx(expected, rel=1e-5)


def test_summed_loss_equals_cross_entropy_over_windows(tokenizer):
    torch.manual_seed(1)
    model = GPTModel(CFG)
    ids = [50256, *tokenizer.encode(TEXT)]  # longer than one window of 8
    expected = 0.0
    with torch.no_grad():
        for start in range(0, len(ids) - 1, CFG.context_length):
            chunk = torch.tensor(ids[start : start + CFG.context_length + 1])
            logits = model(chunk[None, :-1])[0]
            expected += F.cross_entropy(logits, chunk[1:], reduction="sum").item()
    assert len(ids) > CFG.context_length + 1  # at least two windows
    assert summed_loss(model, tokenizer, TEXT) == pytest.approx(expected, rel=1e-5)


def test_stories_are_scored_separately(tokenizer):
    torch.manual_seed(2)
    model = GPTModel(CFG)
    first, second = "The gulls were loud.", "No storm came that night."
    joined = bits_per_byte(model, tokenizer, first + "\n<|endoftext|>\n" + second)
    nats = summed_loss(model, tokenizer, first) + summed_loss(model, tokenizer, second)
    expected = nats / math.log(2) / len((first + second).encode("utf-8"))
    assert joined == pytest.approx(expected, rel=1e-6)


def test_model_mode_is_restored(tokenizer):
    model = GPTModel(CFG).train()
    bits_per_byte(model, tokenizer, TEXT)
    assert model.training


@pytest.mark.parametrize("bad, error", [("", ValueError), ("  \n", ValueError), (3, TypeError)])
def test_bits_per_byte_rejects_bad_text(tokenizer, bad, error):
    with pytest.raises(error, match="text"):
        bits_per_byte(GPTModel(CFG), tokenizer, bad)


def test_word_spans_by_hand():
    assert word_spans("a b c d", n=3) == [("a", "b", "c"), ("b", "c", "d")]
    assert word_spans("a b", n=3) == []
    with pytest.raises(ValueError, match="n must be >= 1"):
        word_spans("a b", n=0)


def test_novelty_by_hand():
    training = "the cat sat on the mat"
    # spans of 3: (the cat sat) seen, (cat sat by) new, (sat by the) new, (by the mat) new
    assert novelty("the cat sat by the mat", training, n=3) == pytest.approx(3 / 4)
    assert novelty(training, training, n=3) == 0.0
    with pytest.raises(ValueError, match="fewer than 8 words"):
        novelty("too short", training)
