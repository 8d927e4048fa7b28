"""Checks for Chapter 6's exercises (classification): left padding, LoRA counts, accuracies."""

import re
from typing import Any

import torch
from torch import nn

from helpers.classification import build_classifier
from helpers.exercises.chapter4 import _tiny_config
from helpers.exercises.checking import Case, _call, exercise
from helpers.gpt import GPTModel


@exercise("6.1")
def _check_6_1() -> list[Case]:
    """left_pad(rows, pad_token_id): pad every row at the front to the longest row."""
    cases = []
    for rows, pad in [
        ([[1, 2, 3], [4]], 0),
        ([[5], [6, 7], [8, 9, 10, 11]], 2411),
        ([[1, 2], [3, 4]], 9),
        ([[7]], 5),
    ]:
        longest = max(len(r) for r in rows)
        padded = torch.full((len(rows), longest), pad, dtype=torch.long)
        for i, r in enumerate(rows):
            padded[i, longest - len(r) :] = torch.tensor(r)
        right_padded = torch.tensor([r + [pad] * (longest - len(r)) for r in rows])
        zero_padded = torch.tensor([[0] * (longest - len(r)) + r for r in rows])
        cases.append(
            Case(
                f"left_pad({rows}, pad_token_id={pad})",
                _call([list(r) for r in rows], pad),
                padded,
                "put pad_token_id before each row's tokens until it is as long as the longest row",
                [
                    (right_padded, "that pads on the right: left padding puts the padding first"),
                    (zero_padded, "pad with pad_token_id, the id the model treats as padding"),
                ],
            )
        )
    return cases


def _tiny_classifier(num_layers: int) -> nn.Module:
    torch.manual_seed(0)
    return build_classifier(GPTModel(_tiny_config(num_layers)), num_classes=2, pad_token_id=0)


def _adapter_count(model: nn.Module, rank: int) -> int:
    """rank * (d_in + d_out) for the four attention projections and two feed-forward layers."""
    total = 0
    for block in model.gpt.trf_blocks:
        att = block.att
        for layer in (att.W_query, att.W_key, att.W_value, att.out_proj, *block.ff.layers[::2]):
            total += rank * (layer.in_features + layer.out_features)
    return total


def _lora_mistakes(model: nn.Module, rank: int) -> list[tuple[int, str]]:
    """What counting all parameters, the model before LoRA, the head, or full matrices gives."""
    adapters = _adapter_count(model, rank)
    head = sum(p.numel() for p in model.gpt.out_head.parameters())
    layers = [
        m
        for name, m in model.named_modules()
        if isinstance(m, nn.Linear) and re.search(r"(W_|out_proj|ff\.)", name)
    ]
    return [
        (
            sum(p.numel() for p in model.parameters()) + adapters,
            "count only the parameters that train (requires_grad): the frozen weights stay as "
            "they are",
        ),
        (
            sum(p.numel() for p in model.parameters() if p.requires_grad),
            "that is the model before LoRA: wrap its layers with adapters of this rank first",
        ),
        (adapters + head, "count the adapters only: apply_lora freezes the head too"),
        (
            sum(rank * m.in_features * m.out_features for m in layers),
            "an adapter is two thin matrices, A (rank, d_in) and B (d_out, rank), not rank full "
            "ones",
        ),
    ]


@exercise("6.2")
def _check_6_2() -> list[Case]:
    """lora_parameter_count(model, rank): the numbers LoRA adapters of that rank train."""
    cases = []
    for num_layers, rank in [(1, 1), (2, 4), (1, 16)]:
        model = _tiny_classifier(num_layers)
        cases.append(
            Case(
                f"lora_parameter_count(classifier with {num_layers} block(s), emb_dim 16, "
                f"rank={rank})",
                lambda answer, n=num_layers, r=rank: answer(_tiny_classifier(n), r),
                _adapter_count(model, rank),
                "apply LoRA with this rank to the model, then count what would train",
                _lora_mistakes(model, rank),
            )
        )
    return cases


def _four_cases(predicted: list[int], rule: list[int], true: list[int]) -> dict:
    counts = {(m, r): 0 for m in (True, False) for r in (True, False)}
    for p, k, t in zip(predicted, rule, true, strict=True):
        counts[p == t, k == t] += 1
    return counts


