"""The exercise checks: each passes its worked solution, fails a real mistake with its hint, and
says "not attempted yet" for the untouched stub.

The solutions are the notebooks' solution cells, turned into the functions their stubs ask for.
"""

import functools
import json
import math
import re
from collections import Counter
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from helpers.bpe import BPETokenizer
from helpers.checkpoints import COURSE_GPT, load_course_model
from helpers.corpora.instruction_data import task_of
from helpers.exercises import EXERCISES, check_exercise
from helpers.generation import generate
from helpers.gpt import GPTModel
from helpers.instructions import exact_match, extract_response, format_prompt
from helpers.lora import apply_lora, count_trainable
from helpers.tokenizers import build_vocab, gpt2_encoding, split_text

# ---- the worked solutions, as in the notebooks ------------------------------------------------


def num_windows(n: int, context_length: int, stride: int) -> int:
    return (n - context_length - 1) // stride + 1


def lowercase_vocab(text: str) -> dict[str, int]:
    return build_vocab(split_text(text.lower()))


def gpt2_pieces(word: str) -> list[str]:
    gpt2 = gpt2_encoding()
    return [gpt2.decode([i]) for i in gpt2.encode(" " + word)]


def half_overlap_stride(context_length: int) -> int:
    return context_length // 2


def embedding_parameters(vocab_size: int, context_length: int, emb_dim: int) -> int:
    return vocab_size * emb_dim + context_length * emb_dim


def rotary(x: torch.Tensor, base: float = 10_000.0) -> torch.Tensor:
    num_tokens, dim = x.shape
    angles = torch.arange(num_tokens).unsqueeze(1) * base ** (-torch.arange(0, dim, 2) / dim)
    cos, sin = torch.cos(angles), torch.sin(angles)  # (num_tokens, dim // 2)
    even, odd = x[:, 0::2], x[:, 1::2]
    out = torch.empty_like(x)
    out[:, 0::2] = even * cos - odd * sin
    out[:, 1::2] = even * sin + odd * cos
    return out


def shift_encoding(encoding: torch.Tensor, k: int, base: float = 10_000.0) -> torch.Tensor:
    emb_dim = encoding.shape[1]
    frequencies = base ** (-torch.arange(0, emb_dim, 2) / emb_dim)
    c, s = torch.cos(k * frequencies), torch.sin(k * frequencies)
    sin_part, cos_part = encoding[:, 0::2], encoding[:, 1::2]
    shifted = torch.empty_like(encoding)
    shifted[:, 0::2] = sin_part * c + cos_part * s
    shifted[:, 1::2] = cos_part * c - sin_part * s
    return shifted


def merged_projection(W_query: nn.Linear, W_key: nn.Linear, W_value: nn.Linear) -> nn.Linear:
    projections = (W_query, W_key, W_value)
    d_out, d_in = W_query.weight.shape
    c_attn = nn.Linear(d_in, 3 * d_out, bias=W_query.bias is not None)
    with torch.no_grad():
        c_attn.weight.copy_(torch.cat([W.weight for W in projections]))  # (3 * d_out, d_in)
        if c_attn.bias is not None:
            c_attn.bias.copy_(torch.cat([W.bias for W in projections]))
    return c_attn


def attention_weights_gib(
    batch_size: int, num_heads: int, num_tokens: int, bytes_per_number: int = 4
) -> float:
    return batch_size * num_heads * num_tokens**2 * bytes_per_number / 2**30


def batch_outputs(mha: nn.Module, sentences: list[torch.Tensor]) -> list[torch.Tensor]:
    mha.eval()  # no dropout
    longest = max(len(s) for s in sentences)
    padded = torch.stack(
        [torch.cat([s, torch.randn(longest - len(s), s.shape[1])]) for s in sentences]
    )  # (batch_size, longest, d_in): arbitrary padding after the real tokens
    out = mha(padded)  # (batch_size, longest, d_out)
    return [out[i, : len(s)] for i, s in enumerate(sentences)]


