"""helpers.classification: padding, the position read, freezing, accuracy, and every error."""

import itertools

import pytest
import torch
import torch.nn.functional as F

from helpers.classification import (
    ClassificationDataset,
    LengthGroupedBatches,
    build_classifier,
    calc_accuracy_loader,
    classify,
    collate_classification,
    read_positions,
    read_vectors,
)
from helpers.gpt import GPTConfig, GPTModel
from helpers.tokenizers import gpt2_encoding
from helpers.training import calc_loss_batch

CFG = GPTConfig(vocab_size=60, context_length=12, emb_dim=16, num_heads=2, num_layers=3)
PAD = 59


def tiny_classifier(seed: int = 0, **kwargs):
    torch.manual_seed(seed)
    return build_classifier(GPTModel(CFG), 3, pad_token_id=PAD, **kwargs).eval()


def test_collate_pads_on_the_right_to_the_longest_sequence():
    inputs, labels = collate_classification([([1, 2, 3], 0), ([4], 1), ([5, 6], 1)], PAD)
    assert inputs.tolist() == [[1, 2, 3], [4, PAD, PAD], [5, 6, PAD]]
    assert labels.tolist() == [0, 1, 1]


def test_collate_can_pad_to_a_fixed_length_but_never_truncates():
    inputs, _ = collate_classification([([1, 2], 0)], PAD, pad_to=4)
    assert inputs.tolist() == [[1, 2, PAD, PAD]]
    with pytest.raises(ValueError, match="pad_to=1 is shorter"):
        collate_classification([([1, 2], 0)], PAD, pad_to=1)


def test_read_mean_averages_the_real_tokens_only():
    torch.manual_seed(0)
    x = torch.randn(2, 4, 3)  # (batch_size, num_tokens, emb_dim)
    in_idx = torch.tensor([[5, 6, PAD, PAD], [7, 8, 9, 4]])
    by_hand = torch.stack([x[0, :2].mean(dim=0), x[1].mean(dim=0)])
    torch.testing.assert_close(read_vectors(x, in_idx, "mean", PAD), by_hand)
    with pytest.raises(ValueError, match="use read_vectors"):
        read_positions(in_idx, "mean", PAD)


def test_read_vectors_picks_the_row_of_each_position():
    x = torch.arange(24.0).reshape(2, 4, 3)
    in_idx = torch.tensor([[5, 6, PAD, PAD], [7, 8, 9, 4]])
    for read in ("last_real", "last", "first"):
        rows = read_positions(in_idx, read, PAD)
        torch.testing.assert_close(read_vectors(x, in_idx, read, PAD), x[[0, 1], rows])


def test_read_positions_by_hand():
    in_idx = torch.tensor([[1, 2, 3, PAD], [4, PAD, PAD, PAD], [5, 6, 7, 8]])
    assert read_positions(in_idx, "last_real", PAD).tolist() == [2, 0, 3]
    assert read_positions(in_idx, "last", PAD).tolist() == [3, 3, 3]
    assert read_positions(in_idx, "first", PAD).tolist() == [0, 0, 0]


def test_reading_the_last_real_token_makes_padding_change_nothing():
    model = tiny_classifier()
    short, long = [7, 8, 9], [1, 2, 3, 4, 5, 6]
    batch, _ = collate_classification([(short, 0), (long, 0)], PAD)
    with torch.no_grad():
        padded = model(batch)  # (2, num_classes)
        alone = model(torch.tensor([short]))
        # The same body and head, read by hand at the last real position, without padding:
        hidden = model.gpt.final_norm(model.gpt.trf_blocks(model.gpt.embedding(batch)))
    torch.testing.assert_close(padded[0], alone[0])
    torch.testing.assert_close(padded, model.gpt.out_head(hidden[[0, 1], [2, 5]]))


