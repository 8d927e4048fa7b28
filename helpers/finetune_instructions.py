"""Instruction-finetune the course's pretrained GPT: the script behind Chapter 7's checkpoints.

    python -m helpers.finetune_instructions --mask-prompt --out runs/masked.safetensors
    python -m helpers.finetune_instructions --out runs/unmasked.safetensors     # prompt learned too
    python -m helpers.finetune_instructions --mask-prompt --lora-rank 8 --lr 5e-3 \\
        --out runs/lora.safetensors --adapters-out runs/lora_adapters.safetensors

Starts from data/checkpoints/course_gpt.safetensors (Chapter 5's model), trains on
data/instructions_train.json with Chapter 5's loop and Chapter 7's collate, and saves the weights
(LoRA adapters merged in) with the tokenizer's ids, so `load_course_model(path)` reads the result.
Every --eval-every steps it measures the loss on the whole validation split and keeps a copy of
the weights with the lowest one; after --patience evaluations in a row without a lower loss it
stops early. The kept weights (--keep best, the default) or the last step's (--keep last) are
saved, and with --adapters-out the LoRA adapters also unmerged, as their own small file. At the
end it prints exact match and overlap on the test split and on the hand-written entries, and
with --results writes them, family by family, with the loss curve, to a JSON file. A progress
bar shows the loss and tokens/s (TQDM_DISABLE=1 turns it off).
"""

import argparse
import functools
import json
import math
import time
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch import nn
from torch.utils.data import DataLoader
from tqdm import tqdm

from helpers.checkpoints import COURSE_GPT, load_course_model, save_weights
from helpers.cli import non_negative_int, positive_float, positive_int
from helpers.corpora.instruction_data import (
    HANDWRITTEN_FILES,
    TEST_FILE,
    TRAIN_FILE,
    VAL_FILE,
    read_instructions,
    task_of,
)
from helpers.device import get_device
from helpers.instructions import (
    InstructionDataset,
    collate_instructions,
    exact_match,
    generate_responses,
    overlap_score,
    score_responses,
)
from helpers.lora import apply_lora, count_trainable, merge_lora
from helpers.training import build_optimizer, cosine_lr, epoch_loader, train_model


def build_parser() -> argparse.ArgumentParser:
    """Every flag of the script, each with its help text and default."""
    p = argparse.ArgumentParser(
        prog="python -m helpers.finetune_instructions", description=__doc__.split("\n")[0]
    )
    p.add_argument("--out", type=Path, required=True, help="the .safetensors file to write")
    p.add_argument(
        "--steps", type=positive_int, default=3000, help="optimizer steps (default: 3000)"
    )
    p.add_argument(
        "--batch-size", type=positive_int, default=16, help="entries per step (default: 16)"
    )
    p.add_argument(
        "--lr", type=positive_float, default=3e-3, help="peak learning rate (default: 3e-3)"
    )
    p.add_argument(
        "--warmup-steps",
        type=non_negative_int,
        default=50,
        help="steps of linear warmup (default: 50)",
    )
    p.add_argument(
        "--eval-every",
        type=positive_int,
        default=100,
        help="steps between validation losses (default: 100)",
    )
    p.add_argument(
        "--mask-prompt", action="store_true", help="no loss on the prompt's tokens (default: off)"
    )
    p.add_argument(
        "--lora-rank",
        type=non_negative_int,
        default=0,
        help="rank of the LoRA adapters; 0 trains all layers (default: 0)",
    )
    p.add_argument(
        "--lora-alpha",
        type=positive_float,
        default=None,
        help="LoRA's scale numerator (default: 2 * rank)",
    )
    p.add_argument(
        "--keep",
        choices=["best", "last"],
        default="best",
        help="save the weights with the lowest validation loss, or the last step's (default: best)",
    )
    p.add_argument(
        "--patience",
        type=non_negative_int,
        default=4,
        help="stop after this many evaluations in a row without a lower validation loss; "
        "0 never stops early (default: 4)",
    )
    p.add_argument(
        "--adapters-out",
        type=Path,
        default=None,
        help="with --lora-rank, also save the kept LoRA adapters unmerged to this file "
        "(default: none)",
    )
    p.add_argument(
        "--results",
        type=Path,
        default=None,
        help="also write the scores, family by family, and the loss curve to this JSON file "
        "(default: none)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default: 0)")
    p.add_argument(
        "--device",
        choices=["auto", "cpu", "cuda", "mps"],
        default="cpu",
        help="auto: CUDA, else Apple MPS, else the CPU (default: cpu)",
    )
    p.add_argument(
        "--train-entries",
        type=positive_int,
        default=None,
        help="train on only the first N entries (default: all)",
    )
    p.add_argument(
        "--test-entries",
        type=positive_int,
        default=None,
        help="score only the first N test and hand-written entries (default: all)",
    )
    return p


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The flags, each checked: a bad one ends the script with argparse's one-line error."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.warmup_steps >= args.steps:
        parser.error(
            f"argument --warmup-steps: must be below --steps {args.steps}, got {args.warmup_steps}"
        )
    if args.lora_alpha is not None and not args.lora_rank:
        parser.error("argument --lora-alpha: needs --lora-rank >= 1 (alpha scales the adapters)")
    if args.adapters_out is not None and not args.lora_rank:
        parser.error("argument --adapters-out: needs --lora-rank >= 1 (there are no adapters)")
    for flag in ("out", "adapters_out", "results"):
        path = getattr(args, flag)
        if path is not None and not path.parent.is_dir():
            name = flag.replace("_", "-")
            parser.error(f"argument --{name}: no folder {path.parent}; create it first")
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error("argument --device: cuda, but torch sees no CUDA GPU; use auto or cpu")
    return args


