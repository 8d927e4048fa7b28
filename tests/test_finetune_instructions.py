"""python -m helpers.finetune_instructions: a tiny run writes weights that load."""

import pytest
import torch

from helpers.checkpoints import load_course_model, weights_metadata
from helpers.finetune_instructions import main
from helpers.lora import LoRALinear

TINY = [
    "--steps",
    "2",
    "--batch-size",
    "4",
    "--warmup-steps",
    "1",
    "--eval-every",
    "2",
    "--train-entries",
    "16",
    "--test-entries",
    "3",
]


@pytest.mark.parametrize("extra", [[], ["--mask-prompt"], ["--lora-rank", "2"]])
def test_a_tiny_run_saves_a_model_that_loads_and_differs_from_the_start(tmp_path, extra, capsys):
    out = tmp_path / "model.safetensors"
    scores = main(["--out", str(out), *TINY, *extra])
    assert set(scores) == {"exact_match", "overlap"} and 0 <= scores["overlap"] <= 1
    model, tokenizer = load_course_model(out)
    start, start_tokenizer = load_course_model()
    assert tokenizer.kept_ids == start_tokenizer.kept_ids
    assert model.cfg == start.cfg
    assert not any(isinstance(m, LoRALinear) for m in model.modules())  # adapters merged in
    changed = [
        not torch.equal(a, b) for a, b in zip(model.parameters(), start.parameters(), strict=True)
    ]
    assert any(changed)
    if extra[:1] == ["--lora-rank"]:  # LoRA touches only the adapted layers: embeddings unchanged
        assert torch.equal(model.embedding.tok_emb.weight, start.embedding.tok_emb.weight)
    assert weights_metadata(out)["finetuned_from"] == "stories_small.safetensors"
    printed = capsys.readouterr().out
    assert "trainable parameters" in printed and "test: exact match" in printed