def test_reading_the_last_position_of_a_padded_row_reads_a_pad_token():
    model = tiny_classifier(read="last")
    batch, _ = collate_classification([([7, 8, 9], 0), ([1, 2, 3, 4, 5, 6], 0)], PAD)
    with torch.no_grad():
        assert not torch.allclose(model(batch)[0], model(torch.tensor([[7, 8, 9]]))[0])


def test_the_first_position_sees_only_the_first_token():
    model = tiny_classifier(read="first")
    with torch.no_grad():
        torch.testing.assert_close(model(torch.tensor([[4, 1, 2]])), model(torch.tensor([[4, 9]])))


def _trainable_names(model) -> set[str]:
    return {name for name, p in model.named_parameters() if p.requires_grad}


def test_freezing_leaves_exactly_the_chosen_parameters_trainable():
    last = CFG.num_layers - 1
    head = {"gpt.out_head.weight", "gpt.out_head.bias"}
    assert _trainable_names(tiny_classifier(trainable="head")) == head
    names = _trainable_names(tiny_classifier(trainable="last_block"))
    expected = {n for n, _ in tiny_classifier().named_parameters() if f"trf_blocks.{last}." in n}
    assert names == head | expected | {"gpt.final_norm.scale", "gpt.final_norm.shift"}
    model = tiny_classifier(trainable="all")
    assert _trainable_names(model) == {n for n, _ in model.named_parameters()}


def test_trainable_counts_by_hand():
    d, classes = CFG.emb_dim, 3
    head = d * classes + classes
    block = 4 * (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d) + 2 * 2 * d
    model = tiny_classifier(trainable="last_block")
    assert sum(p.numel() for p in model.parameters() if p.requires_grad) == head + block + 2 * d


def test_the_new_head_replaces_the_vocabulary_head():
    model = tiny_classifier()
    assert model(torch.tensor([[1, 2, 3]])).shape == (1, 3)
    assert model.gpt.out_head.weight.shape == (3, CFG.emb_dim)
    assert model.gpt.out_head.weight is not model.gpt.embedding.tok_emb.weight


def test_chapter_5_loss_works_on_class_logits():
    model = tiny_classifier()
    inputs, labels = torch.tensor([[1, 2, 3], [4, 5, PAD]]), torch.tensor([2, 0])
    with torch.no_grad():
        expected = F.cross_entropy(model(inputs), labels)
        torch.testing.assert_close(calc_loss_batch(inputs, labels, model, "cpu"), expected)


class FixedLogits(torch.nn.Module):
    """Predicts class (first token id % 2) for every row, whatever the rest."""

    def __init__(self):
        super().__init__()
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def forward(self, in_idx):
        return F.one_hot(in_idx[:, 0] % 2, 2).float()


def test_accuracy_counts_correct_predictions():
    loader = [
        (torch.tensor([[1], [2], [3]]), torch.tensor([1, 0, 0])),  # 2 of 3 right
        (torch.tensor([[4]]), torch.tensor([1])),  # wrong
    ]
    assert calc_accuracy_loader(loader, FixedLogits(), "cpu") == pytest.approx(2 / 4)
    assert calc_accuracy_loader(loader, FixedLogits(), "cpu", num_batches=1) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="no batches"):
        calc_accuracy_loader([], FixedLogits(), "cpu")


def test_dataset_encodes_each_text_once_with_its_label():
    enc = gpt2_encoding()
    data = ClassificationDataset(
        [("Storm tonight.", 1), ("Calm sea.", 0)], enc, num_classes=2, max_length=10
    )
    assert data[0] == (enc.encode("Storm tonight."), 1) and len(data) == 2


@pytest.mark.parametrize(
    "label,error,match",
    [
        (2, ValueError, r"label 2 is outside range\(2\)"),
        (-1, ValueError, "outside range"),
        (True, TypeError, "must be an int"),
        (1.0, TypeError, "must be an int"),
    ],
)
def test_dataset_rejects_labels_outside_the_classes(label, error, match):
    with pytest.raises(error, match=match):
        ClassificationDataset([("Rain.", label)], gpt2_encoding(), num_classes=2, max_length=8)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_dataset_rejects_an_empty_text(text):
    with pytest.raises(ValueError, match="empty text"):
        ClassificationDataset([(text, 0)], gpt2_encoding(), num_classes=2, max_length=8)


