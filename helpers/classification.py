"""A pretrained GPT turned into a text classifier (Chapter 6).

The recipe: keep the GPT's body, swap its output head (emb_dim -> vocab_size) for a small one
(emb_dim -> num_classes), and read the head's output at one position. With a causal mask only
the last real token has seen the whole message, so that is the position to read. Messages in a
batch have different lengths: they are padded on the right to the longest one with a padding
id (GPT-2 has no padding token; finetuning code commonly pads with <|endoftext|>), and the
classifier reads each row's last real token.

The loss is Chapter 5's `calc_loss_batch`: it folds every dimension but the last, so class
logits (batch_size, num_classes) and labels (batch_size,) go through it unchanged, and so does
`train_model`.
"""

import json
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path

import torch
from safetensors.torch import load_file
from torch import nn
from torch.utils.data import Dataset

from helpers.checkpoints import check_shipped, weights_metadata
from helpers.compact_vocab import CompactTokenizer
from helpers.gpt import GPTConfig, GPTModel
from helpers.paths import DATA_DIR

READ_POSITIONS = ("last_real", "last", "first", "mean")  # "mean": of every real position
TRAINABLE = ("head", "last_block", "all")


def check_label(label: int, num_classes: int) -> None:
    """A label must be a whole number in range(num_classes)."""
    if isinstance(label, bool) or not isinstance(label, int):
        raise TypeError(f"a label must be an int, got {label!r} ({type(label).__name__})")
    if not 0 <= label < num_classes:
        raise ValueError(
            f"label {label} is outside range({num_classes}): labels must be 0..{num_classes - 1}"
        )


def encode_for_classifier(
    text: str, tokenizer, max_length: int, truncate: bool = False
) -> list[int]:
    """Token ids of one message, checked: not empty, and at most max_length tokens.

    A longer text raises, unless truncate=True: then its first max_length tokens are kept.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"cannot classify an empty text, got {text!r}")
    ids = tokenizer.encode(text)
    if len(ids) > max_length and not truncate:
        raise ValueError(
            f"the text has {len(ids)} tokens but at most {max_length} fit: shorten it, or pass "
            f"truncate=True to keep its first {max_length} tokens"
        )
    return ids[:max_length]


class ClassificationDataset(Dataset):
    """(text, label) pairs, encoded once: item i is (token_ids, label)."""

    def __init__(
        self,
        examples: Sequence[tuple[str, int]],
        tokenizer,
        *,
        num_classes: int,
        max_length: int,
        truncate: bool = False,
    ):
        self.items = []
        for text, label in examples:
            check_label(label, num_classes)
            self.items.append((encode_for_classifier(text, tokenizer, max_length, truncate), label))

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> tuple[list[int], int]:
        return self.items[index]


def collate_classification(
    batch: Sequence[tuple[list[int], int]], pad_token_id: int, pad_to: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad every sequence on the right to the batch's longest (or to pad_to): (inputs, labels)."""
    longest = max(len(ids) for ids, _ in batch)
    length = longest if pad_to is None else pad_to
    if length < longest:
        raise ValueError(
            f"pad_to={pad_to} is shorter than the batch's longest sequence ({longest})"
        )
    inputs = [ids + [pad_token_id] * (length - len(ids)) for ids, _ in batch]
    labels = [label for _, label in batch]
    return torch.tensor(inputs), torch.tensor(labels)  # (batch_size, num_tokens), (batch_size,)


