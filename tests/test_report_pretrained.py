"""python -m helpers.report_pretrained: bits per byte, continuations and novelty in one JSON."""

import json
import math

import pytest
import torch

from helpers.checkpoints import save_weights
from helpers.compact_vocab import CompactTokenizer
from helpers.evaluation import STORY_SEPARATOR
from helpers.gpt import GPTConfig, GPTModel
from helpers.paths import DATA_DIR
from helpers.report_pretrained import main, share_new


def test_share_new_counts_spans_missing_from_the_training_text():
    seen = {tuple(["a", "b", "c", "d", "e", "f", "g", "h"])}
    assert share_new("a b c d e f g h", seen) == 0.0
    assert share_new("a b c d e f g h i", seen) == 0.5  # the second span is new
    assert share_new("too short", seen) is None


def test_report_of_a_tiny_model(tmp_path):
    train = tmp_path / "train.txt"
    train.write_text((DATA_DIR / "stories_val.txt").read_text("utf-8")[:20_000], "utf-8")
    prompts = (DATA_DIR / "heldout_prompts.txt").read_text("utf-8")
    tokenizer = CompactTokenizer.from_text(train.read_text("utf-8") + prompts)
    cfg = GPTConfig(tokenizer.n_vocab, context_length=32, emb_dim=16, num_heads=2, num_layers=1)
    torch.manual_seed(0)
    weights = save_weights(
        tmp_path / "tiny.safetensors",
        GPTModel(cfg),
        metadata={"gpt2_ids": json.dumps(tokenizer.kept_ids)},
    )
    out = tmp_path / "report.json"
    argv = ["--model", str(weights), "--train-data", str(train), "--out", str(out)]
    handwritten = DATA_DIR / "heldout_stories.txt"
    report = main([*argv, "--measure", str(handwritten), "--max-new-tokens", "12"])
    assert json.loads(out.read_text("utf-8")) == report
    # an untrained model is near-uniform: about log2(vocab_size) bits for every token
    stories = handwritten.read_text("utf-8").split(STORY_SEPARATOR)
    num_tokens = sum(len(tokenizer.encode(story)) for story in stories)
    num_bytes = sum(len(story.encode("utf-8")) for story in stories)
    uniform = math.log2(cfg.vocab_size) * num_tokens / num_bytes
    assert report["bits_per_byte"]["heldout_stories.txt"] == pytest.approx(uniform, rel=0.1)
    assert len(report["continuations"]) == len(prompts.splitlines())
    assert 0.9 <= report["handwritten_novelty"] <= 1.0  # the hand-written text is not in train


def test_missing_model_is_a_command_line_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--model", str(tmp_path / "nope.safetensors")])
    assert exit_info.value.code == 2
    assert "argument --model: no file" in capsys.readouterr().err
