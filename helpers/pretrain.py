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
import random
import re
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
from helpers.cli import non_negative_float, positive_float, positive_int
from helpers.compact_vocab import CompactTokenizer
from helpers.corpora import tales
from helpers.corpora.stories import STORY_SEPARATOR
from helpers.data import GPTDataset
from helpers.device import get_device
from helpers.gpt import GPT2_SMALL, GPTConfig, GPTModel
from helpers.paths import DATA_DIR
from helpers.tokenizers import END_OF_TEXT, gpt2_encoding
from helpers.training import (
    TrainingHistory,
    build_optimizer,
    calc_loss_loader,
    cosine_lr,
    epoch_loader,
    plot_losses,
    train_model,
)

WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")

PRESETS = {
    "tiny": GPTConfig(context_length=64, emb_dim=64, num_heads=4, num_layers=2, drop_rate=0.0),
    "small": GPTConfig(context_length=128, emb_dim=128, num_heads=4, num_layers=4, drop_rate=0.0),
    "gpt2-small": GPT2_SMALL,
}


LATER_CHAPTER_FILES = tuple(
    DATA_DIR / f"{kind}_{split}.{ext}"
    for kind, ext in (("messages", "tsv"), ("instructions", "json"))
    for split in ("train", "val", "test")
)


def build_parser() -> argparse.ArgumentParser:
    """Every flag of the script, each with its help text and default."""
    p = argparse.ArgumentParser(
        prog="python -m helpers.pretrain", description=__doc__.split("\n")[0]
    )
    p.add_argument(
        "--data",
        type=Path,
        nargs="+",
        default=[DATA_DIR / "stories_train.txt"],
        help="training text, one or more files joined story by story (default: "
        "data/stories_train.txt; data/tales_train.txt is built on first use)",
    )
    p.add_argument(
        "--val-data",
        type=Path,
        default=None,
        help="validation text that picks the best step (default: stories_val.txt for the "
        "default --data, else the last 10%% of the training text)",
    )
    p.add_argument(
        "--watch-data",
        type=Path,
        nargs="*",
        default=[],
        help="more texts whose loss is logged at every evaluation, a column each in log.csv, "
        "without picking the best step (default: none)",
    )
    p.add_argument(
        "--vocab-words",
        type=Path,
        nargs="*",
        default=list(LATER_CHAPTER_FILES),
        help="files whose words the compact vocabulary keeps as whole tokens, after a space "
        "and at the start of a line (default: the messages and instructions of Chapters 6-7)",
    )
    p.add_argument(
        "--spell-rate",
        type=non_negative_float,
        default=0.0,
        help="share of the training text's multi-byte tokens spelled out byte by byte, so the "
        "model learns to spell words its vocabulary lacks (default: 0.0)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("runs/pretrain"),
        help="output folder (default: %(default)s)",
    )
    p.add_argument(
        "--config", choices=sorted(PRESETS), default="tiny", help="model size (default: tiny)"
    )
    p.add_argument("--emb-dim", type=positive_int, help="override the preset's emb_dim")
    p.add_argument("--num-layers", type=positive_int, help="override the preset's num_layers")
    p.add_argument("--num-heads", type=positive_int, help="override the preset's num_heads")
    p.add_argument(
        "--context-length", type=positive_int, help="override the preset's context_length"
    )
    p.add_argument("--drop-rate", type=non_negative_float, help="override the preset's drop_rate")
    p.add_argument(
        "--vocab",
        choices=["gpt2", "compact"],
        default="gpt2",
        help="compact: renumber only the GPT-2 ids the text uses, fast on a CPU (default: gpt2)",
    )
    p.add_argument(
        "--batch-size",
        type=positive_int,
        default=8,
        help="sequences per process per micro-step (default: 8)",
    )
    p.add_argument(
        "--grad-accum",
        type=positive_int,
        default=1,
        help="micro-steps whose gradients add up to one optimizer step (default: 1)",
    )
    p.add_argument(
        "--max-steps", type=positive_int, default=200, help="optimizer steps (default: 200)"
    )
    p.add_argument(
        "--lr", type=positive_float, default=1e-3, help="peak learning rate (default: 1e-3)"
    )
    p.add_argument(
        "--min-lr",
        type=non_negative_float,
        default=1e-4,
        help="learning rate at the end of the cosine decay (default: 1e-4)",
    )
    p.add_argument(
        "--warmup-steps",
        type=int,
        default=20,
        help="steps of linear warmup from 0 to --lr (default: 20)",
    )
    p.add_argument(
        "--weight-decay", type=non_negative_float, default=0.1, help="AdamW's (default: 0.1)"
    )
    p.add_argument(
        "--grad-clip",
        type=positive_float,
        default=1.0,
        help="largest gradient norm; larger ones are scaled down (default: 1.0)",
    )
    p.add_argument(
        "--eval-every",
        type=positive_int,
        default=50,
        help="steps between evaluations (default: 50)",
    )
    p.add_argument(
        "--eval-iter", type=positive_int, default=10, help="batches per evaluation (default: 10)"
    )
    p.add_argument("--seed", type=int, default=123, help="seed of every random draw (default: 123)")
    p.add_argument(
        "--device",
        choices=["auto", "cpu", "cuda", "mps"],
        default="auto",
        help="auto: CUDA, else Apple MPS, else the CPU (default: auto)",
    )
    p.add_argument(
        "--dtype",
        choices=["float32", "bfloat16"],
        default="float32",
        help="bfloat16: autocast matmuls; weights and optimizer stay float32 (default: float32)",
    )
    p.add_argument("--compile", action="store_true", help="torch.compile the model (default: off)")
    p.add_argument("--resume", action="store_true", help="continue from --out/last.pt")
    p.add_argument(
        "--stop-after",
        type=positive_int,
        default=None,
        help="stop after this many steps in this session (the schedule still runs to "
        "--max-steps); continue later with --resume (default: run to --max-steps)",
    )
    return p


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The flags, each checked: a bad one ends the script with argparse's one-line error."""
    parser = build_parser()
    args = parser.parse_args(argv)
    check_args(parser, args)
    return args


