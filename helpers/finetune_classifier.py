"""Finetune the course's pretrained GPT to classify Saltmere's messages: Chapter 6's script.

    python -m helpers.finetune_classifier                          # all layers, 5 epochs
    python -m helpers.finetune_classifier --epochs 8 --eval-every 20 --read mean --seed 1  # shipped
    python -m helpers.finetune_classifier --lora-rank 8 --lr 5e-3 --out runs/classifier_lora
    python -m helpers.finetune_classifier --init random --out runs/classifier_random

Chapter 6's recipe, from the command line: Chapter 5's course model (or --base) gets a new
head with one output per label (`build_classifier`), trains on data/messages_train.tsv with
Chapter 5's loop (`train_model`: AdamW, a linear warmup over the first tenth of the steps, then
cosine decay to a tenth of --lr), in batches of similar length (`LengthGroupedBatches`), and reads
the last real token of each message (or what --read says). Every --eval-every steps it measures
loss and accuracy on the validation split; the step with the best validation accuracy (ties: the
lower validation loss) is kept. At the end those weights are reloaded with `load_classifier` and
scored on the test split, also on the negated and plain messages and on those with and without
test-only words, and on the two sets of messages written by hand
(data/messages_handwritten_{dev,test}.tsv).

Writes to --out: log.csv (one row per evaluation: step, training and validation loss,
validation accuracy, learning rate, and tokens trained on so far, padding included),
best.safetensors (the best step's weights, LoRA adapters merged in, for `load_classifier`) and
results.json (test accuracy, by group too, accuracy on the hand-written messages, the best step
and the curve). A progress bar shows the loss, the validation accuracy and tokens/s
(TQDM_DISABLE=1 turns it off).
"""

import argparse
import copy
import csv
import dataclasses
import functools
import json
import time
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import save_file
from torch import nn
from torch.utils.data import DataLoader, Subset
from tqdm import tqdm

from helpers.checkpoints import COURSE_GPT, load_course_model, weights_metadata
from helpers.classification import (
    READ_POSITIONS,
    TRAINABLE,
    ClassificationDataset,
    GPTClassifier,
    LengthGroupedBatches,
    build_classifier,
    calc_accuracy_loader,
    collate_classification,
    load_classifier,
)
from helpers.cli import (
    existing_file,
    non_negative_float,
    non_negative_int,
    positive_float,
    positive_int,
)
from helpers.compact_vocab import CompactTokenizer
from helpers.corpora.messages import (
    HANDWRITTEN_FILES,
    LABELS,
    TEST_FILE,
    TRAIN_FILE,
    VAL_FILE,
    generate_splits,
    keyword_baseline,
    read_messages,
)
from helpers.device import get_device
from helpers.gpt import GPTModel
from helpers.lora import LoRALinear, apply_lora, count_trainable, merge_lora
from helpers.training import TrainingHistory, build_optimizer, cosine_lr, train_model

DEFAULT_EPOCHS = 5
EVAL_BATCH_SIZE = 100  # validation and test batches: the split in order, not grouped
LOG_COLUMNS = ["step", "train_loss", "val_loss", "val_accuracy", "lr", "tokens"]


