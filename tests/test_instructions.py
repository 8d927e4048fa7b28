"""helpers.instructions: the prompt format, the collate on hand-worked batches, and scoring."""

import pytest
import torch
import torch.nn.functional as F

from helpers.gpt import GPTConfig, GPTModel
from helpers.instructions import (
    InstructionDataset,
    collate_instructions,
    exact_match,
    extract_response,
    format_answer,
    format_prompt,
    generate_responses,
    overlap_score,
    score_responses,
)
from helpers.tokenizers import gpt2_encoding

P, X = 50_256, -100  # pad (end-of-text) and ignore_index


def test_format_prompt_with_and_without_input():
    entry = {"instruction": "Give the last word.", "input": "Mara ran.", "output": "ran"}
    assert format_prompt(entry) == (
        "### instruction: Give the last word.\n### input: Mara ran.\n### answer:"
    )
    assert format_answer(entry) == " ran"
    no_input = "### instruction: Name a colour.\n### answer:"
    assert (
        format_prompt({"instruction": "Name a colour.", "input": "", "output": "red"}) == no_input
    )
    assert format_prompt({"instruction": "Name a colour.", "output": "red"}) == no_input


@pytest.mark.parametrize(
    "entry,match",
    [
        ({"output": "x"}, "no 'instruction' field"),
        ({"instruction": "Do it."}, "no 'output' field"),
        ({"instruction": "Do it.", "output": "  "}, "'output' must be a non-empty string"),
        ({"instruction": "", "output": "x"}, "'instruction' must be a non-empty string"),
        ({"instruction": "Do it.", "input": 3, "output": "x"}, "'input' must be a string"),
    ],
)
def test_entries_missing_a_field_or_with_an_empty_output_raise(entry, match):
    with pytest.raises(ValueError, match=match):
        format_prompt(entry)


def test_dataset_items_are_prompt_plus_output_and_the_prompt_length():
    enc = gpt2_encoding()
    entry = {"instruction": "Give the plural.", "input": "fox", "output": "foxes"}
    ids, prompt_length = InstructionDataset([entry], enc)[0]
    assert ids == enc.encode(format_prompt(entry)) + enc.encode(" foxes")
    assert enc.decode(ids[:prompt_length]) == format_prompt(entry)


def test_collate_unequal_lengths_by_hand():
    inputs, targets = collate_instructions([[1, 2, 3], [4, 5]])
    assert inputs.tolist() == [[1, 2, 3], [4, 5, P]]
    assert targets.tolist() == [[2, 3, P], [5, P, X]]  # the first end-of-text stays a target


def test_collate_equal_lengths_and_length_one():
    inputs, targets = collate_instructions([[1, 2], [3, 4]])
    assert inputs.tolist() == [[1, 2], [3, 4]] and targets.tolist() == [[2, P], [4, P]]
    inputs, targets = collate_instructions([[7]])
    assert inputs.tolist() == [[7]] and targets.tolist() == [[P]]
    inputs, targets = collate_instructions([[7], [1, 2, 3]])
    assert inputs.tolist() == [[7, P, P], [1, 2, 3]]
    assert targets.tolist() == [[P, X, X], [2, 3, P]]


def test_collate_uses_the_given_pad_and_ignore_ids_and_device():
    inputs, targets = collate_instructions(
        [[1], [1, 2, 3]], pad_token_id=0, ignore_index=-1, device="cpu"
    )
    assert inputs.tolist() == [[1, 0, 0], [1, 2, 3]] and targets.tolist() == [
        [0, -1, -1],
        [2, 3, 0],
    ]
    assert inputs.dtype == targets.dtype == torch.long


def test_masking_the_prompt_ignores_exactly_the_prompt_targets():
    # tokens 1 2 3 are the prompt, 4 5 the response: targets 2, 3 are prompt tokens
    inputs, targets = collate_instructions([([1, 2, 3, 4, 5], 3), ([6, 7, 8], 2)], mask_prompt=True)
    assert inputs.tolist() == [[1, 2, 3, 4, 5], [6, 7, 8, P, P]]
    assert targets.tolist() == [[X, X, 4, 5, P], [X, 8, P, X, X]]


def test_allowed_max_length_truncates_inputs_and_targets():
    inputs, targets = collate_instructions([[1, 2, 3, 4], [5]], allowed_max_length=2)
    assert inputs.tolist() == [[1, 2], [5, P]] and targets.tolist() == [[2, 3], [P, X]]


