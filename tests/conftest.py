"""Fixtures shared by the tests of the training scripts."""

import json

import pytest
import torch

from helpers.checkpoints import save_weights
from helpers.compact_vocab import CompactTokenizer
from helpers.gpt import GPTConfig, GPTModel
from helpers.paths import DATA_DIR

TINY_CFG = GPTConfig(
    vocab_size=1, context_length=128, emb_dim=16, num_heads=2, num_layers=2, drop_rate=0.0
)


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory):
    """A tiny GPT saved as the course model is: weights, config and the compact vocabulary."""
    text = "".join(
        (DATA_DIR / f"messages_{split}.tsv").read_text() for split in ("train", "val", "test")
    )
    tokenizer = CompactTokenizer.from_text(text)
    torch.manual_seed(1234)  # not a --seed of the tests: --init random draws other weights
    model = GPTModel(GPTConfig(**{**vars(TINY_CFG), "vocab_size": tokenizer.n_vocab}))
    path = tmp_path_factory.mktemp("base") / "base.safetensors"
    save_weights(path, model, metadata={"gpt2_ids": json.dumps(tokenizer.kept_ids)})
    return path