def test_a_text_longer_than_max_length_raises_or_is_truncated_to_its_start():
    enc, text = gpt2_encoding(), "one two three four five six"
    with pytest.raises(ValueError, match="has 6 tokens but at most 4 fit.*truncate=True"):
        ClassificationDataset([(text, 0)], enc, num_classes=2, max_length=4)
    data = ClassificationDataset([(text, 0)], enc, num_classes=2, max_length=4, truncate=True)
    assert data[0][0] == enc.encode(text)[:4]


class CharTokenizer:
    def encode(self, text):
        return [ord(c) % 50 for c in text]


def test_classify_returns_the_index_or_the_name_and_checks_the_text():
    model = tiny_classifier()
    text = "abc"
    with torch.no_grad():
        expected = int(model(torch.tensor([CharTokenizer().encode(text)])).argmax())
    assert classify(model, text, CharTokenizer()) == expected
    assert classify(model, text, CharTokenizer(), labels=["x", "y", "z"]) == "xyz"[expected]
    with pytest.raises(ValueError, match="has 13 tokens but at most 12 fit"):
        classify(model, "a" * 13, CharTokenizer())
    assert classify(model, "a" * 13, CharTokenizer(), truncate=True) in (0, 1, 2)
    with pytest.raises(ValueError, match="empty text"):
        classify(model, "", CharTokenizer())


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"num_classes": 1}, "num_classes must be"),
        ({"trainable": "some"}, "trainable must be"),
        ({"read": "middle"}, "read must be one of"),
    ],
)
def test_build_classifier_rejects_bad_choices(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_classifier(GPTModel(CFG), **{"num_classes": 2, "pad_token_id": PAD, **kwargs})


def test_a_pad_id_outside_the_vocabulary_is_refused_with_the_fix():
    too_big = CFG.vocab_size  # GPT-2's 50_256, the default, is outside a compact vocabulary too
    for pad in (too_big, 50_256, -1):
        with pytest.raises(ValueError, match=r"pass the tokenizer's end-of-text id"):
            build_classifier(GPTModel(CFG), 2, pad_token_id=pad)


def test_length_grouped_batches_cover_each_index_once_per_epoch_with_little_padding():
    lengths = [(i * 7) % 23 + 1 for i in range(66)]
    batches = LengthGroupedBatches(lengths, 4, seed=0, group_size=4)
    first = list(batches)
    assert len(first) == len(batches) == 16  # 66 // 4: the incomplete batch is dropped
    assert len({i for b in first for i in b}) == 64
    assert list(batches) == first  # reading again within an epoch changes nothing
    batches.set_epoch(1)
    assert list(batches) != first  # a new order each epoch
    padded = sum(4 * max(lengths[i] for i in b) for b in first)
    in_order = [list(range(k, k + 4)) for k in range(0, 64, 4)]
    assert padded < sum(4 * max(lengths[i] for i in b) for b in in_order)
    with pytest.raises(ValueError, match="batch_size, group_size >= 1"):
        LengthGroupedBatches(lengths, 0, seed=0)


def test_chapter_5_loop_sets_the_epoch_of_a_batch_sampler():
    from torch.utils.data import DataLoader

    from helpers.training import batches_from

    batches = LengthGroupedBatches(list(range(1, 9)), 4, seed=0, group_size=1)
    loader = DataLoader(list(range(8)), batch_sampler=batches)
    seen = list(itertools.islice(batches_from(loader), 4))  # two epochs of two batches
    batches.set_epoch(0)
    epoch_0 = [torch.tensor(b) for b in batches]
    batches.set_epoch(1)
    epoch_1 = [torch.tensor(b) for b in batches]
    assert [b.tolist() for b in seen] == [b.tolist() for b in epoch_0 + epoch_1]