def make_loaders(args: argparse.Namespace, tokenizer) -> tuple[DataLoader, DataLoader]:
    """Training batches in a seeded order that depends only on the epoch, and validation ones."""
    train = InstructionDataset(read_instructions(TRAIN_FILE)[: args.train_entries], tokenizer)
    val = InstructionDataset(read_instructions(VAL_FILE), tokenizer)
    if args.mask_prompt:  # the dataset's items are (ids, prompt_length) pairs, as the mask needs
        collate = functools.partial(
            collate_instructions, pad_token_id=tokenizer.eot_id, mask_prompt=True
        )
    else:
        collate = functools.partial(_without_mask, pad_token_id=tokenizer.eot_id)
    sampler = epoch_loader(train, args.batch_size, seed=args.seed).sampler
    train_loader = DataLoader(
        train, args.batch_size, sampler=sampler, drop_last=True, collate_fn=collate
    )
    return train_loader, DataLoader(val, batch_size=25, collate_fn=collate)


class EarlyStopError(Exception):
    """Raised after an evaluation to end training: the validation loss stopped falling."""


class BestWeights:
    """A copy of the weights with the lowest validation loss so far, and the evaluations since."""

    def __init__(self, model: nn.Module, patience: int):
        self.model, self.patience = model, patience
        self.loss, self.step, self.state, self.since = math.inf, None, None, 0

    def update(self, step: int, val_loss: float) -> bool:
        """Keep the weights if val_loss is the lowest yet; True when it is time to stop."""
        if val_loss < self.loss:
            self.loss, self.step, self.since = val_loss, step, 0
            self.state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
        else:
            self.since += 1
        return self.patience > 0 and self.since >= self.patience


def adapter_tensors(model: nn.Module) -> dict[str, torch.Tensor]:
    """The LoRA adapters' A and B matrices of every wrapped layer, by name, on the CPU."""
    return {
        name: tensor.detach().cpu().contiguous()
        for name, tensor in model.state_dict().items()
        if name.endswith((".A", ".B"))
    }


def scores_by_family(entries: list[dict], answers: list[str]) -> dict:
    """Exact match and overlap over all entries and within each family, with the counts."""
    by_family: dict[str, list[tuple[str, str]]] = {}
    for entry, answer in zip(entries, answers, strict=True):
        by_family.setdefault(task_of(entry), []).append((answer, entry["output"]))
    scores = {**score_responses(answers, [e["output"] for e in entries]), "n": len(entries)}
    scores["families"] = {
        family: {
            "exact_match": sum(exact_match(a, r) for a, r in pairs) / len(pairs),
            "overlap": sum(overlap_score(a, r) for a, r in pairs) / len(pairs),
            "n": len(pairs),
        }
        for family, pairs in sorted(by_family.items())
    }
    return scores