def set_dropout(model: GPTModel, emb: float, attn: float, shortcut: float) -> GPTModel:
    model.embedding.drop_emb.p = emb
    for block in model.trf_blocks:
        block.att.dropout.p = attn
        block.drop_shortcut.p = shortcut
    return model


def gpt2_parameters(vocab_size: int, context_length: int, emb_dim: int, num_layers: int) -> int:
    d = emb_dim
    per_block = 12 * d * d + 13 * d
    return num_layers * per_block + vocab_size * d + context_length * d + 2 * d


def flops_per_token(model: GPTModel, ids: torch.Tensor) -> float:
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(ids)
    return counter.get_total_flops() / ids.numel()


def left_pad(rows: list[list[int]], pad_token_id: int) -> torch.Tensor:
    longest = max(len(r) for r in rows)
    return torch.tensor([[pad_token_id] * (longest - len(r)) + r for r in rows])


def lora_parameter_count(model: nn.Module, rank: int) -> int:
    return count_trainable(apply_lora(model, rank=rank, alpha=2 * rank))


def perplexity(logits: torch.Tensor, targets: torch.Tensor) -> float:
    loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
    return math.exp(loss.item())


def temperature_probs(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    if temperature == 0:
        top = logits.argmax(dim=-1, keepdim=True)
        return torch.zeros_like(logits).scatter(-1, top, 1.0)
    return torch.softmax(logits / temperature, dim=-1)


def min_p_filter(logits: torch.Tensor, min_p: float) -> torch.Tensor:
    probas = torch.softmax(logits, dim=-1)
    threshold = min_p * probas.max(dim=-1, keepdim=True).values
    return logits.masked_fill(probas < threshold, -torch.inf)


def four_cases(
    predicted: torch.Tensor, rule: torch.Tensor, true: torch.Tensor
) -> dict[tuple[bool, bool], int]:
    model_right, rule_right = predicted == true, rule == true
    return {
        (m, r): int(((model_right == m) & (rule_right == r)).sum())
        for m in (True, False)
        for r in (True, False)
    }


def accuracy_with_and_without(
    texts: list[str], predicted: torch.Tensor, true: torch.Tensor, words
) -> tuple[float, float]:
    has_word = torch.tensor([any(word in text.lower() for word in words) for text in texts])
    right = (predicted == true).float()
    return right[has_word].mean().item(), right[~has_word].mean().item()


def right_per_family(entries: list[dict], predictions: list[str]) -> dict[str, tuple[int, int]]:
    right, total = Counter(), Counter()
    for entry, predicted in zip(entries, predictions, strict=True):
        total[task_of(entry)] += 1
        right[task_of(entry)] += exact_match(predicted, entry["output"])
    return {family: (right[family], total[family]) for family in total}


@functools.cache
def course_tokenizer():
    """The tokenizer of the course model that Chapter 7 finetunes."""
    return load_course_model(COURSE_GPT)[1]


def sample_answers(model, entry, num_samples, generator, max_new_tokens=24) -> list[str]:
    tokenizer = course_tokenizer()
    prompt_ids = torch.tensor([tokenizer.encode(format_prompt(entry))] * num_samples)
    out = generate(
        model,
        prompt_ids,
        max_new_tokens,
        temperature=1.0,
        eos_id=tokenizer.eot_id,
        generator=generator,
    )
    return [extract_response(tokenizer.decode(row)) for row in out.tolist()]


def bytes_per_token(tokenizer, text: str) -> float:
    return len(text.encode("utf-8")) / len(tokenizer.encode(text))


def reloaded_ids(text: str, sample: str, vocab_size: int, folder: Path) -> list[int]:
    with_special = BPETokenizer.train(text, vocab_size, special_tokens=("<|endoftext|>",))
    with_special.save(folder / "bpe.json")
    loaded = BPETokenizer.load(folder / "bpe.json")
    return loaded.encode(sample, allowed_special="all")


def longest_tokens(vocab: dict[int, bytes], k: int) -> list[tuple[int, bytes]]:
    return sorted(vocab.items(), key=lambda item: (-len(item[1]), item[0]))[:k]


SOLUTIONS = {
    "1.1": num_windows,
    "1.2": lowercase_vocab,
    "1.3": gpt2_pieces,
    "1.4": half_overlap_stride,
    "2.1": embedding_parameters,
    "2.2": rotary,
    "2.3": shift_encoding,
    "3.1": merged_projection,
    "3.2": attention_weights_gib,
    "3.3": batch_outputs,
    "4.1": set_dropout,
    "4.2": gpt2_parameters,
    "4.3": flops_per_token,
    "5.1": perplexity,
    "5.2": temperature_probs,
    "5.4": min_p_filter,
    "6.1": left_pad,
    "6.2": lora_parameter_count,
    "6.3": four_cases,
    "6.4": accuracy_with_and_without,
    "7.1": [[-100, 7, 0], [0, -100, -100]],
    "7.2": right_per_family,
    "7.3": sample_answers,
    "B.1": bytes_per_token,
    "B.2": reloaded_ids,
    "B.3": longest_tokens,
}


# ---- realistic wrong answers, each with the words its hint must contain -------------------


def rotary_halves(x: torch.Tensor, base: float = 10_000.0) -> torch.Tensor:
    num_tokens, dim = x.shape
    angles = torch.arange(num_tokens).unsqueeze(1) * base ** (-torch.arange(0, dim, 2) / dim)
    first, second = x[:, : dim // 2], x[:, dim // 2 :]  # the halves, not neighbours
    cos, sin = torch.cos(angles), torch.sin(angles)
    return torch.cat([first * cos - second * sin, first * sin + second * cos], dim=1)


def shift_wrong_signs(encoding: torch.Tensor, k: int, base: float = 10_000.0) -> torch.Tensor:
    emb_dim = encoding.shape[1]
    frequencies = base ** (-torch.arange(0, emb_dim, 2) / emb_dim)
    c, s = torch.cos(k * frequencies), torch.sin(k * frequencies)
    sin_part, cos_part = encoding[:, 0::2], encoding[:, 1::2]
    shifted = torch.empty_like(encoding)
    shifted[:, 0::2] = sin_part * c - cos_part * s
    shifted[:, 1::2] = cos_part * c + sin_part * s
    return shifted


def merged_without_bias(W_query: nn.Linear, W_key: nn.Linear, W_value: nn.Linear) -> nn.Linear:
    d_out, d_in = W_query.weight.shape
    c_attn = nn.Linear(d_in, 3 * d_out)  # a random bias of its own
    with torch.no_grad():
        c_attn.weight.copy_(torch.cat([W_query.weight, W_key.weight, W_value.weight]))
    return c_attn


def batch_outputs_left(mha: nn.Module, sentences: list[torch.Tensor]) -> list[torch.Tensor]:
    mha.eval()
    longest = max(len(s) for s in sentences)
    padded = torch.stack(
        [torch.cat([torch.zeros(longest - len(s), s.shape[1]), s]) for s in sentences]
    )
    out = mha(padded)
    return [out[i, longest - len(s) :] for i, s in enumerate(sentences)]


def batch_outputs_no_eval(mha: nn.Module, sentences: list[torch.Tensor]) -> list[torch.Tensor]:
    longest = max(len(s) for s in sentences)
    padded = torch.stack(
        [torch.cat([s, torch.zeros(longest - len(s), s.shape[1])]) for s in sentences]
    )
    out = mha(padded)
    return [out[i, : len(s)] for i, s in enumerate(sentences)]


def set_dropout_first_block(model: GPTModel, emb: float, attn: float, shortcut: float):
    model.embedding.drop_emb.p = emb
    model.trf_blocks[0].att.dropout.p = attn
    model.trf_blocks[0].drop_shortcut.p = shortcut
    return model


def flops_whole_pass(model: GPTModel, ids: torch.Tensor) -> float:
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(ids)
    return counter.get_total_flops()


def lora_all_parameters(model: nn.Module, rank: int) -> int:
    return sum(p.numel() for p in apply_lora(model, rank=rank, alpha=2 * rank).parameters())


def four_cases_sparse(predicted, rule, true):
    return dict(Counter(zip((predicted == true).tolist(), (rule == true).tolist(), strict=True)))


def accuracy_case_sensitive(texts, predicted, true, words):
    has_word = torch.tensor([any(word in text for word in words) for text in texts])
    right = (predicted == true).float()
    return right[has_word].mean().item(), right[~has_word].mean().item()


def right_per_family_equal(entries, predictions):
    right, total = Counter(), Counter()
    for entry, predicted in zip(entries, predictions, strict=True):
        total[task_of(entry)] += 1
        right[task_of(entry)] += predicted == entry["output"]
    return {family: (right[family], total[family]) for family in total}


def sample_answers_greedy(model, entry, num_samples, generator, max_new_tokens=24):
    tokenizer = course_tokenizer()
    prompt_ids = torch.tensor([tokenizer.encode(format_prompt(entry))] * num_samples)
    out = generate(model, prompt_ids, max_new_tokens, eos_id=tokenizer.eot_id)
    return [extract_response(tokenizer.decode(row)) for row in out.tolist()]


def reloaded_ids_plain(text, sample, vocab_size, folder):
    plain = BPETokenizer.train(text, vocab_size)
    plain.save(folder / "bpe.json")
    return BPETokenizer.load(folder / "bpe.json").encode(sample, disallowed_special=())


WRONG = {
    "1.1": (lambda n, c, s: (n - c) // s + 1, "context_length + 1 tokens"),
    "1.2": (lambda text: build_vocab(split_text(text)), "lower-case the text before"),
    "1.3": (lambda word: gpt2_encoding().encode(" " + word), "these are token ids"),
    "1.4": (lambda context_length: context_length / 2, "is a float"),
    "2.1": (lambda v, c, d: v * d, "the position table is learned too"),
    "2.2": (rotary_halves, "pair neighbouring dimensions"),
    "2.3": (shift_wrong_signs, "check the signs"),
    "3.1": (merged_without_bias, "that is a bias"),
    "3.2": (lambda b, h, n, size=4: b * h * n * n * size / 1e9, "2**30 bytes"),
    "3.3": (batch_outputs_left, "padding before the real tokens"),
    "4.1": (set_dropout_first_block, "every block has its own"),
    "4.2": (lambda v, c, d, n: gpt2_parameters(v, c, d, n) + v * d, "ties the output head"),
    "4.3": (flops_whole_pass, "divide by the number of tokens"),
    "5.1": (
        lambda logits, targets: math.exp(
            F.cross_entropy(logits.flatten(0, 1), targets.flatten(), reduction="sum").item()
        ),
        "exp of the summed loss",
    ),
    "5.2": (lambda logits, temperature: torch.softmax(logits, -1) / temperature, "before the"),
    "5.4": (
        lambda logits, min_p: logits.masked_fill(torch.softmax(logits, -1) < min_p, -torch.inf),
        "min_p is relative",
    ),
    "6.1": (
        lambda rows, pad: torch.tensor([r + [pad] * (3 - len(r)) for r in rows]),
        "that pads on the right",
    ),
    "6.2": (lora_all_parameters, "count only the parameters that train"),
    "6.3": (four_cases_sparse, "still belongs in the answer, with count 0"),
    "6.4": (accuracy_case_sensitive, "compare in lower case"),
    "7.1": ([[6, 7, 0], [0, -100, -100]], "a target that is a prompt token becomes -100"),
    "7.2": (right_per_family_equal, "forgives spacing"),
    "7.3": (sample_answers_greedy, "that is greedy decoding"),
    "B.1": (lambda tokenizer, text: len(text) / len(tokenizer.encode(text)), "not characters"),
    "B.2": (reloaded_ids_plain, "several ordinary ids"),
    "B.3": (
        lambda vocab, k: sorted(vocab.items(), key=lambda it: (-len(it[1].decode()), it[0]))[:k],
        "not in characters",
    ),
}


def cross_entropy(logits: torch.Tensor, targets: torch.Tensor, **options) -> torch.Tensor:
    return F.cross_entropy(logits.flatten(0, 1), targets.flatten(), **options)


def perplexity_per_sequence(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return torch.stack(
        [F.cross_entropy(row, t).exp() for row, t in zip(logits, targets, strict=True)]
    ).mean()


def softmax_without_max(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    if temperature == 0:
        return F.one_hot(logits.argmax(-1), logits.shape[-1]).float()
    scaled = (logits / temperature).exp()  # overflows to inf at a low temperature
    return scaled / scaled.sum(dim=-1, keepdim=True)


def greedy_from_the_largest_logit_of_all(logits: torch.Tensor, temperature: float):
    if temperature == 0:
        return (logits == logits.max()).float()
    return torch.softmax(logits / temperature, dim=-1)


def temperature_by_reciprocal(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    return torch.softmax(logits * (1 / temperature), dim=-1)  # 1 / 0 raises


# Some checks know several mistakes; each of these must fail with its own hint.
MORE_WRONG = [
    pytest.param(
        "5.1",
        lambda logits, targets: 2 ** cross_entropy(logits, targets).item(),
        "in bits",
        id="5.1-log2",
    ),
    pytest.param(
        "5.1",
        lambda logits, targets: cross_entropy(logits, targets).item(),
        "the loss itself",
        id="5.1-loss",
    ),
    pytest.param(
        "5.1",
        lambda logits, targets: math.exp(-cross_entropy(logits, targets).item()),
        "exp(-loss)",
        id="5.1-minus",
    ),
    pytest.param("5.1", perplexity_per_sequence, "take exp once", id="5.1-per-sequence"),
    pytest.param(
        "5.1",
        lambda logits, targets: math.exp(cross_entropy(torch.softmax(logits, -1), targets).item()),
        "applies the softmax itself",
        id="5.1-softmax-first",
    ),
    pytest.param(
        "5.1",
        lambda logits, targets: math.exp(cross_entropy(logits[:, :-1], targets[:, 1:]).item()),
        "without shifting again",
        id="5.1-shifted",
    ),
    pytest.param(
        "5.1",
        lambda logits, targets: math.exp(F.cross_entropy(logits, targets).item()),
        "flatten both first",
        id="5.1-not-flattened",
    ),
    pytest.param(
        "5.2",
        lambda logits, temp: torch.softmax(logits * temp, -1),
        "not multiply",
        id="5.2-multiply",
    ),
    pytest.param(
        "5.2",
        lambda logits, temp: torch.softmax(torch.softmax(logits, -1) / temp, -1),
        "not the probabilities",
        id="5.2-probabilities-divided",
    ),
    pytest.param("5.2", lambda logits, temp: logits / temp, "not logits", id="5.2-no-softmax"),
    pytest.param(
        "5.2",
        lambda logits, temp: torch.softmax(logits / temp, 0),
        "the last dimension",
        id="5.2-softmax-dim-0",
    ),
    pytest.param("5.2", softmax_without_max, "overflowed", id="5.2-overflow"),
    pytest.param(
        "5.2",
        lambda logits, temp: torch.softmax(logits / temp, -1),
        "temperature 0 is greedy",
        id="5.2-zero",
    ),
    pytest.param(
        "5.2", greedy_from_the_largest_logit_of_all, "its own top token", id="5.2-zero-global-max"
    ),
    pytest.param(
        "5.2", temperature_by_reciprocal, "instead of dividing by 0", id="5.2-zero-raises"
    ),
]


def stub(*args):
    """The learner fills this in."""
    ...


def check_output(capsys, exercise_id: str, answer) -> str:
    check_exercise(exercise_id, answer)
    return capsys.readouterr().out


def test_every_exercise_has_a_solution_and_a_wrong_answer_here():
    assert set(SOLUTIONS) == set(EXERCISES) == set(WRONG)


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_the_worked_solution_passes(capsys, exercise_id):
    out = check_output(capsys, exercise_id, SOLUTIONS[exercise_id])
    assert re.fullmatch(rf"Exercise {re.escape(exercise_id)}: passes (\d+) of \1 checks\n", out)


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_a_real_mistake_fails_with_its_hint(capsys, exercise_id):
    answer, hint = WRONG[exercise_id]
    out = check_output(capsys, exercise_id, answer)
    assert re.match(rf"Exercise {re.escape(exercise_id)}: check \d+ of \d+ fails\n", out), out
    for label in ("input:", "expected:", "got:", "hint:"):
        assert f"  {label}" in out
    assert hint in " ".join(out.split()), out


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_the_untouched_stub_is_not_attempted_yet(capsys, exercise_id):
    answer = None if EXERCISES[exercise_id].wants == "value" else stub
    assert (
        check_output(capsys, exercise_id, answer) == f"Exercise {exercise_id}: not attempted yet\n"
    )


@pytest.mark.parametrize("exercise_id,answer,hint", MORE_WRONG)
def test_more_real_mistakes_fail_with_their_hints(capsys, exercise_id, answer, hint):
    out = check_output(capsys, exercise_id, answer)
    assert re.match(rf"Exercise {re.escape(exercise_id)}: check \d+ of \d+ fails\n", out), out
    assert hint in " ".join(out.split()), out


def test_a_function_that_returns_a_constant_is_not_a_stub(capsys):
    def returns_zero(n, context_length, stride):
        """Not a stub: it returns 0."""
        return 0

    assert "check 1 of" in check_output(capsys, "1.1", returns_zero)


def test_a_missing_return_is_pointed_out(capsys):
    def forgets_return(n, context_length, stride):
        windows = (n - context_length - 1) // stride + 1  # noqa: F841

    assert "does it end with `return" in check_output(capsys, "1.1", forgets_return)


def test_an_error_in_the_answer_is_reported_not_raised(capsys):
    def raises(n, context_length, stride):
        raise KeyError("oops")

    out = check_output(capsys, "1.1", raises)
    assert "got:      KeyError: 'oops'" in out


def test_the_expected_answer_of_a_by_hand_exercise_is_not_printed(capsys):
    out = check_output(capsys, "7.1", [[-100, 7, -100], [0, -100, -100]])
    assert "first end-of-text stays" in out
    assert "[-100, 7, 0]" not in out


def test_a_check_leaves_the_global_random_state_alone():
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    check_exercise("2.2", rotary)
    assert torch.equal(torch.rand(3), expected)


def test_unknown_ids_and_non_functions_are_refused_clearly():
    with pytest.raises(ValueError, match=r"no exercise '9.9'; known ones: 1\.1, 1\.2"):
        check_exercise("9.9", num_windows)
    with pytest.raises(TypeError, match="pass the function itself"):
        check_exercise("1.1", num_windows(10, 4, 1))
    with pytest.raises(TypeError, match="exercise_id must be a str"):
        check_exercise(1.1, num_windows)


def test_every_check_has_a_your_turn_cell_and_a_solution_that_calls_it():
    """Each registered exercise is called twice: in the learner's stub and in the solution."""
    notebooks = sorted(Path(__file__).resolve().parents[1].glob("notebooks/*.ipynb"))
    calls: dict[str, list[bool]] = {}  # exercise id -> for each call, is it in a solution cell?
    for path in notebooks:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            for found in re.findall(r'check_exercise\("([0-9B]+\.[0-9]+)"', source):
                calls.setdefault(found, []).append(source.startswith("# @title Solution"))
    for exercise_id in EXERCISES:
        assert sorted(calls.get(exercise_id, [])) == [False, True], exercise_id
