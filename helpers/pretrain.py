"""The course's training script: the same code on a laptop CPU, one GPU, or many (Chapter 5).

    python -m helpers.pretrain --config tiny --max-steps 200            # CPU or one GPU
    torchrun --standalone --nproc_per_node=4 -m helpers.pretrain ...    # 4 GPUs, one machine

Under torchrun every process trains a copy of the model on its own shard of each batch, and
DistributedDataParallel averages the gradients, so all copies stay identical; only rank 0 logs
and saves. `--batch-size` is per process: one step sees batch_size x grad_accum x processes
sequences. Writes to --out: log.csv, losses.png, last.pt (for --resume) and best.safetensors
(the weights with the lowest validation loss so far).
"""

import argparse
import csv
import dataclasses
import hashlib
import json
import os
import time
from pathlib import Path

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader
from tqdm import tqdm

from helpers.checkpoints import (
    load_checkpoint,
    rng_state,
    save_checkpoint,
    save_weights,
    set_rng_state,
)
from helpers.compact_vocab import CompactTokenizer
from helpers.data import GPTDataset
from helpers.device import get_device
from helpers.gpt import GPT2_SMALL, GPTConfig, GPTModel
from helpers.paths import DATA_DIR
from helpers.tokenizers import END_OF_TEXT, gpt2_encoding
from helpers.training import (
    TrainingHistory,
    build_optimizer,
    cosine_lr,
    epoch_loader,
    plot_losses,
    train_model,
)

