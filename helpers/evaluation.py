"""Measures of a language model that hold across vocabularies and templates (Chapter 5).

- ``bits_per_byte``: the model's loss on a text, in bits per UTF-8 byte of that text. A loss per
  token depends on how long the tokens are, so two tokenizers give incomparable numbers; bits
  per byte does not. A model that learned the language, not only its training templates, scores
  about as well on text written by hand as on its validation split.
- ``novelty``: the share of a text's 8-word spans that never occur in the training text. A model
  that recites its training data scores near 0; text written by a person scores near 1.
"""

import math

import torch

from helpers.tokenizers import END_OF_TEXT

STORY_SEPARATOR = "\n<|endoftext|>\n"


def _check_text(text: str) -> None:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("text is empty: bits per byte needs at least one character")


def _windows(tokenizer, text: str, context_length: int) -> list[torch.Tensor]:
    """The text after <|endoftext|>, cut into windows of context_length + 1 ids, each window
    starting where the last one's inputs stopped."""
    eot = tokenizer.encode(END_OF_TEXT, allowed_special={END_OF_TEXT})
    ids = eot + tokenizer.encode(text)
    starts = range(0, len(ids) - 1, context_length)
    return [torch.tensor(ids[i : i + context_length + 1]) for i in starts]


@torch.no_grad()
def _score(model: torch.nn.Module, windows: list[torch.Tensor], device, batch_size: int) -> float:
    """Summed cross-entropy in nats of every window's ids after its first, batch_size at a time.

    Shorter windows are padded on the right; the causal mask keeps every real position blind to
    the padding after it, and the padded positions are left out of the sum.
    """
    was_training = model.training
    model.eval()
    total = 0.0
    try:
        for first in range(0, len(windows), batch_size):
            group = windows[first : first + batch_size]
            longest = max(len(w) for w in group)
            batch = torch.zeros(len(group), longest, dtype=torch.long)
            real = torch.zeros(len(group), longest - 1, dtype=torch.bool)
            for row, window in enumerate(group):
                batch[row, : len(window)] = window
                real[row, : len(window) - 1] = True
            batch, real = batch.to(device), real.to(device)
            logits = model(batch[:, :-1])  # (batch_size, num_tokens, vocab_size)
            log_probs = torch.log_softmax(logits.float(), dim=-1)
            target_log_probs = log_probs.gather(2, batch[:, 1:, None])[..., 0]
            total -= target_log_probs[real].sum().item()
    finally:
        model.train(was_training)
    return total


def summed_loss(
    model: torch.nn.Module, tokenizer, text: str, device="cpu", batch_size: int = 16
) -> float:
    """Cross-entropy in nats summed over every token of text, each read after <|endoftext|>.

    The text is scored in windows of the model's context_length, each window carrying on where
    the last stopped; the first token is predicted from <|endoftext|>, as a new story would be.
    Windows are scored batch_size at a time (the same sum, computed faster).
    """
    _check_text(text)
    windows = _windows(tokenizer, text, model.cfg.context_length)
    return _score(model, windows, device, batch_size)


def bits_per_byte(
    model: torch.nn.Module, tokenizer, text: str, device="cpu", batch_size: int = 16
) -> float:
    """The model's loss on text in bits per UTF-8 byte; stories split at <|endoftext|>."""
    _check_text(text)
    stories = [story for story in text.split(STORY_SEPARATOR) if story.strip()]
    context_length = model.cfg.context_length
    windows = [w for story in stories for w in _windows(tokenizer, story, context_length)]
    nats = _score(model, windows, device, batch_size)  # every story's windows, batched together
    num_bytes = sum(len(story.encode("utf-8")) for story in stories)
    return nats / math.log(2) / num_bytes


def word_spans(text: str, n: int = 8) -> list[tuple[str, ...]]:
    """Every run of n consecutive words (split at whitespace, case and punctuation kept)."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    words = text.split()
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]


def novelty(text: str, training_text: str, n: int = 8) -> float:
    """Share of text's n-word spans that occur nowhere in training_text (1.0 = all new)."""
    spans = word_spans(text, n)
    if not spans:
        raise ValueError(f"text has fewer than {n} words, so it has no {n}-word span")
    seen = set(word_spans(training_text, n))
    return sum(span not in seen for span in spans) / len(spans)