def score_splits(model, tokenizer, limit: int | None = None) -> dict:
    """Greedy answers to the test split and both hand-written sets, scored by family and printed."""
    results = {}
    for name, file in {"test": TEST_FILE, **HANDWRITTEN_FILES}.items():
        entries = read_instructions(file)[:limit]
        answers = generate_responses(model, entries, tokenizer, eos_id=tokenizer.eot_id)
        results[name] = scores = scores_by_family(entries, answers)
        print(f"{name}: exact match {scores['exact_match']:.3f}, overlap {scores['overlap']:.3f}")
    return results


def _without_mask(batch, pad_token_id: int):
    """Collate (ids, prompt_length) pairs without the prompt mask: only the ids are needed."""
    return collate_instructions([ids for ids, _ in batch], pad_token_id=pad_token_id)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    device = get_device() if args.device == "auto" else torch.device(args.device)
    model, tokenizer = load_course_model(COURSE_GPT)
    model.to(device)
    if args.lora_rank:
        alpha = 2 * args.lora_rank if args.lora_alpha is None else args.lora_alpha
        apply_lora(model, rank=args.lora_rank, alpha=alpha)
    print(f"trainable parameters: {count_trainable(model):,}")
    train_loader, val_loader = make_loaders(args, tokenizer)
    optimizer = build_optimizer(model, lr=args.lr, weight_decay=0.0)
    bar = tqdm(total=args.steps, unit="step")
    started = time.perf_counter()

    seen = [0]  # tokens so far

    def on_step(step: int, loss: float, tokens: int) -> None:
        seen[0] += tokens
        bar.update(1)
        bar.set_postfix(
            loss=f"{loss:.3f}", tok_s=f"{seen[0] / (time.perf_counter() - started):,.0f}"
        )

    best = BestWeights(model, args.patience)
    last_step = [args.steps]
    history = [None]  # train_model's record, kept here in case early stopping ends it

    def on_eval(step: int, record) -> None:
        history[0] = record
        stop = best.update(step, record.val_losses[-1])
        lowest = " (lowest so far, kept)" if best.step == step else ""
        bar.write(f"step {step}: validation loss {record.val_losses[-1]:.3f}{lowest}")
        if stop:
            last_step[0] = step
            raise EarlyStopError

    try:
        train_model(
            model,
            train_loader,
            val_loader,
            optimizer,
            device,
            max_steps=args.steps,
            eval_every=args.eval_every,
            eval_iter=len(val_loader),  # the whole validation split
            lr_schedule=functools.partial(
                cosine_lr,
                max_lr=args.lr,
                min_lr=args.lr / 10,
                warmup_steps=args.warmup_steps,
                max_steps=args.steps,
            ),
            on_step=on_step,
            on_eval=on_eval,
        )
    except EarlyStopError:
        bar.write(
            f"stopped early at step {last_step[0]}: no lower validation loss in "
            f"{args.patience} evaluations"
        )
    bar.close()
    if args.keep == "best":
        model.load_state_dict(best.state)
    kept_step = best.step if args.keep == "best" else last_step[0]
    print(f"kept step {kept_step} (lowest validation loss {best.loss:.3f} at step {best.step})")
    if args.adapters_out is not None:
        save_file(adapter_tensors(model), args.adapters_out, metadata={"kept_step": str(kept_step)})
    merge_lora(model)
    results = {"kept_step": kept_step, "best_val_loss": best.loss}
    results |= score_splits(model, tokenizer, args.test_entries)
    record = history[0]
    results["curve"] = {
        "steps": record.eval_steps,
        "train_losses": record.train_losses,
        "val_losses": record.val_losses,
    }
    meta = {
        "gpt2_ids": json.dumps(tokenizer.kept_ids),
        "finetuned_from": COURSE_GPT.name,
        "args": json.dumps({k: str(v) for k, v in vars(args).items()}),
        "kept_step": str(kept_step),
        "best_val_loss": f"{best.loss:.4f}",
    }
    save_weights(args.out, model.cpu(), metadata=meta)
    if args.results is not None:
        results["args"] = {k: str(v) for k, v in vars(args).items()}
        args.results.write_text(json.dumps(results, indent=1) + "\n")
    return results


if __name__ == "__main__":
    main()
