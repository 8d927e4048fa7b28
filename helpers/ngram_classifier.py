"""A bag of word n-grams read by logistic regression: the strongest simple baseline of Chapter 6.

A message becomes a row of 0s and 1s, one column per word or word pair seen in training
("storm", "no storm", "not last"); a single linear layer reads the row. Word pairs let it see
short negations that single words cannot ("no storm" against "storm"). It fits in seconds and
knows nothing about a word it never saw in training.
"""

import torch
from torch import nn

from helpers.corpora.stories import story_words


def ngrams(text: str, max_n: int = 2) -> list[str]:
    """The text's lower-cased words, then its runs of 2 to max_n words, joined by spaces."""
    if max_n < 1:
        raise ValueError(f"max_n must be at least 1 (1 = single words), got {max_n}")
    words = story_words(text)
    grams = list(words)
    for n in range(2, max_n + 1):
        grams += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    return grams


def build_ngram_vocab(texts: list[str], max_n: int = 2) -> dict[str, int]:
    """Every n-gram of the training texts, numbered in the order it first appears."""
    vocab: dict[str, int] = {}
    for text in texts:
        for gram in ngrams(text, max_n):
            vocab.setdefault(gram, len(vocab))
    return vocab


def bag_of_ngrams(texts: list[str], vocab: dict[str, int], max_n: int = 2) -> torch.Tensor:
    """One row per text, 1.0 in the column of each n-gram it has; n-grams not in vocab are lost."""
    rows = torch.zeros(len(texts), len(vocab))  # (num_texts, num_ngrams)
    for row, text in enumerate(texts):
        columns = [vocab[gram] for gram in ngrams(text, max_n) if gram in vocab]
        rows[row, columns] = 1.0
    return rows


def regularised_loss(
    model: nn.Linear, features: torch.Tensor, labels: torch.Tensor, l2: float
) -> torch.Tensor:
    """Mean cross-entropy plus l2 / 2 times the sum of the squared weights (not the bias)."""
    return nn.functional.cross_entropy(model(features), labels) + l2 / 2 * model.weight.pow(2).sum()


def fit_logistic_regression(
    features: torch.Tensor,
    labels: torch.Tensor,
    num_classes: int = 2,
    l2: float = 1e-3,
    max_iter: int = 200,
) -> nn.Linear:
    """A linear layer with the lowest regularised_loss on all rows, found by L-BFGS.

    The loss is convex: its minima give the same answers (only the two biases' common shift is
    free), and starting from zeros finds the same one on every run, so there is no seed.
    """
    if features.shape[0] != labels.shape[0]:
        raise ValueError(
            f"features has {features.shape[0]} rows but labels has {labels.shape[0]}: "
            "give one label per row"
        )
    if l2 <= 0:
        raise ValueError(f"l2 must be positive (it keeps the best weights finite), got {l2}")
    model = nn.Linear(features.shape[1], num_classes)
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    optimizer = torch.optim.LBFGS(
        model.parameters(), max_iter=max_iter, tolerance_grad=1e-9, line_search_fn="strong_wolfe"
    )

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = regularised_loss(model, features, labels, l2)
        loss.backward()
        return loss

    optimizer.step(closure)
    return model


def predict_labels(model: nn.Linear, features: torch.Tensor) -> torch.Tensor:
    """The label with the larger logit for each row."""
    with torch.no_grad():
        return model(features).argmax(dim=-1)  # (num_texts,)
