"""Pretraining a GPT: the loss, evaluation, the learning-rate schedule, the loop (Chapter 5).

`train_model` is the loop the chapter writes cell by cell: for each step, zero the gradients,
compute the loss (over `grad_accum` micro-batches), backpropagate, clip the gradient norm, set
the learning rate, step the optimizer; evaluate every `eval_every` steps. It works the same for
a model wrapped in DistributedDataParallel (the training script, `python -m helpers.pretrain`).
"""

import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset, DistributedSampler


def calc_loss_batch(
    input_batch: torch.Tensor, target_batch: torch.Tensor, model: nn.Module, device
) -> torch.Tensor:
    """Mean cross-entropy of the model's predictions over one batch.

    Next-token logits (batch_size, num_tokens, vocab_size) with targets (batch_size, num_tokens),
    or a classifier's (batch_size, num_classes) with labels (batch_size,): both work.
    """
    input_batch, target_batch = input_batch.to(device), target_batch.to(device)
    logits = model(input_batch)  # (batch_size, num_tokens, vocab_size)
    # cross_entropy wants (N, classes) and (N,): fold every dimension but the last together
    return F.cross_entropy(logits.flatten(0, -2).float(), target_batch.flatten())


def calc_loss_loader(
    data_loader: Iterable, model: nn.Module, device, num_batches: int | None = None
) -> float:
    """Mean loss over the first num_batches batches of a loader (all of them if None)."""
    batches = itertools.islice(data_loader, num_batches)
    losses = [calc_loss_batch(x, y, model, device).item() for x, y in batches]
    if not losses:
        raise ValueError("the loader gave no batches: is the text shorter than one window?")
    return sum(losses) / len(losses)


@torch.no_grad()
def evaluate_model(
    model: nn.Module, train_loader: Iterable, val_loader: Iterable, device, eval_iter: int
) -> tuple[float, float]:
    """Training and validation loss over eval_iter batches each, with dropout off."""
    was_training = model.training
    model.eval()
    try:
        train_loss = calc_loss_loader(train_loader, model, device, eval_iter)
        val_loss = calc_loss_loader(val_loader, model, device, eval_iter)
    finally:
        model.train(was_training)
    return train_loss, val_loss


def cosine_lr(
    step: int, *, max_lr: float, min_lr: float, warmup_steps: int, max_steps: int
) -> float:
    """Linear warmup to max_lr over warmup_steps, then cosine decay to min_lr at max_steps."""
    if step < warmup_steps:
        return max_lr * (step + 1) / warmup_steps
    if step >= max_steps:
        return min_lr
    progress = (step - warmup_steps) / max(1, max_steps - warmup_steps)  # 0 -> 1
    return min_lr + 0.5 * (max_lr - min_lr) * (1 + math.cos(math.pi * progress))


def build_optimizer(
    model: nn.Module, lr: float, weight_decay: float = 0.1, betas=(0.9, 0.95)
) -> torch.optim.AdamW:
    """AdamW that decays only matrices (weights, embeddings), not biases or LayerNorm scales.

    Decay pulls weights toward 0; for a bias or a norm's scale that only fights their job.
    """
    params = [p for p in model.parameters() if p.requires_grad]  # a tied matrix appears once
    groups = [
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=lr, betas=betas)


@dataclass
class TrainingHistory:
    """What a run measured: losses at each evaluation, and per-step learning rate and norm."""

    eval_steps: list[int] = field(default_factory=list)
    train_losses: list[float] = field(default_factory=list)
    val_losses: list[float] = field(default_factory=list)
    tokens_seen: list[int] = field(default_factory=list)
    step_losses: list[float] = field(default_factory=list)  # each step's own training batch
    learning_rates: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)  # before clipping


def epoch_loader(
    dataset: Dataset, batch_size: int, *, seed: int, rank: int = 0, world_size: int = 1
) -> DataLoader:
    """A shuffling loader whose order depends only on (seed, epoch), never on global RNG.

    That makes a resumed run see the same batches as an uninterrupted one. With world_size > 1,
    process `rank` gets every world_size-th example of each epoch's order: its own shard.
    """
    sampler = DistributedSampler(
        dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed, drop_last=True
    )
    generator = torch.Generator().manual_seed(seed)  # iterators draw from this, not global RNG
    return DataLoader(
        dataset, batch_size=batch_size, sampler=sampler, drop_last=True, generator=generator
    )


