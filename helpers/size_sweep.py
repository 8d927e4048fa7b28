"""A laptop's Chinchilla: model sizes trained with the same compute, compared by bits per byte.

    python -m helpers.size_sweep --flops 1.5e13 --out runs/sweep

Real pretraining picks a model's size for its compute budget: a model too small stops learning
early, one too large sees too few tokens. This script trains each size in ``SIZES`` with
``python -m helpers.pretrain`` for as many steps as its share of compute buys,

    steps = flops / flops_per_step,  flops_per_step = 6 * N * tokens + attention's products,

(N: the parameters that take part in matrix multiplies), keeps each run's best step by the
validation text, and writes one JSON file with every size's parameters, steps, tokens, minutes
and bits per byte on the validation text and on the hand-written held-out stories.
"""

import argparse
import json
import time
from pathlib import Path

from helpers import pretrain
from helpers.checkpoints import load_course_model
from helpers.corpora import tales
from helpers.evaluation import bits_per_byte
from helpers.gpt import GPTConfig, GPTModel, count_parameters
from helpers.paths import DATA_DIR

# (emb_dim, num_layers, num_heads): widths and depths grown together, head_dim 32
SIZES = ((64, 2, 2), (128, 4, 4), (192, 6, 6), (256, 8, 8))
CONTEXT_LENGTH, BATCH_SIZE = 128, 16
GENERATOR_VAL_FILES = (DATA_DIR / "tales_val.txt", DATA_DIR / "stories_val.txt")


def flops_per_step(cfg: GPTConfig, batch_size: int) -> float:
    """6 * N * tokens + 12 * num_layers * emb_dim * context_length * tokens (PaLM, appendix B)."""
    model = GPTModel(cfg)
    num_params = count_parameters(model) - model.embedding.pos_emb.weight.numel()  # a lookup
    tokens = batch_size * cfg.context_length
    attention = 12 * cfg.num_layers * cfg.emb_dim * cfg.context_length * tokens
    return 6 * num_params * tokens + attention


def learning_rate(emb_dim: int) -> float:
    """Wider models take smaller steps: 2e-3 at emb_dim 128, times 128 / emb_dim, at most 3e-3."""
    return min(3e-3, 2e-3 * 128 / emb_dim)


def compact_vocab_size(args: argparse.Namespace) -> int:
    """The size of the compact vocabulary that pretrain builds from the same files."""
    argv = ["--data", *map(str, args.data), "--val-data", str(args.val_data), "--vocab", "compact"]
    pretrain_args = pretrain.parse_args(argv)
    train_text, _ = pretrain.load_texts(pretrain_args)
    return pretrain.make_tokenizer(pretrain_args, train_text, None).n_vocab


def run_size(args, size: tuple[int, int, int], vocab_size: int) -> dict:
    """Train one size with its share of compute; return its row of the results."""
    emb_dim, num_layers, num_heads = size
    cfg = GPTConfig(vocab_size, CONTEXT_LENGTH, emb_dim, num_heads, num_layers, drop_rate=0.0)
    steps = max(20, round(args.flops / flops_per_step(cfg, BATCH_SIZE)))
    lr, out = learning_rate(emb_dim), args.out / f"emb{emb_dim}_layers{num_layers}"
    argv = [
        *("--data", *map(str, args.data), "--val-data", str(args.val_data), "--out", str(out)),
        *("--config", "small", "--vocab", "compact", "--batch-size", str(BATCH_SIZE)),
        *("--emb-dim", str(emb_dim), "--num-layers", str(num_layers)),
        *("--num-heads", str(num_heads), "--context-length", str(CONTEXT_LENGTH)),
        *("--max-steps", str(steps), "--lr", str(lr), "--min-lr", str(lr / 10)),
        *("--warmup-steps", str(max(10, steps // 20)), "--eval-every", str(max(10, steps // 10))),
        *("--eval-iter", "20", "--seed", str(args.seed), "--device", "cpu"),
    ]
    started = time.perf_counter()
    pretrain.main(argv)
    minutes = (time.perf_counter() - started) / 60
    model, tokenizer = load_course_model(out / "best.safetensors")
    return {
        "emb_dim": emb_dim,
        "num_layers": num_layers,
        "num_heads": num_heads,
        "parameters": count_parameters(model),
        "steps": steps,
        "tokens": steps * BATCH_SIZE * CONTEXT_LENGTH,
        "lr": lr,
        "minutes": round(minutes, 1),
        "val_bits_per_byte": round(bits_per_byte(model, tokenizer, args.val_data.read_text()), 4),
        "heldout_bits_per_byte": round(
            bits_per_byte(model, tokenizer, args.heldout.read_text()), 4
        ),
        **{
            f"{path.stem}_bits_per_byte": round(
                bits_per_byte(model, tokenizer, path.read_text()), 4
            )
            for path in GENERATOR_VAL_FILES
        },
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "--data",
        type=Path,
        nargs="+",
        default=list(tales.COURSE_TRAINING_FILES),
        help="training text, one or more files (default: the grammar stories and the template "
        "stories)",
    )
    p.add_argument(
        "--val-data",
        type=Path,
        default=DATA_DIR / "heldout_val_stories.txt",
        help="validation text that picks each run's best step (default: the hand-written "
        "validation stories)",
    )
    p.add_argument(
        "--heldout",
        type=Path,
        default=DATA_DIR / "heldout_stories.txt",
        help="hand-written text, only measured (default: %(default)s)",
    )
    p.add_argument("--flops", type=float, default=1.5e13, help="compute per size (default: 1.5e13)")
    p.add_argument("--seed", type=int, default=123, help="seed of every run (default: 123)")
    p.add_argument("--out", type=Path, default=Path("runs/sweep"), help="(default: runs/sweep)")
    p.add_argument(
        "--results",
        type=Path,
        default=DATA_DIR / "results" / "size_sweep.json",
        help="where the table is written (default: %(default)s)",
    )
    args = p.parse_args(argv)
    if args.flops <= 0:
        p.error(f"argument --flops: must be > 0, got {args.flops}")
    vocab_size = compact_vocab_size(args)
    rows = []
    for size in SIZES:
        rows.append(run_size(args, size, vocab_size))
        print(json.dumps(rows[-1]))
        args.results.parent.mkdir(parents=True, exist_ok=True)
        table = {"flops_per_size": args.flops, "batch_size": BATCH_SIZE, "runs": rows}
        args.results.write_text(json.dumps(table, indent=1) + "\n")


if __name__ == "__main__":
    main()
