"""python -m helpers.finetune_instructions: a tiny run writes weights that load."""

import pytest
import torch

from helpers.checkpoints import load_course_model, weights_metadata
from helpers.finetune_instructions import build_parser, main, parse_args
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


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--steps", "0"], "argument --steps: must be a whole number >= 1, got 0"),
        (["--batch-size", "-2"], "argument --batch-size: must be a whole number >= 1, got -2"),
        (["--lr", "0"], "argument --lr: must be a number > 0, got 0"),
        (["--warmup-steps", "2000"], "argument --warmup-steps: must be below --steps 1500"),
        (["--lora-rank", "-1"], "argument --lora-rank: must be a whole number >= 0, got -1"),
        (["--lora-alpha", "4"], "argument --lora-alpha: needs --lora-rank >= 1"),
        (["--device", "gpu"], "argument --device: invalid choice: 'gpu'"),
    ],
)
def test_bad_flags_are_command_line_errors(flags, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--out", str(tmp_path / "model.safetensors"), *flags])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_out_in_a_missing_folder_is_a_command_line_error(tmp_path, capsys):
    with pytest.raises(SystemExit):
        parse_args(["--out", str(tmp_path / "nope" / "model.safetensors")])
    assert f"argument --out: no folder {tmp_path / 'nope'}" in capsys.readouterr().err


def test_every_flag_has_a_help_text():
    missing = [a.option_strings for a in build_parser()._actions if not a.help]
    assert missing == []
