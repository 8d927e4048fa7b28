"""The course's text, and the sliding-window dataset that turns it into (input, target) batches."""

import hashlib
import re
import urllib.error
import urllib.request
from pathlib import Path

import torch
from torch.utils.data import DataLoader, Dataset

from helpers.paths import DATA_DIR
from helpers.tokenizers import END_OF_TEXT, gpt2_encoding

CORPUS_FILE = "the_weather_clock.txt"


def read_corpus(name: str = CORPUS_FILE) -> str:
    """Read a text file from the course's data/ folder, wherever the notebook runs from."""
    path = DATA_DIR / name
    if not path.is_file():
        available = sorted(p.name for p in DATA_DIR.glob("*.txt"))
        raise FileNotFoundError(f"no text file {name!r} in {DATA_DIR}; available: {available}")
    return path.read_text(encoding="utf-8")


def download_text(url: str, sha256: str, filename: str, data_dir: Path | None = None) -> Path:
    """Download a text once, check its sha256, and cache it under data/downloads/."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError(f"sha256 must be 64 lowercase hex digits, got {sha256!r}")
    target = (DATA_DIR / "downloads" if data_dir is None else Path(data_dir)) / filename
    if target.is_file() and _sha256(target.read_bytes()) == sha256:
        return target  # already cached and intact
    content = _fetch(url)
    actual = _sha256(content)
    if actual != sha256:
        raise ValueError(
            f"the file at {url} has sha256 {actual}, expected {sha256}: it changed or the "
            "download was corrupted; check the URL or update the expected hash"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return target


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _fetch(url: str, timeout_s: float = 30.0) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return response.read()
    except (urllib.error.URLError, OSError) as error:
        raise ConnectionError(
            f"could not download {url} ({error}); check your network connection, "
            "or put the file under data/ yourself"
        ) from error


class GPTDataset(Dataset):
    """Sliding windows over token ids: each input is paired with the same window shifted by one."""

    def __init__(self, token_ids: list[int], context_length: int, stride: int):
        _check_positive(context_length=context_length, stride=stride)
        if len(token_ids) < context_length + 1:
            raise ValueError(
                f"the text has {len(token_ids)} tokens, but one window of context_length="
                f"{context_length} needs at least {context_length + 1} (inputs plus the target "
                "shifted by one); use a longer text or a smaller context_length"
            )
        self.token_ids = torch.tensor(token_ids, dtype=torch.long)
        self.context_length = context_length
        self.stride = stride
        # window i starts at i * stride and needs context_length + 1 tokens from there
        self.num_windows = (len(token_ids) - context_length - 1) // stride + 1

    def __len__(self) -> int:
        return self.num_windows

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        if not -self.num_windows <= index < self.num_windows:
            raise IndexError(f"window {index} out of range for {self.num_windows} windows")
        start = (index % self.num_windows) * self.stride
        window = self.token_ids[start : start + self.context_length + 1]
        return window[:-1], window[1:]  # (context_length,), (context_length,)


def _check_positive(**values: int) -> None:
    for name, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")


def encode_text(text: str, tokenizer=None) -> list[int]:
    """Encode text with GPT-2's BPE (the default) or any course tokenizer.

    Every tokenizer is called the same way, so <|endoftext|> in the text (to join documents)
    becomes its special token's id, or raises if the tokenizer has no such token.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("text is empty (or only whitespace); pass the text to train on")
    tokenizer = gpt2_encoding() if tokenizer is None else tokenizer
    return tokenizer.encode(text, allowed_special={END_OF_TEXT})


def create_dataloader(
    text: str,
    batch_size: int = 4,
    context_length: int = 256,
    stride: int = 128,
    shuffle: bool = True,
    drop_last: bool = True,
    num_workers: int = 0,
    tokenizer=None,
    seed: int | None = None,
) -> DataLoader:
    """Tokenize text and serve (inputs, targets) batches of shape (batch_size, context_length)."""
    _check_positive(batch_size=batch_size)
    if num_workers < 0:
        raise ValueError(f"num_workers must be >= 0, got {num_workers}")
    dataset = GPTDataset(encode_text(text, tokenizer), context_length, stride)
    if drop_last and len(dataset) < batch_size:
        raise ValueError(
            f"drop_last=True with {len(dataset)} windows and batch_size={batch_size} leaves no "
            "batch at all; lower batch_size or stride, or set drop_last=False"
        )
    generator = None if seed is None else torch.Generator().manual_seed(seed)
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=shuffle,
        drop_last=drop_last,
        num_workers=num_workers,
        generator=generator,
    )