PRESETS = {
    "tiny": GPTConfig(context_length=64, emb_dim=64, num_heads=4, num_layers=2, drop_rate=0.0),
    "small": GPTConfig(context_length=128, emb_dim=128, num_heads=4, num_layers=4, drop_rate=0.0),
    "gpt2-small": GPT2_SMALL,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", type=Path, default=DATA_DIR / "stories_train.txt")
    p.add_argument(
        "--val-data",
        type=Path,
        default=None,
        help="validation text (default: stories_val.txt for the default --data, "
        "else the last 10%% of --data)",
    )
    p.add_argument("--out", type=Path, default=Path("runs/pretrain"))
    p.add_argument("--config", choices=sorted(PRESETS), default="tiny")
    p.add_argument("--emb-dim", type=int)
    p.add_argument("--num-layers", type=int)
    p.add_argument("--num-heads", type=int)
    p.add_argument("--context-length", type=int)
    p.add_argument("--drop-rate", type=float)
    p.add_argument(
        "--vocab",
        choices=["gpt2", "compact"],
        default="gpt2",
        help="compact: renumber only the GPT-2 ids the text uses (fast on a CPU)",
    )
    p.add_argument("--batch-size", type=int, default=8, help="sequences per process per micro-step")
    p.add_argument("--grad-accum", type=int, default=1)
    p.add_argument("--max-steps", type=int, default=200)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--min-lr", type=float, default=1e-4)
    p.add_argument("--warmup-steps", type=int, default=20)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--grad-clip", type=float, default=1.0)
    p.add_argument("--eval-every", type=int, default=50)
    p.add_argument("--eval-iter", type=int, default=10, help="batches per evaluation")
    p.add_argument("--seed", type=int, default=123)
    p.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"], default="auto")
    p.add_argument(
        "--dtype",
        choices=["float32", "bfloat16"],
        default="float32",
        help="bfloat16: autocast matmuls (weights and optimizer stay float32)",
    )
    p.add_argument("--compile", action="store_true", help="torch.compile the model")
    p.add_argument("--resume", action="store_true", help="continue from --out/last.pt")
    p.add_argument(
        "--stop-after",
        type=int,
        default=None,
        help="stop after this many steps in this session (the schedule still runs to "
        "--max-steps); continue later with --resume",
    )
    return p.parse_args(argv)


def model_config(args: argparse.Namespace, vocab_size: int) -> GPTConfig:
    """The preset, with any size flags given on the command line."""
    overrides = {
        name: getattr(args, name)
        for name in ("emb_dim", "num_layers", "num_heads", "context_length", "drop_rate")
        if getattr(args, name) is not None
    }
    return dataclasses.replace(PRESETS[args.config], vocab_size=vocab_size, **overrides)


@dataclasses.dataclass(frozen=True)
class Run:
    """Where this process sits in a (possibly distributed) run."""

    rank: int = 0
    world_size: int = 1
    device: torch.device = torch.device("cpu")

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def setup_run(device_flag: str) -> Run:
    """Join torchrun's process group when launched by it (NCCL on CUDA, gloo on the CPU)."""
    if "RANK" not in os.environ:
        return Run(device=_pick_device(device_flag))
    rank, local_rank = int(os.environ["RANK"]), int(os.environ["LOCAL_RANK"])
    device = _pick_device(device_flag)
    if device.type == "cuda":
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
    dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
    return Run(rank=rank, world_size=dist.get_world_size(), device=device)


def _pick_device(flag: str) -> torch.device:
    if flag == "auto":
        return get_device()
    if flag == "cuda" and not torch.cuda.is_available():
        raise ValueError("--device cuda, but torch sees no CUDA GPU; use --device auto or cpu")
    if flag == "mps" and not torch.backends.mps.is_available():
        raise ValueError("--device mps, but this torch has no Apple MPS; use --device auto or cpu")
    return torch.device(flag)


def load_texts(args: argparse.Namespace) -> tuple[str, str]:
    """Training and validation text: the given files, or a 90/10 split of --data."""
    if not args.data.is_file():
        raise FileNotFoundError(f"--data {args.data} does not exist")
    text = args.data.read_text(encoding="utf-8")
    val_path = args.val_data
    if val_path is None and args.data.name == "stories_train.txt":
        val_path = args.data.with_name("stories_val.txt")
    if val_path is not None:
        return text, val_path.read_text(encoding="utf-8")
    split = int(0.9 * len(text))
    return text[:split], text[split:]


def make_tokenizer(args: argparse.Namespace, train_text: str, resumed: dict | None):
    """GPT-2's tokenizer, or its compact renumbering (kept ids stored in the checkpoint)."""
    if args.vocab == "gpt2":
        return gpt2_encoding()
    if resumed is not None:
        return CompactTokenizer(resumed["extra"]["gpt2_ids"])
    return CompactTokenizer.from_text(train_text)


def make_loaders(args, cfg: GPTConfig, run: Run, tokenizer, train_text: str, val_text: str):
    """Windows of context_length tokens; each process gets its own shard of the training set."""

    def windows(text: str) -> GPTDataset:
        ids = tokenizer.encode(text, allowed_special={END_OF_TEXT})
        return GPTDataset(ids, cfg.context_length, stride=cfg.context_length)

    train_set, val_set = windows(train_text), windows(val_text)
    train_loader = epoch_loader(
        train_set, args.batch_size, seed=args.seed, rank=run.rank, world_size=run.world_size
    )
    generator = torch.Generator().manual_seed(args.seed)  # never draw from the global RNG
    val_loader = DataLoader(val_set, batch_size=args.batch_size, generator=generator)
    return train_loader, val_loader


class Logger:
    """Rank 0's progress bar, CSV log, loss plot and best-weights file."""

    def __init__(self, args, run: Run, tokenizer, start_step: int):
        self.args, self.run, self.tokenizer = args, run, tokenizer
        self.bar = tqdm(
            total=args.max_steps, initial=start_step, disable=not run.is_main, dynamic_ncols=True
        )
        self.best = float("inf")
        self.started = time.perf_counter()
        self.tokens = 0
        self.csv_path = args.out / "log.csv"
        if run.is_main and not (args.resume and self.csv_path.is_file()):
            args.out.mkdir(parents=True, exist_ok=True)
            self.csv_path.write_text("step,train_loss,val_loss,lr,tokens_per_s\n")

    def on_step(self, step: int, loss: float, tokens: int) -> None:
        self.tokens += tokens * self.run.world_size
        rate = self.tokens / max(time.perf_counter() - self.started, 1e-9)
        self.bar.set_postfix(loss=f"{loss:.3f}", tok_s=f"{rate:,.0f}")
        self.bar.update(1)

    def on_eval(self, step: int, history: TrainingHistory, model, optimizer) -> None:
        rng_per_rank = gather_rng_states(self.run)  # every process takes part in this
        if not self.run.is_main:
            return
        train_loss, val_loss = history.train_losses[-1], history.val_losses[-1]
        rate = self.tokens / max(time.perf_counter() - self.started, 1e-9)
        with self.csv_path.open("a", newline="") as f:
            csv.writer(f).writerow(
                [
                    step,
                    f"{train_loss:.4f}",
                    f"{val_loss:.4f}",
                    f"{history.learning_rates[-1]:.3g}",
                    f"{rate:.0f}",
                ]
            )
        extra = {"best_val_loss": min(self.best, val_loss), "rng_per_rank": rng_per_rank}
        extra.update(self.vocab_extra())
        save_checkpoint(self.args.out / "last.pt", model, optimizer, step=step, extra=extra)
        if val_loss < self.best:
            self.best = val_loss
            meta = {"step": step, "val_loss": f"{val_loss:.4f}", **self.vocab_metadata()}
            save_weights(self.args.out / "best.safetensors", model, metadata=meta)
        self.bar.write(f"step {step}: train loss {train_loss:.3f}, val loss {val_loss:.3f}")

    def vocab_extra(self) -> dict:
        if isinstance(self.tokenizer, CompactTokenizer):
            return {"gpt2_ids": self.tokenizer.kept_ids}
        return {}

    def vocab_metadata(self) -> dict:
        extra = self.vocab_extra()
        return {"gpt2_ids": json.dumps(extra["gpt2_ids"])} if extra else {}

    def finish(self) -> None:
        self.bar.close()
        if self.run.is_main:
            plot_csv(self.csv_path, self.args.out / "losses.png")


def gather_rng_states(run: Run) -> list[dict]:
    """Every process's RNG states (dropout differs per process), for an exact resume."""
    if run.world_size == 1:
        return [rng_state()]
    states = [None] * run.world_size
    dist.all_gather_object(states, rng_state())
    return states


def plot_csv(csv_path: Path, png_path: Path) -> None:
    """Plot log.csv's training and validation losses against steps, as plot_losses does."""
    import matplotlib

    matplotlib.use("Agg")  # a script draws to a file; no window
    import matplotlib.pyplot as plt

    with csv_path.open() as f:
        rows = list(csv.DictReader(f))
    history = TrainingHistory(
        eval_steps=[int(r["step"]) for r in rows],
        train_losses=[float(r["train_loss"]) for r in rows],
        val_losses=[float(r["val_loss"]) for r in rows],
    )
    fig = plot_losses(history)
    fig.savefig(png_path, dpi=100)
    plt.close(fig)


def replicas_in_sync(model: torch.nn.Module) -> bool:
    """True when every process holds bit-identical weights (DistributedDataParallel's promise)."""
    flat = torch.cat([p.detach().reshape(-1).cpu() for p in model.parameters()])
    device = next(model.parameters()).device  # NCCL gathers only GPU tensors
    digest = torch.tensor(list(hashlib.sha256(flat.numpy().tobytes()).digest()[:8]), device=device)
    digests = [torch.zeros_like(digest) for _ in range(dist.get_world_size())]
    dist.all_gather(digests, digest)
    return all(torch.equal(d, digests[0]) for d in digests)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    run = setup_run(args.device)
    resumed = None
    if args.resume:
        resumed = torch.load(args.out / "last.pt", map_location="cpu", weights_only=True)
    train_text, val_text = load_texts(args)
    tokenizer = make_tokenizer(args, train_text, resumed)
    cfg = model_config(args, tokenizer.n_vocab)
    torch.manual_seed(args.seed)  # the same initial weights in every process
    model = GPTModel(cfg).to(run.device)
    optimizer = build_optimizer(model, args.lr, weight_decay=args.weight_decay)
    start_step = 0
    if resumed is not None:
        model, checkpoint = load_checkpoint(args.out / "last.pt", model, optimizer, run.device)
        start_step = checkpoint["step"]
        set_rng_state(checkpoint["extra"]["rng_per_rank"][run.rank])
    else:
        torch.manual_seed(args.seed + run.rank)  # dropout draws differ between processes
    train_loader, val_loader = make_loaders(args, cfg, run, tokenizer, train_text, val_text)
    trained = model
    if args.compile:
        trained = torch.compile(trained)
    if run.world_size > 1:
        ids = [run.device.index] if run.device.type == "cuda" else None
        trained = DistributedDataParallel(trained, device_ids=ids)
    logger = Logger(args, run, tokenizer, start_step)
    stop_step = args.max_steps
    if args.stop_after is not None:
        stop_step = min(args.max_steps, start_step + args.stop_after)
    dtype = torch.bfloat16 if args.dtype == "bfloat16" else None

    def schedule(step: int) -> float:
        return cosine_lr(
            step,
            max_lr=args.lr,
            min_lr=args.min_lr,
            warmup_steps=args.warmup_steps,
            max_steps=args.max_steps,
        )

    train_model(
        trained,
        train_loader,
        val_loader,
        optimizer,
        run.device,
        max_steps=stop_step,
        eval_every=args.eval_every,
        eval_iter=args.eval_iter,
        lr_schedule=schedule,
        grad_clip=args.grad_clip,
        grad_accum=args.grad_accum,
        start_step=start_step,
        autocast_dtype=dtype,
        on_step=logger.on_step,
        on_eval=lambda step, history: logger.on_eval(step, history, model, optimizer),
    )
    logger.finish()
    if run.world_size > 1:
        in_sync = replicas_in_sync(model)
        if run.is_main:
            print(f"{run.world_size} processes; weights identical in all: {in_sync}")
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
