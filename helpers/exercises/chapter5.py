"""Checks for Chapter 5's exercises (pretraining): perplexity, temperature, min_p sampling."""

import math
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F

from helpers.exercises.checking import Case, _difference, _seeded, exercise


def _token_losses(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """-log p(target) at every position, in float64: (batch_size, num_tokens)."""
    log_probas = torch.log_softmax(logits.double(), dim=-1)
    return -log_probas.gather(-1, targets.unsqueeze(-1)).squeeze(-1)


def _near(mistakes: list[tuple[float, str]], hint: str) -> Callable[[Any, float], str | None]:
    """Judge a number that float32 arithmetic gets right to about 1e-6: within 1e-5 of it."""

    def judge(got: Any, expected: float) -> str | None:
        kind = _difference(got, expected, 0.0)  # "" for a number, or what kind came back
        if kind:
            return f"{kind}; {hint}"
        number = float(got)
        if math.isclose(number, expected, rel_tol=1e-5):
            return None
        return next((h for wrong, h in mistakes if math.isclose(number, wrong, rel_tol=1e-5)), hint)

    return judge


@exercise("5.1")
def _check_5_1() -> list[Case]:
    """perplexity(logits, targets): exp of the mean next-token loss over every token."""
    one_hot = F.one_hot(torch.tensor([[1, 4, 0, 2], [3, 3, 1, 0]]), 5).float()
    cases = []
    for shows, logits, targets in [
        (
            "perplexity(torch.zeros(1, 3, 4), torch.tensor([[0, 1, 2]])): a uniform guess among "
            "4 tokens",
            torch.zeros(1, 3, 4),
            torch.tensor([[0, 1, 2]]),
        ),
        (
            "perplexity(torch.randn(2, 5, 6), torch.randint(6, (2, 5)))",
            _seeded(1, 2, 5, 6),
            torch.randint(6, (2, 5), generator=torch.Generator().manual_seed(2)),
        ),
        (
            "perplexity(8 * F.one_hot(targets, 5), targets) with targets = "
            f"{one_hot.argmax(-1).tolist()}: a model that is sure and right",
            8 * one_hot,
            one_hot.argmax(-1),
        ),
        (
            "perplexity(torch.randn(1, 1, 5), torch.tensor([[3]])): one token",
            _seeded(3, 1, 1, 5),
            torch.tensor([[3]]),
        ),
        (
            "perplexity(3 * torch.randn(4, 16, 50), torch.randint(50, (4, 16)))",
            3 * _seeded(4, 4, 16, 50),
            torch.randint(50, (4, 16), generator=torch.Generator().manual_seed(5)),
        ),
    ]:
        losses = _token_losses(logits, targets)  # (batch_size, num_tokens)
        loss = losses.mean().item()
        softmaxed = _token_losses(torch.softmax(logits, dim=-1), targets).mean().item()
        shifted = math.nan  # one token: nothing left to shift
        if targets.shape[1] > 1:
            shifted = math.exp(_token_losses(logits[:, :-1], targets[:, 1:]).mean().item())
        mistakes = [
            (
                math.exp(losses.sum().item()),
                "that is exp of the summed loss: perplexity is exp of the mean loss per token "
                "(F.cross_entropy's default)",
            ),
            (
                2**loss,
                "the loss is in nats (natural log): perplexity is math.exp(loss); 2 ** loss goes "
                "with a loss in bits",
            ),
            (loss, "that is the loss itself: perplexity is exp(loss)"),
            (
                math.exp(-loss),
                "that is exp(-loss), the typical probability of the right token: perplexity is "
                "exp(+loss)",
            ),
            (
                losses.mean(dim=1).exp().mean().item(),
                "average the loss over all the tokens of the batch first, then take exp once: "
                "the mean of each sequence's perplexity is larger",
            ),
            (
                math.exp(softmaxed),
                "F.cross_entropy takes logits and applies the softmax itself: pass it the "
                "logits, not probabilities",
            ),
            (
                shifted,
                "targets[:, i] is already the token after position i: compare logits[:, i] "
                "with targets[:, i], without shifting again",
            ),
        ]
        expected = math.exp(loss)
        hint = (
            "perplexity is exp(loss), the loss being the mean of -log p(right token) over every "
            "token of the batch"
        )
        known = [(w, h) for w, h in mistakes if not math.isclose(w, expected, rel_tol=1e-5)]
        cases.append(
            Case(
                shows,
                lambda answer, a=(logits, targets): answer(a[0].clone(), a[1].clone()),
                expected,
                hint,
                judge=_near(known, hint),
                on_error="if F.cross_entropy refused the shapes: it wants logits (N, vocab_size) "
                "and targets (N,); flatten both first, as calc_loss_batch does",
            )
        )
    return cases


def _greedy(logits: torch.Tensor) -> torch.Tensor:
    """Temperature 0: probability 1 on each row's largest logit, 0 elsewhere."""
    top = logits.argmax(dim=-1, keepdim=True)
    return torch.zeros_like(logits).scatter(-1, top, 1.0)


def _temperature_mistakes(logits: torch.Tensor, temperature: float) -> list[tuple[Any, str]]:
    """What dividing probabilities, multiplying, skipping the softmax and the like give."""
    if temperature == 0:  # dividing by 0 gives nan, which matches nothing: the case's hint says it
        return [
            (
                (logits == logits.max()).float(),
                "each row has its own top token: take the largest logit along the last dimension",
            ),
        ]
    probas = torch.softmax(logits, dim=-1)
    return [
        (
            probas / temperature,
            "divide the logits by the temperature, before the softmax: divided probabilities no "
            "longer sum to 1",
        ),
        (
            torch.softmax(probas / temperature, dim=-1),
            "divide the logits, not the probabilities: the temperature scales the logits before "
            "the softmax",
        ),
        (
            torch.softmax(logits * temperature, dim=-1),
            "divide by the temperature, not multiply: a temperature below 1 must sharpen the "
            "distribution",
        ),
        (
            logits / temperature,
            "return probabilities (after the softmax over the last dimension), not logits",
        ),
        (
            torch.softmax(logits / temperature, dim=0),
            "take the softmax over the last dimension: one distribution per row",
        ),
    ]


@exercise("5.2")
def _check_5_2() -> list[Case]:
    """temperature_probs(logits, temperature): the distribution sampling draws from."""
    cases = []
    for logits, temperature in [
        ([[2.0, 1.0, 0.0]], 1.0),
        ([[2.0, 1.0, 0.0, -1.0]], 0.5),
        ([[1.0, 3.0, 0.5, 0.0], [0.2, 0.1, -0.3, 2.0]], 2.0),
        ([[5.0, 4.0, 0.0, -3.0]], 0.01),
        ([[1.0, 3.0, 2.0], [0.5, -1.0, 0.0]], 0.0),
    ]:
        logits = torch.tensor(logits)
        greedy = "temperature 0 is greedy: each row puts probability 1.0 on its largest logit"
        if temperature == 0:
            expected = _greedy(logits)
            hint = f"{greedy} and 0.0 on the others (dividing by 0 gives inf and nan)"
        else:
            expected = torch.softmax(logits.double() / temperature, dim=-1).float()
            hint = (
                "each row is the distribution sampling draws from at this temperature: it sums "
                "to 1, and is sharper than the plain softmax below temperature 1, flatter above"
            )
        if temperature == 0.01:
            hint += (
                "; if you got nan, exp(logits / temperature) overflowed: torch.softmax "
                "subtracts the largest logit first"
            )
        mistakes = _temperature_mistakes(logits, temperature)
        cases.append(
            Case(
                f"temperature_probs(torch.tensor({logits.tolist()}), temperature={temperature})",
                lambda answer, a=(logits, temperature): answer(a[0].clone(), a[1]),
                expected,
                hint,
                [(w, h) for w, h in mistakes if not torch.allclose(w, expected, atol=1e-4)],
                on_error=f"{greedy}: return that instead of dividing by 0"
                if not temperature
                else None,
            )
        )
    return cases


def _keep_relative(logits: torch.Tensor, min_p: float, scores: torch.Tensor, fill) -> torch.Tensor:
    """Keep the entries whose score is at least min_p times their row's largest; fill the rest."""
    threshold = min_p * scores.max(dim=-1, keepdim=True).values
    return logits.masked_fill(scores < threshold, fill)


@exercise("5.4")
def _check_5_4() -> list[Case]:
    """min_p_filter(logits, min_p): keep tokens at least min_p times as likely as the top one."""
    cases = []
    for logits, min_p in [
        ([[-1.0, -1.5, -3.0, -4.0, -6.0]], 0.1),
        ([[5.0, 4.0, 0.0, -2.0], [0.0, 0.0, -1.0, -5.0]], 0.3),
        ([[1.0, 0.5, -0.5]], 0.0),
        ([[3.0, 3.0, 1.0]], 1.0),
    ]:
        logits = torch.tensor(logits)
        probs = torch.softmax(logits, dim=-1)
        expected = _keep_relative(logits, min_p, probs, -torch.inf)
        mistakes = [
            (
                logits.masked_fill(probs < min_p, -torch.inf),
                "min_p is relative: compare each probability with min_p times the top "
                "token's probability, not with min_p itself",
            ),
            (
                logits.masked_fill(probs < min_p * probs.max(), -torch.inf),
                "each row has its own top token: take the maximum along the last dimension",
            ),
            (
                _keep_relative(logits, min_p, logits, -torch.inf),
                "compare probabilities (after the softmax), not logits",
            ),
            (
                _keep_relative(logits, min_p, probs, 0.0),
                "a dropped token needs the logit -inf (probability 0 after the softmax); a "
                "logit of 0 keeps it",
            ),
            (
                probs.masked_fill(probs < min_p * probs.max(-1, keepdim=True).values, 0.0),
                "return the filtered logits, as top_k_filter and top_p_filter do, not "
                "probabilities",
            ),
        ]
        cases.append(
            Case(
                f"min_p_filter(torch.tensor({logits.tolist()}), min_p={min_p})",
                lambda answer, a=(logits, min_p): answer(a[0].clone(), a[1]),
                expected,
                "keep a token when its probability is at least min_p times the most likely "
                "token's, in its own row; set the other logits to -inf",
                [(w, h) for w, h in mistakes if not torch.equal(w, expected)],
            )
        )
    return cases