def check_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Answer flags that cannot work with argparse's one-line error (exit status 2)."""
    for path in args.data:
        if not path.is_file() and not is_built_on_first_use(path):
            parser.error(f"argument --data: no file {path}; give a text file to train on")
    named = [("--val-data", args.val_data)] + [("--watch-data", p) for p in args.watch_data]
    for flag, path in named + [("--vocab-words", p) for p in args.vocab_words]:
        if path is not None and not path.is_file():
            parser.error(f"argument {flag}: no file {path}")
    if args.min_lr > args.lr:
        parser.error(f"argument --min-lr: {args.min_lr} is above --lr {args.lr}; it must be <= it")
    if not 0 <= args.warmup_steps < args.max_steps:
        parser.error(
            f"argument --warmup-steps: must be >= 0 and below --max-steps {args.max_steps}, "
            f"got {args.warmup_steps}"
        )
    if args.spell_rate >= 1:
        parser.error(f"argument --spell-rate: must be in [0, 1), got {args.spell_rate}")
    if args.drop_rate is not None and args.drop_rate >= 1:
        parser.error(f"argument --drop-rate: must be in [0, 1), got {args.drop_rate}")
    if args.resume and not (args.out / "last.pt").is_file():
        parser.error(
            f"argument --resume: no checkpoint at {args.out / 'last.pt'}; start a run first "
            "(the same command without --resume), or point --out at the folder of the run"
        )
    cfg = PRESETS[args.config]
    emb_dim = args.emb_dim or cfg.emb_dim
    num_heads = args.num_heads or cfg.num_heads
    if emb_dim % num_heads:
        parser.error(
            f"argument --num-heads: emb_dim {emb_dim} must divide into {num_heads} heads; "
            "choose a divisor of emb_dim"
        )


def is_built_on_first_use(path: Path) -> bool:
    """The grammar stories' training split is not committed; the script writes it on first use."""
    return path.resolve() == (DATA_DIR / tales.TRAIN_FILE).resolve()


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
    tales.build_if_missing(args.data)
    text = STORY_SEPARATOR.join(path.read_text(encoding="utf-8").strip("\n") for path in args.data)
    val_path = args.val_data
    if val_path is None and [path.name for path in args.data] == ["stories_train.txt"]:
        val_path = args.data[0].with_name("stories_val.txt")
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
    return CompactTokenizer.from_text(train_text + words_on_their_own(args.vocab_words))


def words_on_their_own(paths: list[Path]) -> str:
    """Every word of the files (as written and lower-case), after a space and alone on a line.

    GPT-2 mostly stores a word with its leading space (" pink"); a compact vocabulary built from
    prose alone lacks the form at the start of a line ("pink"), which it would then spell byte by
    byte. Keeping both forms of every later-chapter word lets finetuning meet whole words.
    """
    found = {w for path in paths for w in WORD.findall(path.read_text(encoding="utf-8"))}
    words = sorted(found | {w.lower() for w in found})
    return "\n" + " ".join(words) + "\n" + "\n".join(words) + "\n"


