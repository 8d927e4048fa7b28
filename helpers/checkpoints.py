"""Saving and resuming training, and sharing weights, without ever unpickling code (Chapter 5).

A checkpoint holds only tensors, numbers, strings, lists and dicts: the model's and optimizer's
state, the step, the model's `GPTConfig` as a dict, and the random number generators' states. So
`torch.load(..., weights_only=True)` can read it, and a file from a stranger cannot run code on
your machine. Weights to share go into safetensors files, which hold tensors only.
"""

import dataclasses
import hashlib
import json
import os
import pickle
import random
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from torch import nn

from helpers.compact_vocab import CompactTokenizer
from helpers.gpt import GPTConfig, GPTModel
from helpers.paths import DATA_DIR


def rng_state() -> dict:
    """The state of every random number generator a training run draws from."""
    state = {"torch": torch.get_rng_state(), "python": list(random.getstate()[1])}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    """Put every random number generator back where rng_state() found it."""
    torch.set_rng_state(state["torch"])
    random.setstate((3, tuple(state["python"]), None))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _unwrap(model: nn.Module) -> nn.Module:
    """The model inside DistributedDataParallel or torch.compile wrappers."""
    model = getattr(model, "module", model)  # DistributedDataParallel
    return getattr(model, "_orig_mod", model)  # torch.compile


def save_checkpoint(
    path: str | Path,
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    *,
    step: int,
    extra: dict | None = None,
) -> Path:
    """Write model, optimizer, step, config and RNG states to path, atomically.

    The file is written under a temporary name and renamed at the end, so a crash while saving
    leaves the previous checkpoint intact.
    """
    model = _unwrap(model)
    checkpoint = {
        "model": model.state_dict(),
        "config": dataclasses.asdict(model.cfg),  # a plain dict: weights_only can read it
        "step": step,
        "rng": rng_state(),
        "extra": extra or {},
    }
    if optimizer is not None:
        checkpoint["optimizer"] = optimizer.state_dict()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    try:
        torch.save(checkpoint, temporary)
        os.replace(temporary, path)  # atomic on POSIX; on Windows not guaranteed
    finally:
        temporary.unlink(missing_ok=True)
    return path


def _read(path: Path, map_location) -> dict:
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}; check the path (or train first)")
    try:
        checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError) as error:
        raise ValueError(
            f"{path} is not a readable checkpoint ({type(error).__name__}): it may be truncated, "
            "corrupt, or hold Python objects other than tensors; save it with save_checkpoint"
        ) from error
    if not isinstance(checkpoint, dict) or not {"model", "config", "step"} <= set(checkpoint):
        raise ValueError(f"{path} is not a checkpoint written by save_checkpoint")
    return checkpoint


def check_same_config(stored: GPTConfig, cfg: GPTConfig) -> None:
    """Fail with the differing fields when a checkpoint does not fit a model."""
    differ = [
        f"{f.name}: checkpoint {getattr(stored, f.name)!r}, model {getattr(cfg, f.name)!r}"
        for f in dataclasses.fields(GPTConfig)
        if f.name != "drop_rate" and getattr(stored, f.name) != getattr(cfg, f.name)
    ]
    if differ:
        raise ValueError(
            "the checkpoint is for another model size: "
            + "; ".join(differ)
            + ". Pass model=None to rebuild the model from the checkpoint's config"
        )


def load_checkpoint(
    path: str | Path,
    model: nn.Module | None = None,
    optimizer: torch.optim.Optimizer | None = None,
    map_location: str | torch.device = "cpu",
) -> tuple[nn.Module, dict]:
    """Load a checkpoint into model (or a new GPTModel built from its config) and optimizer.

    Returns the model and the checkpoint dict (step, extra, rng, ...). RNG states are not
    restored here: call set_rng_state(checkpoint["rng"]) to continue a run exactly.
    """
    checkpoint = _read(Path(path), map_location)
    stored = GPTConfig(**checkpoint["config"])
    if model is None:
        model = GPTModel(stored)  # ties the head to the token embedding, as cfg says
    else:
        check_same_config(stored, _unwrap(model).cfg)
    _unwrap(model).load_state_dict(checkpoint["model"])  # copies into the (tied) parameters
    if optimizer is not None:
        if "optimizer" not in checkpoint:
            raise ValueError(f"{path} holds no optimizer state; pass optimizer=None")
        optimizer.load_state_dict(checkpoint["optimizer"])
    return model, checkpoint