class LengthGroupedBatches:
    """Batches of similar length, in a seeded order that changes each epoch: less padding.

    Shuffle all indices, cut them into groups of group_size batches, sort each group by length
    and cut it into batches, then shuffle the batches. The order depends only on (seed, epoch),
    like DistributedSampler's: Chapter 5's loop calls set_epoch, and reading the loader again
    within an epoch (to evaluate) gives the same batches and changes nothing.
    """

    def __init__(self, lengths: Sequence[int], batch_size: int, *, seed: int, group_size: int = 8):
        if batch_size < 1 or group_size < 1:
            raise ValueError(f"need batch_size, group_size >= 1, got {batch_size}, {group_size}")
        self.lengths, self.batch_size, self.group_size = list(lengths), batch_size, group_size
        self.seed, self.epoch = seed, 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.lengths) // self.batch_size  # the last, incomplete batch is dropped

    def __iter__(self):
        generator = torch.Generator().manual_seed(self.seed + self.epoch)
        order = torch.randperm(len(self.lengths), generator=generator).tolist()
        group = self.batch_size * self.group_size
        batches = []
        for start in range(0, len(order), group):
            chunk = sorted(order[start : start + group], key=lambda i: self.lengths[i])
            batches += [
                chunk[k : k + self.batch_size] for k in range(0, len(chunk), self.batch_size)
            ]
        batches = [b for b in batches if len(b) == self.batch_size]
        for k in torch.randperm(len(batches), generator=generator).tolist():
            yield batches[k]


def read_positions(in_idx: torch.Tensor, read: str, pad_token_id: int) -> torch.Tensor:
    """The position the classifier reads in each row: (batch_size, num_tokens) -> (batch_size,)."""
    batch_size, num_tokens = in_idx.shape
    if read == "mean":
        raise ValueError('read="mean" averages every real position: use read_vectors')
    if read == "first":
        return torch.zeros(batch_size, dtype=torch.long, device=in_idx.device)
    if read == "last":
        return torch.full((batch_size,), num_tokens - 1, dtype=torch.long, device=in_idx.device)
    # subtle: padding is on the right, so the real tokens are the first (in_idx != pad) ones
    return (in_idx != pad_token_id).sum(dim=1).clamp(min=1) - 1


def read_vectors(
    x: torch.Tensor, in_idx: torch.Tensor, read: str, pad_token_id: int
) -> torch.Tensor:
    """The vector the head reads: (batch_size, num_tokens, emb_dim) -> (batch_size, emb_dim)."""
    if read == "mean":  # the average over each row's real tokens; padding counts for nothing
        real = (in_idx != pad_token_id).unsqueeze(-1).to(x.dtype)  # (batch_size, num_tokens, 1)
        return (x * real).sum(dim=1) / real.sum(dim=1).clamp(min=1)
    rows = torch.arange(x.shape[0], device=x.device)
    return x[rows, read_positions(in_idx, read, pad_token_id)]


class GPTClassifier(nn.Module):
    """A GPT body with a class head, read at one position of each row (or their mean)."""

    def __init__(self, gpt: GPTModel, num_classes: int, read: str, pad_token_id: int):
        super().__init__()
        if read not in READ_POSITIONS:
            raise ValueError(f"read must be one of {READ_POSITIONS}, got {read!r}")
        self.gpt, self.read, self.pad_token_id = gpt, read, pad_token_id
        gpt.out_head = nn.Linear(gpt.cfg.emb_dim, num_classes)  # replaces the vocabulary head

    def forward(self, in_idx: torch.Tensor) -> torch.Tensor:
        x = self.gpt.embedding(in_idx)  # (batch_size, num_tokens, emb_dim)
        x = self.gpt.final_norm(self.gpt.trf_blocks(x))
        x = read_vectors(x, in_idx, self.read, self.pad_token_id)  # (batch_size, emb_dim)
        return self.gpt.out_head(x)  # (batch_size, num_classes)


def set_trainable(gpt: GPTModel, trainable: str) -> None:
    """Freeze the GPT, then unfreeze the head, or the last block + final norm + head, or all."""
    if trainable not in TRAINABLE:
        raise ValueError(f"trainable must be one of {TRAINABLE}, got {trainable!r}")
    gpt.requires_grad_(trainable == "all")
    gpt.out_head.requires_grad_(True)
    if trainable == "last_block":
        gpt.trf_blocks[-1].requires_grad_(True)
        gpt.final_norm.requires_grad_(True)


