"""Instruction finetuning: the prompt format, batches that pad and mask, and scoring (Chapter 7).

An entry is a dict with an `instruction`, an optional `input` and the `output` to learn. It is
written in one fixed format, so that the model can tell where the task ends and where its
answer must start, and so that the answer can be cut out again:

    ### instruction: What is the last word of this sentence?
    ### input: Mara ran to the harbour.
    ### answer: harbour

Each field follows its header after a space, so a word is the same token in the input and in
the answer (" harbour" in both), and the headers are words the course's vocabulary holds. The
model is trained on the whole text as in pretraining (next-token prediction), then one
end-of-text token, so that it learns to stop. Padding targets become -100, which
`cross_entropy` skips; with `mask_prompt=True` the prompt's targets do too.
"""

import re
from collections import Counter
from collections.abc import Sequence

import torch
from torch.utils.data import Dataset

from helpers.generation import generate

RESPONSE_HEADER = "### answer:"  # the prompt ends here; the answer follows after a space


def check_entry(entry: dict) -> None:
    """An entry needs a non-empty `instruction` and `output`; `input` may be missing or ""."""
    if not isinstance(entry, dict):
        raise TypeError(f"an entry must be a dict, got {type(entry).__name__}")
    for field in ("instruction", "output"):
        if field not in entry:
            raise ValueError(f"the entry has no {field!r} field: {entry!r}")
        if not isinstance(entry[field], str) or not entry[field].strip():
            raise ValueError(f"the entry's {field!r} must be a non-empty string: {entry!r}")
    if not isinstance(entry.get("input", ""), str):
        raise ValueError(f"the entry's 'input' must be a string (or missing): {entry!r}")


def format_prompt(entry: dict) -> str:
    """The instruction (and input, if any) in the course's format, up to where the answer goes."""
    check_entry(entry)
    text = f"### instruction: {entry['instruction']}\n"
    if entry.get("input"):
        text += f"### input: {entry['input']}\n"
    return text + RESPONSE_HEADER


def format_answer(entry: dict) -> str:
    """The text after the prompt: the output after one space, as every field follows its header."""
    return " " + entry["output"]


class InstructionDataset(Dataset):
    """Entries encoded once: item i is (token ids of prompt + output, number of prompt tokens)."""

    def __init__(self, entries: Sequence[dict], tokenizer):
        self.items = []
        for entry in entries:
            prompt_ids = tokenizer.encode(format_prompt(entry))
            output_ids = tokenizer.encode(format_answer(entry))
            self.items.append((prompt_ids + output_ids, len(prompt_ids)))

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> tuple[list[int], int]:
        return self.items[index]


def _check_batch(batch, mask_prompt: bool, allowed_max_length: int | None) -> None:
    if not batch:
        raise ValueError("the batch is empty")
    if allowed_max_length is not None and allowed_max_length < 1:
        raise ValueError(f"allowed_max_length must be >= 1 or None, got {allowed_max_length}")
    for i, item in enumerate(batch):
        if not mask_prompt and len(item) and isinstance(item[0], (list, tuple)):
            raise TypeError(
                f"example {i} looks like an (ids, prompt_length) pair, not a list of token "
                "ids: pass mask_prompt=True, or pass only the ids"
            )
        ids, prompt_length = item if mask_prompt else (item, 0)
        if not len(ids):
            raise ValueError(f"example {i} of the batch has no tokens")
        if mask_prompt and not 0 < prompt_length < len(ids) + 1:
            raise ValueError(f"example {i}: prompt_length {prompt_length} for {len(ids)} tokens")
        if mask_prompt and allowed_max_length is not None and prompt_length > allowed_max_length:
            raise ValueError(
                f"example {i} has a {prompt_length}-token prompt, so allowed_max_length="
                f"{allowed_max_length} leaves none of its response to learn: raise "
                "allowed_max_length or shorten the prompt"
            )