@exercise("6.3")
def _check_6_3() -> list[Case]:
    """four_cases(predicted, rule, true): messages per (classifier right, rule right)."""
    labels = torch.randint(0, 2, (3, 40), generator=torch.Generator().manual_seed(0)).tolist()
    cases = []
    for predicted, rule, true in [
        ([1, 0, 1, 1], [1, 1, 0, 0], [1, 0, 0, 1]),
        ([0, 1, 1], [0, 1, 1], [0, 1, 1]),
        tuple(labels),
    ]:
        expected = _four_cases(predicted, rule, true)
        mistakes = [
            (
                {k: v for k, v in expected.items() if v},
                "a case that never happens still belongs in the answer, with count 0",
            ),
            (
                {(r, m): v for (m, r), v in expected.items()},
                "the keys are (classifier right, rule right), in that order",
            ),
            (
                _four_cases(predicted, rule, rule),
                "compare each prediction with the true labels, not with each other",
            ),
        ]
        shows = f"predicted={predicted}, rule={rule}, true={true}"
        cases.append(
            Case(
                f"four_cases({shows if len(true) < 10 else '40 random labels each'}) (tensors)",
                lambda answer, a=(predicted, rule, true): answer(*(torch.tensor(v) for v in a)),
                expected,
                "a message is in case (m, r) when the classifier is right (m) and the rule is "
                "right (r); count the messages of each of the four cases",
                [(w, h) for w, h in mistakes if w != expected],
            )
        )
    return cases


def _accuracy_split(texts, predicted, true, has_word) -> tuple[float, float]:
    right = [p == t for p, t in zip(predicted, true, strict=True)]
    with_word = [r for r, h in zip(right, map(has_word, texts), strict=True) if h]
    without = [r for r, h in zip(right, map(has_word, texts), strict=True) if not h]
    return sum(with_word) / len(with_word), sum(without) / len(without)


_NEW_WORDS = ("tempest", "squall")
_MESSAGES = [
    "A tempest is near.",
    "Calm seas all day.",
    "Tempest by noon.",
    "A squall, then sun.",
    "Rain later.",
    "The sky is clear.",
]


def _new_word_mistakes(predicted: list[int], true: list[int]) -> list[tuple[Any, str]]:
    """What case-sensitive matching, splitting on spaces, or one pool of messages give."""
    right = sum(p == t for p, t in zip(predicted, true, strict=True)) / len(true)
    by_case = _accuracy_split(_MESSAGES, predicted, true, lambda t: any(w in t for w in _NEW_WORDS))
    by_split = _accuracy_split(
        _MESSAGES, predicted, true, lambda t: any(w in t.lower().split() for w in _NEW_WORDS)
    )
    return [
        (by_case, "'Tempest' at the start of a sentence is the same word: compare in lower case"),
        (
            by_split,
            "splitting on spaces leaves punctuation on the words ('squall,'): look for the word "
            "in the text itself",
        ),
        ((right, right), "compute each accuracy over its own group of messages"),
    ]


@exercise("6.4")
def _check_6_4() -> list[Case]:
    """accuracy_with_and_without(texts, predicted, true, words): accuracy by new-word use."""
    cases = []
    for predicted, true in [
        ([1, 0, 1, 0, 1, 0], [1, 0, 0, 1, 1, 1]),
        ([1, 1, 1, 1, 1, 1], [1, 0, 1, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 1]),
    ]:
        has_word = lambda t: any(w in t.lower() for w in _NEW_WORDS)
        expected = _accuracy_split(_MESSAGES, predicted, true, has_word)
        swapped = "return the accuracy with a test-only word first, then the one without"
        mistakes = [*_new_word_mistakes(predicted, true), (expected[::-1], swapped)]
        cases.append(
            Case(
                f"accuracy_with_and_without(texts, predicted={predicted}, true={true}, "
                f"words={_NEW_WORDS}) with texts = {_MESSAGES}",
                lambda answer, p=predicted, t=true: answer(
                    list(_MESSAGES), torch.tensor(p), torch.tensor(t), _NEW_WORDS
                ),
                expected,
                "split the messages in two groups by whether they use one of the words, then "
                "take the share of right predictions in each group",
                [(w, h) for w, h in mistakes if w != expected],
            )
        )
    return cases