def batches_from(loader: Iterable, skip: int = 0) -> Iterator:
    """Cycle through a loader epoch after epoch, skipping the first `skip` batches.

    With an order that depends only on the epoch (epoch_loader), skipping replays exactly what
    a fresh run would see, so a resumed run continues exactly.
    """
    for epoch in itertools.count():
        for sampler in (getattr(loader, "sampler", None), getattr(loader, "batch_sampler", None)):
            if hasattr(sampler, "set_epoch"):
                sampler.set_epoch(epoch)
        for batch in loader:
            if skip:
                skip -= 1
                continue
            yield batch


def train_step(
    model: nn.Module,
    batches: Iterator,
    optimizer: torch.optim.Optimizer,
    device,
    *,
    grad_accum: int = 1,
    grad_clip: float | None = 1.0,
    autocast_dtype: torch.dtype | None = None,
) -> tuple[float, float, int]:
    """One optimizer step over grad_accum micro-batches: returns (loss, grad norm, tokens)."""
    optimizer.zero_grad(set_to_none=True)
    total_loss, tokens = 0.0, 0
    for micro in range(grad_accum):
        inputs, targets = next(batches)
        # Under DistributedDataParallel, only the last micro-batch needs to average gradients.
        sync = micro == grad_accum - 1 or not hasattr(model, "no_sync")
        with nullcontext() if sync else model.no_sync():
            with _autocast(device, autocast_dtype):
                loss = calc_loss_batch(inputs, targets, model, device) / grad_accum
            loss.backward()
        total_loss += loss.item()
        tokens += inputs.numel()
    max_norm = grad_clip if grad_clip is not None else math.inf
    grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    optimizer.step()
    return total_loss, float(grad_norm), tokens


def _autocast(device, dtype: torch.dtype | None):
    if dtype is None:
        return nullcontext()
    return torch.autocast(device_type=torch.device(device).type, dtype=dtype)


def train_model(
    model: nn.Module,
    train_loader: Iterable,
    val_loader: Iterable,
    optimizer: torch.optim.Optimizer,
    device,
    *,
    max_steps: int,
    eval_every: int,
    eval_iter: int = 5,
    lr_schedule: Callable[[int], float] | None = None,
    grad_clip: float | None = 1.0,
    grad_accum: int = 1,
    start_step: int = 0,
    autocast_dtype: torch.dtype | None = None,
    on_eval: Callable[[int, TrainingHistory], None] | None = None,
    on_step: Callable[[int, float, int], None] | None = None,
) -> TrainingHistory:
    """Train for steps start_step..max_steps-1, evaluating every eval_every steps and at the end.

    lr_schedule(step) sets every parameter group's learning rate before each step; on_eval is
    called after each evaluation (to print, sample text or save a checkpoint), on_step after
    each step with (step, loss, tokens).
    """
    if max_steps < 1 or eval_every < 1 or grad_accum < 1:
        raise ValueError(
            f"max_steps, eval_every and grad_accum must be >= 1, got {max_steps}, "
            f"{eval_every}, {grad_accum}"
        )
    history = TrainingHistory()
    batches = batches_from(train_loader, skip=start_step * grad_accum)
    tokens_seen = None  # counted from step 0, also when resuming
    model.train()
    for step in range(start_step, max_steps):
        if lr_schedule is not None:
            for group in optimizer.param_groups:
                group["lr"] = lr_schedule(step)
        loss, grad_norm, tokens = train_step(
            model,
            batches,
            optimizer,
            device,
            grad_accum=grad_accum,
            grad_clip=grad_clip,
            autocast_dtype=autocast_dtype,
        )
        tokens_seen = (start_step * tokens if tokens_seen is None else tokens_seen) + tokens
        history.step_losses.append(loss)
        history.learning_rates.append(optimizer.param_groups[0]["lr"])
        history.grad_norms.append(grad_norm)
        if on_step is not None:
            on_step(step, loss, tokens)
        if (step + 1) % eval_every == 0 or step + 1 == max_steps:
            train_loss, val_loss = evaluate_model(
                model, train_loader, val_loader, device, eval_iter
            )
            history.eval_steps.append(step + 1)
            history.train_losses.append(train_loss)
            history.val_losses.append(val_loss)
            history.tokens_seen.append(tokens_seen)
            if on_eval is not None:
                on_eval(step + 1, history)
    return history


def plot_losses(history: TrainingHistory, title: str = "") -> "matplotlib.figure.Figure":  # noqa: F821
    """Training and validation loss at each evaluation, against the step."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(history.eval_steps, history.train_losses, marker="o", ms=3, label="training loss")
    ax.plot(history.eval_steps, history.val_losses, marker="o", ms=3, label="validation loss")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy loss")
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