def build_parser() -> argparse.ArgumentParser:
    """Every flag of the script, each with its help text and default."""
    p = argparse.ArgumentParser(
        prog="python -m helpers.finetune_classifier", description=__doc__.split("\n")[0]
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("runs/classifier"),
        help="folder for log.csv, best.safetensors and results.json (default: %(default)s)",
    )
    p.add_argument(
        "--base",
        type=existing_file,
        default=COURSE_GPT,
        help="the pretrained GPT, a file of save_weights with its tokenizer's ids "
        "(default: data/checkpoints/course_gpt.safetensors, Chapter 5's course model)",
    )
    p.add_argument(
        "--init",
        choices=["pretrained", "random"],
        default="pretrained",
        help="random: --base's architecture with fresh, seeded weights (default: pretrained)",
    )
    p.add_argument(
        "--trainable",
        choices=TRAINABLE,
        default=None,
        help="which layers train: the new head, also the last block and final norm, or all "
        "(default: all; with --lora-rank the adapters and the head)",
    )
    p.add_argument(
        "--lora-rank",
        type=non_negative_int,
        default=0,
        help="rank of LoRA adapters on the frozen base weights; 0: no LoRA (default: 0)",
    )
    p.add_argument(
        "--lora-alpha",
        type=positive_float,
        default=None,
        help="LoRA's scale numerator, the update is scaled by alpha / rank (default: 2 * rank)",
    )
    p.add_argument(
        "--read",
        choices=READ_POSITIONS,
        default="last_real",
        help="the position whose vector the head reads, or mean: the average over the real "
        "positions (default: last_real)",
    )
    p.add_argument(
        "--lr",
        type=positive_float,
        default=1e-3,
        help="peak learning rate (default: 1e-3, the best for all layers of 5e-4, 1e-3 and 2e-3 "
        "by validation accuracy; data/results/classifier_learning_rates.json)",
    )
    p.add_argument(
        "--weight-decay",
        type=non_negative_float,
        default=0.0,
        help="AdamW's weight decay on the weight matrices (default: 0.0)",
    )
    p.add_argument(
        "--drop-rate",
        type=non_negative_float,
        default=0.0,
        help="dropout while finetuning, on every dropout layer of the GPT; below 1 "
        "(default: 0.0, as the course model was pretrained)",
    )
    p.add_argument(
        "--batch-size", type=positive_int, default=32, help="messages per step (default: 32)"
    )
    length = p.add_mutually_exclusive_group()
    length.add_argument(
        "--max-steps",
        type=positive_int,
        default=None,
        help="optimizer steps (default: as many as --epochs make)",
    )
    length.add_argument(
        "--epochs",
        type=positive_int,
        default=None,
        help=f"passes over the training messages used (default: {DEFAULT_EPOCHS}, "
        "unless --max-steps is given)",
    )
    p.add_argument(
        "--eval-every",
        type=positive_int,
        default=10,
        help="steps between evaluations on the validation split (default: 10)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default: 0)")
    p.add_argument(
        "--train-size",
        type=positive_int,
        default=None,
        help="train on only the first N training messages (default: all)",
    )
    p.add_argument(
        "--device",
        choices=["auto", "cpu", "cuda", "mps"],
        default="auto",
        help="auto: CUDA, else Apple MPS, else the CPU (default: auto)",
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
    if args.max_steps is None and args.epochs is None:
        args.epochs = DEFAULT_EPOCHS
    if args.drop_rate >= 1.0:
        parser.error(
            f"argument --drop-rate: must be below 1 (1 drops everything), got {args.drop_rate}"
        )
    check_lora(parser, args)
    check_sizes(parser, args)
    check_base(parser, args.base)
    if args.out.exists() and not args.out.is_dir():
        parser.error(f"argument --out: {args.out} is a file; give a folder")
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error("argument --device: cuda, but torch sees no CUDA GPU; use auto or cpu")
    if args.device == "mps" and not torch.backends.mps.is_available():
        parser.error("argument --device: mps, but this torch has no Apple MPS; use auto or cpu")


def check_lora(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """LoRA's flags go together; fill in the defaults that depend on --lora-rank."""
    if args.lora_alpha is not None and not args.lora_rank:
        parser.error("argument --lora-alpha: needs --lora-rank >= 1 (alpha scales the adapters)")
    if args.trainable is not None and args.lora_rank:
        parser.error(
            f"argument --trainable: {args.trainable} with --lora-rank {args.lora_rank}; LoRA "
            "freezes the base weights and trains the adapters and the head: drop one of the two"
        )
    if args.lora_rank and args.lora_alpha is None:
        args.lora_alpha = 2.0 * args.lora_rank
    if not args.lora_rank:
        args.trainable = args.trainable or "all"


def check_sizes(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """--train-size fits the training split, and one batch fits --train-size."""
    available = len(read_messages(TRAIN_FILE))
    if args.train_size is not None and args.train_size > available:
        parser.error(
            f"argument --train-size: the training split has {available} messages, "
            f"got {args.train_size}"
        )
    train_size = args.train_size or available
    if args.batch_size > train_size:
        parser.error(
            f"argument --batch-size: {args.batch_size} is more than the {train_size} training "
            "messages used; lower it or raise --train-size"
        )


def check_base(parser: argparse.ArgumentParser, base: Path) -> None:
    """--base is a GPT saved by save_weights, with the ids of its compact vocabulary."""
    try:
        metadata = weights_metadata(base)
    except SafetensorError:
        parser.error(f"argument --base: {base} is not a safetensors file")
    missing = [key for key in ("config", "gpt2_ids") if key not in metadata]
    if missing:
        parser.error(
            f"argument --base: {base} lacks {' and '.join(missing)} in its metadata; give a "
            "pretrained GPT saved with its tokenizer's ids, as python -m helpers.pretrain writes"
        )


def starting_classifier(args: argparse.Namespace) -> tuple[GPTClassifier, CompactTokenizer]:
    """--base (or its architecture, freshly initialised) with a new head, ready to train."""
    gpt, tokenizer = load_course_model(args.base)
    if args.init == "random":
        torch.manual_seed(args.seed)
        gpt = GPTModel(gpt.cfg)
    torch.manual_seed(args.seed + 1)  # the new head: the same for both --init choices
    classifier = build_classifier(
        gpt, len(LABELS), args.trainable or "all", read=args.read, pad_token_id=tokenizer.eot_id
    )
    if args.lora_rank:  # freezes all but the adapters
        apply_lora(classifier, rank=args.lora_rank, alpha=args.lora_alpha)
        classifier.gpt.out_head.requires_grad_(True)  # the new head is trained in full
    set_dropout_rate(classifier, args.drop_rate)
    return classifier, tokenizer


def set_dropout_rate(model: nn.Module, rate: float) -> None:
    """Every nn.Dropout of the model drops this share; attention reads its rate at each call."""
    for module in model.modules():
        if isinstance(module, nn.Dropout):
            module.p = rate


def make_loaders(
    args: argparse.Namespace, tokenizer, context_length: int
) -> tuple[DataLoader, DataLoader, ClassificationDataset]:
    """Grouped training batches in a seeded order, validation batches, and the test set."""
    train_data = read_messages(TRAIN_FILE)[: args.train_size]

    def encode(data) -> ClassificationDataset:
        return ClassificationDataset(
            data, tokenizer, num_classes=len(LABELS), max_length=context_length
        )

    train_set, val_set = encode(train_data), encode(read_messages(VAL_FILE))
    lengths = [len(ids) for ids, _ in train_set]
    train_loader = DataLoader(
        train_set,
        batch_sampler=LengthGroupedBatches(lengths, args.batch_size, seed=args.seed),
        collate_fn=collate_for(tokenizer),
    )
    val_loader = in_order(val_set, tokenizer)
    return train_loader, val_loader, encode(read_messages(TEST_FILE))


def collate_for(tokenizer):
    """Chapter 6's collate: pad on the right with <|endoftext|>."""
    return functools.partial(collate_classification, pad_token_id=tokenizer.eot_id)


def in_order(dataset, tokenizer) -> DataLoader:
    """A split's messages in file order, for evaluation."""
    return DataLoader(dataset, batch_size=EVAL_BATCH_SIZE, collate_fn=collate_for(tokenizer))


def run_length(args: argparse.Namespace, steps_per_epoch: int) -> int:
    """--max-steps, or --epochs passes over the training messages used."""
    return args.max_steps if args.epochs is None else args.epochs * steps_per_epoch


def save_classifier(
    path: Path, classifier: GPTClassifier, tokenizer: CompactTokenizer, metadata: dict
) -> Path:
    """Write the weights (LoRA adapters merged in) and what load_classifier needs beside them.

    The model being trained keeps its adapters: merging happens in a copy.
    """
    if any(isinstance(module, LoRALinear) for module in classifier.modules()):
        classifier = merge_lora(copy.deepcopy(classifier))
    state = {k: v.detach().cpu().contiguous() for k, v in classifier.state_dict().items()}
    info = {
        "config": json.dumps(dataclasses.asdict(classifier.gpt.cfg)),
        "gpt2_ids": json.dumps(tokenizer.kept_ids),  # as load_course_model reads them
        "num_classes": str(classifier.gpt.out_head.out_features),
        "read": classifier.read,
        "pad_token_id": str(classifier.pad_token_id),
        "labels": json.dumps(LABELS),
    }
    info.update({key: str(value) for key, value in metadata.items()})
    save_file(state, path, metadata=info)
    return path


def plain_args(args: argparse.Namespace) -> dict:
    """The flags as JSON values: paths become strings."""
    return {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}


class RunLog:
    """The progress bar, log.csv, and the best step's weights in best.safetensors."""

    def __init__(self, args, classifier, tokenizer, val_loader, device, max_steps: int):
        self.args, self.classifier, self.tokenizer = args, classifier, tokenizer
        self.val_loader, self.device = val_loader, device
        self.bar = tqdm(total=max_steps, unit="step", dynamic_ncols=True)
        self.started, self.tokens = time.perf_counter(), 0
        self.postfix = {"loss": "-", "val_acc": "-", "tok_s": "-"}  # a dict keeps this order
        self.val_accuracies: list[float] = []
        self.best_key = (-1.0, -float("inf"))  # (validation accuracy, -validation loss)
        self.best_step = None
        self.csv_path = args.out / "log.csv"
        self.csv_path.write_text(",".join(LOG_COLUMNS) + "\n")

    @property
    def best_accuracy(self) -> float:
        return self.best_key[0]

    def on_step(self, step: int, loss: float, tokens: int) -> None:
        self.tokens += tokens
        rate = self.tokens / max(time.perf_counter() - self.started, 1e-9)
        self.postfix.update(loss=f"{loss:.3f}", tok_s=f"{rate:,.0f}")
        self.bar.set_postfix(self.postfix, refresh=False)
        self.bar.update(1)

    def on_eval(self, step: int, history: TrainingHistory) -> None:
        accuracy = calc_accuracy_loader(self.val_loader, self.classifier, self.device)
        self.val_accuracies.append(accuracy)
        train_loss, val_loss = history.train_losses[-1], history.val_losses[-1]
        row = [step, f"{train_loss:.4f}", f"{val_loss:.4f}", f"{accuracy:.4f}"]
        row += [f"{history.learning_rates[-1]:.3g}", history.tokens_seen[-1]]
        with self.csv_path.open("a", newline="") as f:
            csv.writer(f).writerow(row)
        better = (accuracy, -val_loss) > self.best_key  # ties on accuracy: the lower loss wins
        if better:
            self.best_key, self.best_step = (accuracy, -val_loss), step
            meta = {
                "finetuned_from": self.args.base.name if self.args.init == "pretrained" else "none",
                "args": json.dumps(plain_args(self.args)),
                "best_step": step,
                "val_accuracy": f"{accuracy:.4f}",
            }
            path = self.args.out / "best.safetensors"
            save_classifier(path, self.classifier, self.tokenizer, meta)
        self.postfix["val_acc"] = f"{accuracy:.3f}"
        self.bar.set_postfix(self.postfix)
        self.bar.write(
            f"step {step}: train loss {train_loss:.3f}, val loss {val_loss:.3f}, "
            f"val accuracy {accuracy:.3f}" + (" (best so far, saved)" if better else "")
        )

    def close(self) -> None:
        self.bar.close()


def message_groups(test_data: list[tuple[str, int]]) -> dict[str, list[int]] | None:
    """Indices of the test messages in each group: negated or plain, with test-only words or not.

    The file holds only label and text; how each message was made comes from its generator,
    which writes the same messages on every run. None if the file no longer matches it.
    """
    made = {message.text: message for message in generate_splits()["test"]}
    if any(text not in made for text, _ in test_data):
        return None
    flags = [made[text] for text, _ in test_data]
    return {
        "negated": [i for i, m in enumerate(flags) if m.negated],
        "plain": [i for i, m in enumerate(flags) if not m.negated],
        "test_only_words": [i for i, m in enumerate(flags) if m.test_only],
        "no_test_only_words": [i for i, m in enumerate(flags) if not m.test_only],
    }


def score_groups(model, test_set, tokenizer, device) -> dict[str, dict] | None:
    """Test accuracy per group of messages, beside the keyword rule's on the same messages."""
    test_data = read_messages(TEST_FILE)
    groups = message_groups(test_data)
    if groups is None:
        return None
    scores = {}
    for name, indices in groups.items():
        loader = in_order(Subset(test_set, indices), tokenizer)
        rule = sum(keyword_baseline(test_data[i][0]) == test_data[i][1] for i in indices)
        scores[name] = {
            "messages": len(indices),
            "accuracy": calc_accuracy_loader(loader, model, device),
            "keyword_rule": rule / len(indices),
        }
    return scores


def score_best(args, test_set, tokenizer, device) -> dict:
    """Reload best.safetensors as a learner would; score it on the test and hand-written sets."""
    best, _ = load_classifier(args.out / "best.safetensors")
    best.to(device)
    scores = {
        "test_accuracy": calc_accuracy_loader(in_order(test_set, tokenizer), best, device),
        "by_group": score_groups(best, test_set, tokenizer, device),
    }
    for name, file in HANDWRITTEN_FILES.items():
        written = ClassificationDataset(
            read_messages(file),
            tokenizer,
            num_classes=len(LABELS),
            max_length=best.gpt.cfg.context_length,
        )
        loader = in_order(written, tokenizer)
        scores[f"handwritten_{name}_accuracy"] = calc_accuracy_loader(loader, best, device)
    return scores


def train(args, classifier: nn.Module, train_loader, val_loader, device, max_steps, log):
    """Chapter 5's loop with Chapter 6's settings: AdamW, warmup, cosine decay to lr / 10."""
    optimizer = build_optimizer(classifier, lr=args.lr, weight_decay=args.weight_decay)
    schedule = functools.partial(
        cosine_lr,
        max_lr=args.lr,
        min_lr=args.lr / 10,
        warmup_steps=max_steps // 10,
        max_steps=max_steps,
    )
    return train_model(
        classifier,
        train_loader,
        val_loader,
        optimizer,
        device,
        max_steps=max_steps,
        eval_every=args.eval_every,
        eval_iter=len(val_loader),  # the whole validation split, as many training batches
        lr_schedule=schedule,
        on_step=log.on_step,
        on_eval=log.on_eval,
    )


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    device = get_device() if args.device == "auto" else torch.device(args.device)
    args.out.mkdir(parents=True, exist_ok=True)
    classifier, tokenizer = starting_classifier(args)
    classifier.to(device)
    context_length = classifier.gpt.cfg.context_length
    train_loader, val_loader, test_set = make_loaders(args, tokenizer, context_length)
    max_steps = run_length(args, len(train_loader.batch_sampler))
    print(f"trainable parameters: {count_trainable(classifier):,}; {max_steps} steps on {device}")
    log = RunLog(args, classifier, tokenizer, val_loader, device, max_steps)
    history = train(args, classifier, train_loader, val_loader, device, max_steps, log)
    log.close()
    results = score_best(args, test_set, tokenizer, device)
    results.update(
        val_accuracy=log.best_accuracy,
        best_step=log.best_step,
        curve={
            "steps": history.eval_steps,
            "train_losses": history.train_losses,
            "val_losses": history.val_losses,
            "val_accuracies": log.val_accuracies,
        },
        trainable_parameters=count_trainable(classifier),
        args=plain_args(args),
    )
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"best step {log.best_step}: val accuracy {log.best_accuracy:.3f}, test accuracy "
        f"{results['test_accuracy']:.3f}; wrote {args.out / 'results.json'}"
    )
    return results


if __name__ == "__main__":
    main()