def build_classifier(
    model: GPTModel,
    num_classes: int,
    trainable: str = "last_block",
    read: str = "last_real",
    pad_token_id: int = 50_256,
) -> GPTClassifier:
    """Turn a GPT (changed in place) into a classifier with a new, trainable num_classes head."""
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
        raise ValueError(f"num_classes must be a whole number >= 2, got {num_classes!r}")
    if not 0 <= pad_token_id < model.cfg.vocab_size:  # 50_256 is GPT-2's; a compact one differs
        raise ValueError(
            f"pad_token_id {pad_token_id} is not an id of this model's {model.cfg.vocab_size:,}-"
            "token vocabulary: pass the tokenizer's end-of-text id (tokenizer.eot_id)"
        )
    classifier = GPTClassifier(model, num_classes, read, pad_token_id)
    set_trainable(model, trainable)
    return classifier


@torch.no_grad()
def calc_accuracy_loader(
    data_loader: Iterable, model: nn.Module, device, num_batches: int | None = None
) -> float:
    """Share of examples whose highest logit is their label, over num_batches (all if None)."""
    was_training = model.training
    model.eval()
    correct = seen = 0
    for inputs, labels in islice(data_loader, num_batches):
        predictions = model(inputs.to(device)).argmax(dim=-1)  # (batch_size,)
        correct += (predictions == labels.to(device)).sum().item()
        seen += len(labels)
    model.train(was_training)
    if not seen:
        raise ValueError("the loader gave no batches")
    return correct / seen


@torch.no_grad()
def classify(
    model: GPTClassifier,
    text: str,
    tokenizer,
    labels: Sequence[str] | None = None,
    truncate: bool = False,
) -> int | str:
    """The class of one text: its index, or its name from labels."""
    context_length = model.gpt.cfg.context_length
    ids = encode_for_classifier(text, tokenizer, context_length, truncate)
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    logits = model(torch.tensor([ids], device=device))  # (1, num_classes)
    model.train(was_training)
    index = int(logits.argmax(dim=-1))
    return index if labels is None else labels[index]


CLASSIFIER = DATA_DIR / "checkpoints" / "classifier.safetensors"
# What python -m helpers.finetune_classifier stores beside the weights, and load_classifier reads.
CLASSIFIER_METADATA = ("config", "gpt2_ids", "num_classes", "read", "pad_token_id")


def load_classifier(path: str | Path | None = None) -> tuple[GPTClassifier, CompactTokenizer]:
    """A classifier saved by python -m helpers.finetune_classifier, and its tokenizer.

    `model, tokenizer = load_classifier()`, then `classify(model, "The glass is falling fast.",
    tokenizer)` gives 0 (fair weather) or 1 (storm warning).
    """
    path = CLASSIFIER if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"no classifier at {path}: train one with `python -m helpers.finetune_classifier "
            f"--out runs/classifier` and copy runs/classifier/best.safetensors to {path}, or "
            "pass the path of a best.safetensors"
        )
    check_shipped(path)
    metadata = weights_metadata(path)
    missing = [key for key in CLASSIFIER_METADATA if key not in metadata]
    if missing:
        raise ValueError(
            f"{path} lacks {missing} in its metadata: it is not a classifier saved by "
            "python -m helpers.finetune_classifier (a language model loads with load_course_model)"
        )
    gpt = GPTModel(GPTConfig(**json.loads(metadata["config"])))
    read, pad_token_id = metadata["read"], int(metadata["pad_token_id"])
    model = GPTClassifier(gpt, int(metadata["num_classes"]), read, pad_token_id)
    model.load_state_dict(load_file(path))  # the keys of GPTClassifier.state_dict()
    return model.eval(), CompactTokenizer(json.loads(metadata["gpt2_ids"]))