def make_loaders(args, cfg: GPTConfig, run: Run, tokenizer, train_text: str, val_text: str):
    """Windows of context_length tokens; each process gets its own shard of the training set."""

    def windows(text: str, spell_rate: float = 0.0) -> GPTDataset:
        ids = tokenizer.encode(text, allowed_special={END_OF_TEXT})
        if spell_rate:
            ids = spell_out_some(ids, tokenizer, spell_rate, seed=args.seed)
        return GPTDataset(ids, cfg.context_length, stride=cfg.context_length)

    train_set, val_set = windows(train_text, args.spell_rate), windows(val_text)
    train_loader = epoch_loader(
        train_set, args.batch_size, seed=args.seed, rank=run.rank, world_size=run.world_size
    )

    def in_order(dataset: GPTDataset) -> DataLoader:
        generator = torch.Generator().manual_seed(args.seed)  # never draw from the global RNG
        return DataLoader(dataset, batch_size=args.batch_size, generator=generator)

    val_loader = in_order(val_set)
    watch_loaders = {
        path.stem: in_order(windows(path.read_text(encoding="utf-8"))) for path in args.watch_data
    }
    return train_loader, val_loader, watch_loaders


def spell_out_some(ids: list[int], tokenizer, rate: float, seed: int) -> list[int]:
    """Replace a seeded share `rate` of the multi-byte tokens by their single-byte tokens.

    The idea of BPE-dropout (Provilkov et al., 2020). A compact vocabulary spells every word it
    lacks byte by byte; if training never shows byte tokens, the model learns to give them almost
    no probability, and text with a word it has not met becomes very expensive. Spelling a few
    known words out teaches the model to spell.
    """
    base = getattr(tokenizer, "base", tokenizer)  # a CompactTokenizer wraps GPT-2's encoding
    to_gpt2 = getattr(tokenizer, "kept_ids", None)
    to_own = getattr(tokenizer, "to_compact", None)
    byte_id = [base.encode_single_token(bytes([b])) for b in range(256)]
    special = base.encode_single_token(END_OF_TEXT)
    if to_own is not None:
        byte_id, special = [to_own[i] for i in byte_id], to_own[special]
    rng = random.Random(seed)
    out: list[int] = []
    for token in ids:
        if token == special or rng.random() >= rate:
            out.append(token)
            continue
        raw = base.decode_single_token_bytes(to_gpt2[token] if to_gpt2 is not None else token)
        out.extend(byte_id[b] for b in raw)  # a single-byte token stays itself
    return out


class Logger:
    """Rank 0's progress bar, CSV log, loss plot and best-weights file."""

    def __init__(self, args, run: Run, tokenizer, start_step: int, watch_loaders: dict):
        self.args, self.run, self.tokenizer = args, run, tokenizer
        self.watch_loaders = watch_loaders
        self.tokens_per_step = args.batch_size * args.grad_accum * run.world_size
        self.bar = tqdm(
            total=args.max_steps, initial=start_step, disable=not run.is_main, dynamic_ncols=True
        )
        self.best = float("inf")
        self.started = time.perf_counter()
        self.tokens = 0
        self.csv_path = args.out / "log.csv"
        if run.is_main and not (args.resume and self.csv_path.is_file()):
            args.out.mkdir(parents=True, exist_ok=True)
            columns = ["step", "train_loss", "val_loss", "lr", "tokens_per_s", "tokens"]
            columns += [f"loss_{name}" for name in watch_loaders]
            self.csv_path.write_text(",".join(columns) + "\n")

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
        watched = [f"{loss:.4f}" for loss in self.watch_losses(model)]
        tokens = step * self.tokens_per_step * model.cfg.context_length
        with self.csv_path.open("a", newline="") as f:
            csv.writer(f).writerow(
                [
                    step,
                    f"{train_loss:.4f}",
                    f"{val_loss:.4f}",
                    f"{history.learning_rates[-1]:.3g}",
                    f"{rate:.0f}",
                    tokens,
                    *watched,
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

    @torch.no_grad()
    def watch_losses(self, model) -> list[float]:
        """The loss on each --watch-data text, over as many batches as a validation."""
        was_training = model.training
        model.eval()
        device = next(model.parameters()).device
        losses = [
            calc_loss_loader(loader, model, device, self.args.eval_iter)
            for loader in self.watch_loaders.values()
        ]
        model.train(was_training)
        return losses

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
    train_loader, val_loader, watch_loaders = make_loaders(
        args, cfg, run, tokenizer, train_text, val_text
    )
    trained = model
    if args.compile:
        trained = torch.compile(trained)
    if run.world_size > 1:
        ids = [run.device.index] if run.device.type == "cuda" else None
        trained = DistributedDataParallel(trained, device_ids=ids)
    logger = Logger(args, run, tokenizer, start_step, watch_loaders)
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
