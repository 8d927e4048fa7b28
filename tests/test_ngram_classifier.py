"""helpers/ngram_classifier.py: the bag of n-grams and its logistic regression."""

from collections import Counter

import pytest
import torch

from helpers.corpora.messages import TEST_FILE, TRAIN_FILE, keyword_accuracy, read_messages
from helpers.ngram_classifier import (
    bag_of_ngrams,
    build_ngram_vocab,
    fit_logistic_regression,
    ngrams,
    predict_labels,
    regularised_loss,
)


def test_ngrams_are_the_words_then_the_word_pairs():
    assert ngrams("No storm today.") == ["no", "storm", "today", "no storm", "storm today"]
    assert ngrams("No storm today.", max_n=1) == ["no", "storm", "today"]
    assert ngrams("No storm today.", max_n=3)[-1] == "no storm today"
    assert ngrams("Rain.", max_n=2) == ["rain"]  # too short for a pair


def test_max_n_below_one_is_refused():
    with pytest.raises(ValueError, match="max_n must be at least 1"):
        ngrams("rain", max_n=0)


def test_the_vocabulary_numbers_ngrams_in_order_of_first_appearance():
    vocab = build_ngram_vocab(["No storm.", "A storm!"])
    assert vocab == {"no": 0, "storm": 1, "no storm": 2, "a": 3, "a storm": 4}


def test_the_bag_marks_each_ngram_of_the_text_once_and_drops_unknown_ones():
    texts = ["The storm, the storm is coming.", "A squall is coming."]
    vocab = build_ngram_vocab(texts[:1])
    rows = bag_of_ngrams(texts, vocab)
    assert rows.shape == (2, len(vocab))
    for row, text in zip(
        rows, texts, strict=True
    ):  # against a count made independently of the function
        present = {gram for gram in Counter(ngrams(text)) if gram in vocab}
        assert {gram for gram, col in vocab.items() if row[col] == 1.0} == present
        assert row.sum() == len(present)  # 0 or 1, never a count


def test_the_fit_reaches_the_minimum_of_its_convex_loss():
    torch.manual_seed(0)
    features = (torch.rand(60, 12) < 0.3).float()
    labels = (features[:, 0] + features[:, 1] > features[:, 2]).long()
    model = fit_logistic_regression(features, labels, l2=1e-2)
    # At the minimum of a smooth convex loss the gradient is zero...
    model.zero_grad()
    regularised_loss(model, features, labels, 1e-2).backward()
    assert max(p.grad.abs().max() for p in model.parameters()) < 1e-4
    # ...and the weights at the minimum are unique (the penalty fixes them; only a common shift of
    # both biases is free): plain gradient descent from elsewhere finds the same weights.
    other = torch.nn.Linear(12, 2)
    optimizer = torch.optim.SGD(other.parameters(), lr=2.0)
    for _ in range(4000):
        optimizer.zero_grad()
        regularised_loss(other, features, labels, 1e-2).backward()
        optimizer.step()
    # Only the difference between the two logits matters: compare the layers through it.
    diff = model.weight[1] - model.weight[0]
    torch.testing.assert_close(diff, other.weight[1] - other.weight[0], atol=2e-3, rtol=0)


def test_fit_refuses_mismatched_rows_and_a_zero_penalty():
    with pytest.raises(ValueError, match="3 rows but labels has 2"):
        fit_logistic_regression(torch.zeros(3, 4), torch.zeros(2, dtype=torch.long))
    with pytest.raises(ValueError, match="l2 must be positive"):
        fit_logistic_regression(torch.zeros(3, 4), torch.zeros(3, dtype=torch.long), l2=0.0)


def test_on_the_messages_word_pairs_beat_the_keyword_rule():
    train, test = read_messages(TRAIN_FILE), read_messages(TEST_FILE)
    vocab = build_ngram_vocab([text for text, _ in train])
    model = fit_logistic_regression(
        bag_of_ngrams([text for text, _ in train], vocab), torch.tensor([y for _, y in train])
    )
    answers = predict_labels(model, bag_of_ngrams([text for text, _ in test], vocab))
    accuracy = (answers == torch.tensor([y for _, y in test])).float().mean().item()
    assert accuracy > keyword_accuracy(test) + 0.1