def save_weights(path: str | Path, model: nn.Module, metadata: dict | None = None) -> Path:
    """Write a model's weights and config as safetensors (a tied head is stored once)."""
    model = _unwrap(model)
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    if model.cfg.tie_weights:
        del state["out_head.weight"]  # the same tensor as embedding.tok_emb.weight
    info = {"config": json.dumps(dataclasses.asdict(model.cfg))}
    info.update({key: str(value) for key, value in (metadata or {}).items()})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(state, path, metadata=info)
    return path


def load_weights(path: str | Path, device: str | torch.device = "cpu") -> GPTModel:
    """Build a GPTModel from a safetensors file written by save_weights."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no weights file at {path}")
    with safe_open(path, framework="pt") as handle:
        metadata = handle.metadata() or {}
    if "config" not in metadata:
        raise ValueError(f"{path} has no model config in its metadata; save it with save_weights")
    model = GPTModel(GPTConfig(**json.loads(metadata["config"])))
    state = load_file(path, device=str(device))
    if model.cfg.tie_weights:
        state["out_head.weight"] = state["embedding.tok_emb.weight"]
    model.load_state_dict(state)
    return model.to(device)


def weights_metadata(path: str | Path) -> dict:
    """The string metadata stored beside the tensors of a safetensors file."""
    with safe_open(Path(path), framework="pt") as handle:
        return dict(handle.metadata() or {})


COURSE_MODEL = DATA_DIR / "checkpoints" / "stories_small.safetensors"
COURSE_MODEL_SHA256 = "39e0009b7e7c4dbf028b7f34eb4567435c025d25f75295d1357e0fe8463f50dc"
# Chapter 5's model trained on the grammar and template stories, its step picked by hand-written
# stories; Chapters 6 and 7 start from it. COURSE_MODEL, trained on the template stories alone,
# is the model Chapter 5 resumes and compares with.
COURSE_GPT = DATA_DIR / "checkpoints" / "course_gpt.safetensors"
COURSE_GPT_SHA256 = "daecac8621840799b582b478f07d1c547353f22567b0bc50f64e9ef1996b02d6"
# Every weights file the course ships, with its sha256 (data/README.md says how each was made).
SHIPPED_SHA256 = {
    COURSE_MODEL.name: COURSE_MODEL_SHA256,
    COURSE_GPT.name: COURSE_GPT_SHA256,
    "classifier.safetensors": "98f0768a7cd54f5575076ae0b12bbddfb9d1007652063cf50d2a50daf70d38d6",
    "instruct.safetensors": "9ebb51494948aa76b6ace157f4847f1646241c90883b9d288f8fdaec75fbcd71",
    "instruct_lora_adapters.safetensors": (
        "3accabba8b9f8ad4b2ddc6beb4248814bbb58c0288c7d9962f84e72a961bd59d"
    ),
}


def check_shipped(path: Path) -> None:
    """A file in data/checkpoints/ that the course ships must have its recorded sha256."""
    expected = SHIPPED_SHA256.get(path.name)
    if path.parent.resolve() != COURSE_MODEL.parent.resolve() or expected is None:
        return
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != expected:
        raise ValueError(
            f"{path.name} has sha256 {actual}, expected {expected}: restore it with git, or "
            "remake it with the command in data/README.md"
        )


def load_course_model(path: str | Path = COURSE_MODEL) -> tuple[GPTModel, CompactTokenizer]:
    """The course's own pretrained model (data/checkpoints/) and its compact tokenizer.

    Also loads a finetuned copy of it (the files in data/checkpoints/ or your own). A file the
    course ships has its sha256 checked, so a changed or truncated file fails here instead of
    giving strange text later.
    """
    path = Path(path)
    check_shipped(path)
    model = load_weights(path).eval()
    tokenizer = CompactTokenizer(json.loads(weights_metadata(path)["gpt2_ids"]))
    return model, tokenizer
