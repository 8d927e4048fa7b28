"""python -m helpers.finetune_instructions: a tiny run writes weights that load."""

import json
import re

import pytest
import torch
from safetensors.torch import load_file

from helpers.checkpoints import COURSE_GPT, load_course_model, weights_metadata
from helpers.finetune_instructions import (
    BestWeights,
    build_parser,
    main,
    parse_args,
    scores_by_family,
)
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
    out, written = tmp_path / "model.safetensors", tmp_path / "results.json"
    results = main(["--out", str(out), "--results", str(written), *TINY, *extra])
    assert json.loads(written.read_text())["test"] == results["test"]
    for split, count in (("test", 3), ("handwritten_dev", 3), ("handwritten_test", 3)):
        assert results[split]["n"] == count and 0 <= results[split]["overlap"] <= 1
        assert sum(f["n"] for f in results[split]["families"].values()) == count
    assert results["curve"]["steps"] == [2]
    model, tokenizer = load_course_model(out)
    start, start_tokenizer = load_course_model(COURSE_GPT)
    assert tokenizer.kept_ids == start_tokenizer.kept_ids
    assert model.cfg == start.cfg
    assert not any(isinstance(m, LoRALinear) for m in model.modules())  # adapters merged in
    changed = [
        not torch.equal(a, b) for a, b in zip(model.parameters(), start.parameters(), strict=True)
    ]
    assert any(changed)
    if extra[:1] == ["--lora-rank"]:  # LoRA touches only the adapted layers: embeddings unchanged
        assert torch.equal(model.embedding.tok_emb.weight, start.embedding.tok_emb.weight)
    assert weights_metadata(out)["finetuned_from"] == "course_gpt.safetensors"
    printed = capsys.readouterr().out
    assert "trainable parameters" in printed and "test: exact match" in printed
    assert "handwritten_test: exact match" in printed


def test_scores_by_family_by_hand():
    entries = [
        {"instruction": "Give the last word.", "input": "Mara ran home.", "output": "home"},
        {"instruction": "Give the last word.", "input": "Tobin sat.", "output": "sat"},
        {"instruction": "Give the first word.", "input": "Kit ran.", "output": "Kit"},
    ]
    scores = scores_by_family(entries, ["home", "Tobin sat", "kit"])
    assert scores["n"] == 3 and scores["exact_match"] == pytest.approx(1 / 3)
    last = {"exact_match": 0.5, "overlap": pytest.approx(5 / 6), "n": 2}
    assert scores["families"]["last word"] == last
    assert scores["families"]["first word"] == {"exact_match": 0.0, "overlap": 1.0, "n": 1}


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--steps", "0"], "argument --steps: must be a whole number >= 1, got 0"),
        (["--batch-size", "-2"], "argument --batch-size: must be a whole number >= 1, got -2"),
        (["--lr", "0"], "argument --lr: must be a number > 0, got 0"),
        (["--warmup-steps", "3000"], "argument --warmup-steps: must be below --steps 3000"),
        (["--lora-rank", "-1"], "argument --lora-rank: must be a whole number >= 0, got -1"),
        (["--lora-alpha", "4"], "argument --lora-alpha: needs --lora-rank >= 1"),
        (["--adapters-out", "a.safetensors"], "argument --adapters-out: needs --lora-rank >= 1"),
        (["--patience", "-1"], "argument --patience: must be a whole number >= 0, got -1"),
        (["--keep", "first"], "argument --keep: invalid choice: 'first'"),
        (["--device", "gpu"], "argument --device: invalid choice: 'gpu'"),
    ],
)
def test_bad_flags_are_command_line_errors(flags, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--out", str(tmp_path / "model.safetensors"), *flags])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("flag", ["--out", "--results"])
def test_a_file_in_a_missing_folder_is_a_command_line_error(tmp_path, capsys, flag):
    argv = ["--out", str(tmp_path / "model.safetensors")]
    with pytest.raises(SystemExit):
        parse_args([*argv, flag, str(tmp_path / "nope" / "file")])
    assert f"argument {flag}: no folder {tmp_path / 'nope'}" in capsys.readouterr().err


def test_every_flag_has_a_help_text():
    missing = [a.option_strings for a in build_parser()._actions if not a.help]
    assert missing == []


def test_best_weights_keep_the_lowest_loss_and_say_when_to_stop():
    model = torch.nn.Linear(2, 1)
    keeper = BestWeights(model, patience=2)
    assert not keeper.update(10, 0.5)  # the first evaluation is the best so far
    kept = model.weight.detach().clone()
    with torch.no_grad():
        model.weight.add_(1.0)  # training moves on
    assert not keeper.update(20, 0.6)  # worse: one evaluation without a lower loss
    assert keeper.update(30, 0.5)  # equal is not lower: two in a row, time to stop
    assert (keeper.step, keeper.loss) == (10, 0.5)
    assert torch.equal(keeper.state["weight"], kept)  # a copy, not the live tensor
    assert not BestWeights(model, patience=0).update(1, 1.0)  # patience 0 never stops


def test_the_run_keeps_the_step_with_the_lowest_validation_loss(tmp_path, capsys):
    out = tmp_path / "model.safetensors"
    flags = ["--out", str(out), *TINY, "--steps", "4", "--eval-every", "1", "--patience", "0"]
    main(flags)
    printed = capsys.readouterr().out
    losses = {
        int(step): float(loss)
        for step, loss in re.findall(r"step (\d+): validation loss ([0-9.]+)", printed)
    }
    assert sorted(losses) == [1, 2, 3, 4]
    meta = weights_metadata(out)
    assert int(meta["kept_step"]) == min(losses, key=losses.get)
    main([*flags, "--keep", "last"])
    assert weights_metadata(out)["kept_step"] == "4"


def test_lora_adapters_are_saved_unmerged_beside_the_merged_model(tmp_path):
    out, adapters = tmp_path / "model.safetensors", tmp_path / "adapters.safetensors"
    main(["--out", str(out), *TINY, "--lora-rank", "2", "--adapters-out", str(adapters)])
    tensors = load_file(adapters)
    model, _ = load_course_model(out)
    layers = 4 * 6  # per block: four attention projections and the feed-forward's two layers
    assert len(tensors) == 2 * layers and all(name.endswith((".A", ".B")) for name in tensors)
    assert all(min(t.shape) == 2 for t in tensors.values())  # rank 2
    assert adapters.stat().st_size < out.stat().st_size / 10