def collate_instructions(
    batch: Sequence,
    pad_token_id: int = 50_256,
    ignore_index: int = -100,
    allowed_max_length: int | None = None,
    mask_prompt: bool = False,
    device=None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Token-id lists (or (ids, prompt_length) pairs) -> padded (inputs, targets).

    Each sequence gets one end-of-text (pad_token_id, as in GPT-2) and is padded with it to the
    batch's longest; targets are the inputs shifted by one. The first end-of-text target stays,
    so the model learns to stop; the padding after it becomes ignore_index. With mask_prompt,
    the targets inside the prompt become ignore_index too.
    """
    _check_batch(batch, mask_prompt, allowed_max_length)
    items = batch if mask_prompt else [(ids, 0) for ids in batch]
    longest = max(len(ids) for ids, _ in items) + 1  # + 1 for the end-of-text token
    inputs, targets = [], []
    for ids, prompt_length in items:
        padded = list(ids) + [pad_token_id] * (longest - len(ids))
        target = padded[1:]  # target t is token t + 1
        target[len(ids) :] = [ignore_index] * (longest - 1 - len(ids))  # keep the first end-of-text
        if mask_prompt:  # prompt_length >= 1 (checked); target t is a prompt token if t + 1 < it
            target[: prompt_length - 1] = [ignore_index] * (prompt_length - 1)
        inputs.append(padded[:-1][:allowed_max_length])
        targets.append(target[:allowed_max_length])
    # (batch_size, num_tokens) each
    return torch.tensor(inputs, device=device), torch.tensor(targets, device=device)


def extract_response(text: str) -> str:
    """The answer in a generated text: after the response header, up to an end-of-text or header."""
    if RESPONSE_HEADER not in text:
        raise ValueError(f"no {RESPONSE_HEADER!r} header in the text: {text[:80]!r}")
    answer = text.split(RESPONSE_HEADER, 1)[1]
    answer = answer.split("<|endoftext|>", 1)[0].split("###", 1)[0]
    return answer.strip()


def normalize(text: str) -> list[str]:
    """Lower-case words without punctuation: 'The boats.' -> ['the', 'boats']."""
    return re.findall(r"[a-z0-9']+", text.lower())


def exact_match(prediction: str, reference: str) -> bool:
    """The same text, ignoring only spacing: case and punctuation count (a question needs '?')."""
    return prediction.split() == reference.split()


def overlap_score(prediction: str, reference: str) -> float:
    """Word-overlap F1: the harmonic mean of the shares of predicted and reference words shared.

    'the red boats' vs 'the boats' -> precision 2/3, recall 2/2, F1 0.8. Order is ignored.
    """
    predicted, expected = Counter(normalize(prediction)), Counter(normalize(reference))
    if not predicted or not expected:
        return float(predicted == expected)
    shared = sum((predicted & expected).values())
    if not shared:
        return 0.0
    precision, recall = shared / sum(predicted.values()), shared / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


@torch.no_grad()
def generate_responses(
    model, entries: Sequence[dict], tokenizer, *, max_new_tokens: int = 24, eos_id: int
) -> list[str]:
    """Greedy answers to each entry's prompt; prompts of equal length share a batch."""
    device = next(model.parameters()).device
    prompts = [tokenizer.encode(format_prompt(entry)) for entry in entries]
    answers = [""] * len(entries)
    for length in sorted({len(p) for p in prompts}):
        rows = [i for i, p in enumerate(prompts) if len(p) == length]
        idx = torch.tensor([prompts[i] for i in rows], device=device)  # (batch_size, length)
        out = generate(model, idx, max_new_tokens, eos_id=eos_id)
        for i, ids in zip(rows, out.tolist(), strict=True):
            answers[i] = extract_response(tokenizer.decode(ids))  # prompt + answer + end-of-text
    return answers


def score_responses(predictions: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """Mean exact match and mean overlap of predictions against references."""
    if len(predictions) != len(references) or not predictions:
        raise ValueError(
            f"need as many predictions as references (and some): {len(predictions)} vs "
            f"{len(references)}"
        )
    pairs = list(zip(predictions, references, strict=True))
    return {
        "exact_match": sum(exact_match(p, r) for p, r in pairs) / len(pairs),
        "overlap": sum(overlap_score(p, r) for p, r in pairs) / len(pairs),
    }