def test_a_prompt_longer_than_allowed_max_length_raises():
    with pytest.raises(ValueError, match="4-token prompt, so allowed_max_length=3 leaves none"):
        collate_instructions([([1, 2, 3, 4, 5], 4)], mask_prompt=True, allowed_max_length=3)
    with pytest.raises(ValueError, match="allowed_max_length must be >= 1"):
        collate_instructions([[1, 2]], allowed_max_length=0)


def test_collate_rejects_empty_batches_and_sequences():
    with pytest.raises(ValueError, match="batch is empty"):
        collate_instructions([])
    with pytest.raises(ValueError, match="example 1 of the batch has no tokens"):
        collate_instructions([[1], []])
    with pytest.raises(ValueError, match="prompt_length 0 for 2 tokens"):
        collate_instructions([([1, 2], 0)], mask_prompt=True)


def test_collate_names_the_fix_for_pairs_without_mask_prompt():
    """(ids, prompt_length) pairs need mask_prompt=True; without it the error says so at once."""
    with pytest.raises(
        TypeError, match=r"example 0 .* pass mask_prompt=True, or pass only the ids"
    ):
        collate_instructions([([1, 2, 3], 2), ([4], 1)])


def test_cross_entropy_skips_ignore_index_targets():
    torch.manual_seed(0)
    logits = torch.randn(2, 3, 10)  # (batch_size, num_tokens, vocab_size)
    targets = torch.tensor([[1, 2, X], [4, X, X]])
    kept = targets != X
    by_hand = F.cross_entropy(logits[kept], targets[kept])
    torch.testing.assert_close(F.cross_entropy(logits.flatten(0, 1), targets.flatten()), by_hand)


def test_extract_response_cuts_after_the_header_and_before_a_stop():
    prompt = format_prompt({"instruction": "Plural?", "input": "cat", "output": "cats"})
    assert extract_response(prompt + " cats.\n") == "cats."
    assert extract_response(prompt + " cats<|endoftext|>junk") == "cats"
    assert extract_response(prompt + " cats\n### instruction: more") == "cats"
    with pytest.raises(ValueError, match="no '### answer:' header"):
        extract_response("just text")


def test_exact_match_ignores_spacing_only():
    assert exact_match(" The  boats.\n", "The boats.")
    assert not exact_match("the boats.", "The boats.")  # the capitals task is about case
    assert not exact_match("The boats", "The boats.")  # the end-mark task is about the mark
    assert not exact_match("boats the", "the boats")


@pytest.mark.parametrize(
    "prediction,reference,expected",
    [
        ("the red boats", "the boats", 0.8),
        ("boats", "boats", 1.0),
        ("cat", "dog", 0.0),
        ("", "", 1.0),
        ("", "dog", 0.0),
        ("dog dog", "dog", 2 * 0.5 * 1 / 1.5),
    ],
)
def test_overlap_score_by_hand(prediction, reference, expected):
    assert overlap_score(prediction, reference) == pytest.approx(expected)


def test_score_responses_averages_and_checks_lengths():
    scores = score_responses(["boats", "the cat"], ["boats", "the dog"])
    assert scores == {"exact_match": 0.5, "overlap": pytest.approx((1 + 0.5) / 2)}
    with pytest.raises(ValueError, match="as many predictions as references"):
        score_responses(["a"], ["a", "b"])


class EchoTokenizer:
    """Characters as ids (0..127), with 127 standing for the end-of-text token."""

    def encode(self, text):
        return [ord(c) for c in text]

    def decode(self, ids):
        return "".join("<|endoftext|>" if i == 127 else chr(i) for i in ids)


def test_generate_responses_batches_by_prompt_length_and_matches_one_by_one():
    torch.manual_seed(0)
    cfg = GPTConfig(vocab_size=128, context_length=96, emb_dim=16, num_heads=2, num_layers=1)
    model = GPTModel(cfg).eval()
    entries = [{"instruction": w, "output": "x"} for w in ("Ab", "Cd", "Efg")]
    together = generate_responses(model, entries, EchoTokenizer(), max_new_tokens=4, eos_id=127)
    alone = [
        generate_responses(model, [e], EchoTokenizer(), max_new_tokens=4, eos_id=127)[0]
        for e in entries
    ]
    assert together == alone and len(together) == 3
