"""python -m helpers.pretrain: one process, an exact resume, and two processes through torchrun."""

import os
import subprocess
import sys

import pytest
import torch

from helpers.checkpoints import load_weights, weights_metadata
from helpers.compact_vocab import CompactTokenizer
from helpers.data import read_corpus
from helpers.paths import REPO_ROOT
from helpers.pretrain import PRESETS, main, model_config, parse_args
from helpers.training import calc_loss_batch

TINY = [
    "--config",
    "tiny",
    "--emb-dim",
    "32",
    "--context-length",
    "32",
    "--vocab",
    "compact",
    "--eval-iter",
    "2",
    "--warmup-steps",
    "2",
    "--seed",
    "7",
]


@pytest.fixture(scope="module")
def text_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "story.txt"
    path.write_text(read_corpus()[:12_000], encoding="utf-8")
    return path


def run_script(args: list[str], torchrun_procs: int = 0) -> str:
    env = {**os.environ, "TQDM_DISABLE": "1", "OMP_NUM_THREADS": "1"}
    if torchrun_procs:
        launcher = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            f"--nproc_per_node={torchrun_procs}",
        ]
        command = [*launcher, "-m", "helpers.pretrain", *args]
    else:
        command = [sys.executable, "-m", "helpers.pretrain", *args]
    done = subprocess.run(
        command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_config_flags_override_the_preset():
    args = parse_args(["--config", "small", "--num-layers", "3", "--emb-dim", "96"])
    cfg = model_config(args, vocab_size=500)
    assert (cfg.num_layers, cfg.emb_dim, cfg.num_heads) == (3, 96, PRESETS["small"].num_heads)
    assert cfg.vocab_size == 500


def test_one_process_writes_log_plot_checkpoints_and_learns(tmp_path, text_file):
    out = tmp_path / "run"
    main(
        [
            "--data",
            str(text_file),
            "--out",
            str(out),
            "--max-steps",
            "40",
            "--eval-every",
            "20",
            "--lr",
            "3e-3",
            *TINY,
        ]
    )
    assert {p.name for p in out.iterdir()} == {
        "log.csv",
        "losses.png",
        "last.pt",
        "best.safetensors",
    }
    rows = (out / "log.csv").read_text().splitlines()
    assert rows[0] == "step,train_loss,val_loss,lr,tokens_per_s" and len(rows) == 3
    first, last = (float(r.split(",")[1]) for r in (rows[1], rows[2]))
    assert last < first
    model = load_weights(out / "best.safetensors")
    tokenizer = CompactTokenizer(eval(weights_metadata(out / "best.safetensors")["gpt2_ids"]))
    assert model.cfg.vocab_size == tokenizer.n_vocab


def test_resume_continues_exactly(tmp_path, text_file):
    common = [
        "--data",
        str(text_file),
        "--max-steps",
        "12",
        "--eval-every",
        "4",
        "--drop-rate",
        "0.1",
        *TINY,
    ]
    main([*common, "--out", str(tmp_path / "full")])
    main([*common, "--out", str(tmp_path / "split"), "--stop-after", "6"])
    # a new process would start with a fresh RNG; --resume must restore it
    torch.manual_seed(2024)
    main([*common, "--out", str(tmp_path / "split"), "--resume"])
    full = (tmp_path / "full" / "log.csv").read_text().splitlines()
    split = (tmp_path / "split" / "log.csv").read_text().splitlines()
    # steps 4 and 8 and 12 in both; step 6 (where the first session stopped) only in split
    assert [r.split(",")[:4] for r in split if not r.startswith("6,")] == [
        r.split(",")[:4] for r in full
    ]
    resumed, uninterrupted = (
        torch.load(tmp_path / d / "last.pt", weights_only=True) for d in ("split", "full")
    )
    for name, tensor in uninterrupted["model"].items():
        assert torch.equal(resumed["model"][name], tensor), name


def test_two_processes_with_gloo_equal_one_process_with_the_same_global_batch(tmp_path, text_file):
    common = ["--data", str(text_file), "--max-steps", "4", "--eval-every", "4", *TINY]
    out = run_script(
        [*common, "--out", str(tmp_path / "ddp"), "--batch-size", "2", "--device", "cpu"],
        torchrun_procs=2,
    )
    assert "2 processes; weights identical in all: True" in out
    run_script([*common, "--out", str(tmp_path / "one"), "--batch-size", "4"])
    ddp = load_weights(tmp_path / "ddp" / "best.safetensors")
    one = load_weights(tmp_path / "one" / "best.safetensors")
    for (name, a), b in zip(ddp.state_dict().items(), one.state_dict().values(), strict=True):
        assert torch.allclose(a, b, atol=1e-5), name
    ids = torch.arange(64).reshape(2, 32) % ddp.cfg.vocab_size
    with torch.no_grad():
        losses = [calc_loss_batch(ids[:, :-1], ids[:, 1:], m.eval(), "cpu") for m in (ddp, one)]
    assert abs(losses[0].item() - losses[1].item()) < 1e-5


def test_missing_data_file_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="--data"):
        main(["--data", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "x")])
