"""Checks for the chapters' exercises: your code runs on several cases, and a hint says what is off.

An exercise that asks for code or a number has a "your turn" cell: a stub to fill in (a function
whose body is ``...``, or a variable set to ``None``), then ``check_exercise("3.1", my_answer)``.
The check runs the answer on several cases, small ones first, and compares each result with an
independent reference (PyTorch, tiktoken, or the definition computed another way). It prints
one pass line, or the first failing case: its input, what was expected, what came back, and a
hint that recognises the common mistakes (a missing bias, padding on the wrong side, ...). An
untouched stub prints "not attempted yet". An error raised by the answer is reported, never
raised. Nothing here downloads anything or needs a GPU, and the global random state is left as
it was.

Adding a check: write a function that returns a list of ``Case`` and register it with
``@exercise("5.4")`` (``_check_1_1`` is the pattern). A ``Case`` lists the wrong results that
known mistakes give on its input, each with its hint; ``judge`` replaces the comparison where a
property, not a value, is checked (``_check_7_3``); an answer that is a value worked out by
hand, not a function, is registered with ``wants="value"`` (``_check_7_1``).
"""

import functools
import heapq
import math
import numbers
import re
import tempfile
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from helpers.attention import MultiHeadAttention
from helpers.bpe import BPETokenizer
from helpers.checkpoints import load_course_model
from helpers.classification import build_classifier
from helpers.corpora.instruction_data import TEST_FILE, read_instructions, task_of
from helpers.data import read_corpus
from helpers.gpt import GPTConfig, GPTModel
from helpers.tokenizers import build_vocab, gpt2_encoding, split_text


@dataclass(frozen=True)
class Case:
    """One input a check tries: how to run the answer on it, what a right answer gives, hints."""

    shows: str  # the input, written as the learner would call it
    run: Callable[[Any], Any]  # runs the answer (a function, or a value) on this input
    expected: Any  # what a right answer gives, from an independent reference
    hint: str  # when the result differs and no known mistake explains it
    mistakes: Sequence[tuple[Any, str]] = ()  # (what a known wrong idea gives here, its hint)
    judge: Callable[[Any, Any], str | None] | None = None  # (got, expected) -> hint, None if right
    shows_expected: str | None = None  # printed instead of expected where that gives it away
    on_error: str | None = None  # hint when the answer raises (default: hint)
    tol: float = 1e-4  # absolute and relative tolerance for float tensors


@dataclass(frozen=True)
class _Exercise:
    cases: Callable[[], list[Case]]  # builds the cases (references are computed here)
    wants: str  # "function" (the stub is a def) or "value" (the stub is a variable)


EXERCISES: dict[str, _Exercise] = {}


def exercise(exercise_id: str, wants: str = "function") -> Callable:
    """Register the function that builds an exercise's cases: @exercise("5.4")."""
    if wants not in ("function", "value"):
        raise ValueError(f"wants must be 'function' or 'value', got {wants!r}")

    def register(build: Callable[[], list[Case]]) -> Callable[[], list[Case]]:
        EXERCISES[exercise_id] = _Exercise(build, wants)
        return build

    return register


def check_exercise(exercise_id: str, answer: Any) -> None:
    """Run an exercise's cases on your answer; print a pass line, or the first failing case."""
    if not isinstance(exercise_id, str):
        raise TypeError(f"exercise_id must be a str such as '3.1', got {exercise_id!r}")
    if exercise_id not in EXERCISES:
        raise ValueError(
            f"there is no exercise {exercise_id!r}; known ones: {', '.join(sorted(EXERCISES))}"
        )
    found = EXERCISES[exercise_id]
    if _untouched(answer):
        print(f"Exercise {exercise_id}: not attempted yet")
        return
    if found.wants == "function" and not callable(answer):
        raise TypeError(
            f"exercise {exercise_id} checks a function: pass the function itself, as in "
            f"check_exercise({exercise_id!r}, my_function), not a {type(answer).__name__}"
        )
    with torch.random.fork_rng(devices=[]):  # the learner's global random state stays as it was
        torch.manual_seed(0)
        cases = found.cases()
        failure = _first_failure(cases, answer)
    if failure is None:
        print(f"Exercise {exercise_id}: passes {len(cases)} of {len(cases)} checks")
    else:
        print(_report(exercise_id, cases, *failure))


# ---- running and judging -------------------------------------------------------------------


def _stub(): ...


def _stub_with_docstring():
    """An untouched stub."""
    ...


_STUB_BYTECODE = {_stub.__code__.co_code, _stub_with_docstring.__code__.co_code}


def _untouched(answer: Any) -> bool:
    """None, or a function whose body is still only a docstring and `...`."""
    code = getattr(answer, "__code__", None)
    if answer is None:
        return True
    if code is None or code.co_code not in _STUB_BYTECODE:
        return False
    return all(c is None or c == answer.__doc__ for c in code.co_consts)  # `return 0` is not a stub


def _first_failure(cases: list[Case], answer: Any) -> tuple[int, str, str] | None:
    """(case number, what came back, hint) for the first case the answer fails, or None."""
    for number, case in enumerate(cases, 1):
        try:
            got = case.run(answer)
        except Exception as error:  # the learner's code: report it, never raise it
            return number, f"{type(error).__name__}: {error}", case.on_error or case.hint
        if got is None:
            return number, "None", "the function returned None: does it end with `return ...`?"
        try:
            hint = _judge(case, got)
        except Exception as error:
            hint = f"the result could not be compared ({type(error).__name__}). {case.hint}"
        if hint is not None:
            return number, _show(got), hint
    return None


def _judge(case: Case, got: Any) -> str | None:
    if case.judge is not None:
        return case.judge(got, case.expected)
    difference = _difference(got, case.expected, case.tol)
    if difference is None:
        return None
    for wrong, hint in case.mistakes:
        if _difference(got, wrong, case.tol) is None:
            return hint
    return f"{difference}; {case.hint}" if difference else case.hint


def _difference(got: Any, expected: Any, tol: float) -> str | None:
    """None if got matches expected; else "" (other values) or what differs in kind or shape."""
    if isinstance(expected, torch.Tensor):
        return _tensor_difference(got, expected, tol)
    if isinstance(got, torch.Tensor) and got.numel() == 1 and not isinstance(expected, list):
        got = got.item()  # a count or a share held in a one-element tensor
    if isinstance(expected, bool):
        return None if isinstance(got, bool) and got == expected else ""
    if isinstance(expected, int):
        if isinstance(got, numbers.Integral) and not isinstance(got, bool):
            return None if got == expected else ""
        if isinstance(got, float):
            return f"{got!r} is a float; the answer is a whole number (an int)"
        return f"{_a(type(got))} came back, not an int"
    if isinstance(expected, float):
        if not isinstance(got, numbers.Real) or isinstance(got, bool):
            return f"{_a(type(got))} came back, not a number"
        return None if math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-12) else ""
    if isinstance(expected, list | tuple):
        return _sequence_difference(got, expected, tol)
    if isinstance(expected, dict):
        return _dict_difference(got, expected, tol)
    if type(got) is not type(expected):
        return f"{_a(type(got))} came back, not {_a(type(expected))}"
    return None if got == expected else ""


def _tensor_difference(got: Any, expected: torch.Tensor, tol: float) -> str | None:
    if not isinstance(got, torch.Tensor):
        return f"{_a(type(got))} came back, not a torch.Tensor"
    if got.shape != expected.shape:
        return f"shape {tuple(got.shape)}, expected {tuple(expected.shape)}"
    if got.is_floating_point() != expected.is_floating_point():
        return f"dtype {got.dtype}, expected {expected.dtype}"
    got = got.detach()
    if not expected.is_floating_point():
        return None if torch.equal(got, expected) else ""
    close = torch.allclose(got.double(), expected.double(), rtol=tol, atol=tol)
    return None if close else ""


def _sequence_difference(got: Any, expected: Sequence, tol: float) -> str | None:
    if not isinstance(got, list | tuple):
        return f"{_a(type(got))} came back, not {_a(type(expected))}"
    if len(got) != len(expected):
        return f"{len(got)} items, expected {len(expected)}"
    found = [_difference(g, e, tol) for g, e in zip(got, expected, strict=True)]
    structural = [(i, d) for i, d in enumerate(found) if d]
    if structural:
        return f"item {structural[0][0]}: {structural[0][1]}"
    return None if all(d is None for d in found) else ""


def _dict_difference(got: Any, expected: dict, tol: float) -> str | None:
    if not isinstance(got, dict):
        return f"{_a(type(got))} came back, not a dict"
    missing = [k for k in expected if k not in got]
    extra = [k for k in got if k not in expected]
    if missing or extra:
        parts = [f"missing keys {missing[:4]}" if missing else "", f"extra keys {extra[:4]}"]
        return "; ".join(p for p in parts if p and not p.endswith("[]"))
    return _sequence_difference([got[k] for k in expected], list(expected.values()), tol)


def _show(value: Any) -> str:
    """A short, rounded, deterministic picture of a value for the report."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu()
        shown = value.double().round(decimals=4) if value.is_floating_point() else value
        if value.numel() <= 24:
            return f"tensor of shape {tuple(value.shape)}: {shown.tolist()}"
        return f"tensor of shape {tuple(value.shape)}, first values {shown.flatten()[:6].tolist()}"
    if isinstance(value, float):
        text = f"{value:.6g}"
        return text if any(c in text for c in ".en") else text + ".0"  # 4.0 shows as a float
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, list | tuple) and any(isinstance(v, torch.Tensor) for v in value):
        return "[" + ", ".join(_show(v) for v in value[:4]) + (", ...]" if len(value) > 4 else "]")
    text = repr(_rounded(value))
    return text if len(text) <= 300 else text[:300] + " ..."


def _rounded(value: Any) -> Any:
    """Floats inside lists, tuples and dicts rounded to 4 decimals, for printing."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, list | tuple):
        return type(value)(_rounded(v) for v in value)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def _a(kind: type) -> str:
    """'an int', 'a list': the article and the name of a type."""
    name = kind.__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _report(exercise_id: str, cases: list[Case], number: int, got: str, hint: str) -> str:
    case = cases[number - 1]
    expected = case.shows_expected or _show(case.expected)
    got = got if len(got) <= 300 else got[:300] + " ..."
    lines = [f"Exercise {exercise_id}: check {number} of {len(cases)} fails"]
    for label, text in [
        ("input", case.shows),
        ("expected", expected),
        ("got", got),
        ("hint", hint),
    ]:
        wrapped = textwrap.wrap(text, width=86, break_long_words=False) or [""]
        lines += [f"  {label + ':':9} {wrapped[0]}"] + [f"{'':12}{line}" for line in wrapped[1:]]
    return "\n".join(lines)


def _call(*args: Any) -> Callable[[Callable], Any]:
    """Run the answer with these arguments: Case(run=_call(10, 4, 1), ...)."""
    return lambda answer: answer(*args)


def _seeded(seed: int, *shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


# ---- Chapter 1: text data -------------------------------------------------------------------


@exercise("1.1")
def _check_1_1() -> list[Case]:
    """num_windows(n, context_length, stride): the (input, target) windows GPTDataset makes."""
    cases = []
    for n, context_length, stride in [
        (10, 4, 1),
        (10, 4, 4),
        (20, 4, 7),
        (5, 4, 1),
        (4, 4, 2),
        (7_941, 256, 128),
    ]:
        fits = sum(1 for start in range(0, n, stride) if start + context_length + 1 <= n)
        mistakes = [
            (
                (n - context_length) // stride + 1,
                "a window needs context_length + 1 tokens: the inputs, plus one more token for "
                "the last target",
            ),
            ((n - context_length - 1) // stride, "count the window that starts at 0 too"),
        ]
        cases.append(
            Case(
                f"num_windows(n={n}, context_length={context_length}, stride={stride})",
                _call(n, context_length, stride),
                fits,
                "list the start positions 0, stride, 2 * stride, ... and keep the ones whose "
                "window (inputs and targets) still fits in n tokens",
                mistakes,
            )
        )
    return cases


def _vocab_of(tokens: list[str]) -> dict[str, int]:
    return {token: i for i, token in enumerate(sorted(set(tokens)))}


@exercise("1.2")
def _check_1_2() -> list[Case]:
    """lowercase_vocab(text): the vocabulary of the lower-cased text."""
    cases = []
    for text in ["The cat saw the Cat.", "Mara's boat, MARA'S BOAT!", "", read_corpus()]:
        shows = repr(text) if len(text) < 40 else "the story (text)"
        mistakes = [
            (
                _vocab_of(split_text(text)),
                "'The' and 'the' still have ids of their own: lower-case the text before you "
                "split it",
            ),
            (
                {w.lower(): i for w, i in _vocab_of(split_text(text)).items()},
                "lower-casing the finished vocabulary keeps its old ids, with gaps: build a new "
                "vocabulary from the lower-cased tokens",
            ),
            (
                _vocab_of(text.lower().split()),
                "split the text with split_text, which separates punctuation from words; "
                "str.split() keeps 'cat.' whole",
            ),
        ]
        cases.append(
            Case(
                f"lowercase_vocab({shows})",
                _call(text),
                build_vocab(split_text(text.lower())),
                "the vocabulary maps each distinct token of the lower-cased text to an id, "
                "numbered 0, 1, 2, ... in sorted order (build_vocab does that)",
                mistakes,
            )
        )
    return cases


@exercise("1.3")
def _check_1_3() -> list[Case]:
    """gpt2_pieces(word): the pieces GPT-2 cuts a word into inside a sentence."""
    encoding = gpt2_encoding()
    cases = []
    for word in ["the", "grandmother", "Quillwort", "silver-tipped", "great-great-grandmother"]:
        ids = encoding.encode(" " + word)
        pieces = [encoding.decode_single_token_bytes(i).decode("utf-8", "replace") for i in ids]
        bare = [encoding.decode([i]) for i in encoding.encode(word)]
        mistakes = [
            (
                bare,
                "inside a sentence a word comes after a space, and GPT-2's tokens carry that "
                "space: look at ' ' + word",
            ),
            (ids, "these are token ids; decode each id on its own to see the piece it stands for"),
            (
                [encoding.decode(ids)],
                "decode each id by itself: decoding the whole list at once joins the pieces back "
                "into the word",
            ),
        ]
        cases.append(
            Case(
                f"gpt2_pieces({word!r})",
                _call(word),
                pieces,
                "encode the word as it appears in a sentence, then decode each id separately "
                "into its text piece",
                mistakes,
            )
        )
    return cases


@exercise("1.4")
def _check_1_4() -> list[Case]:
    """half_overlap_stride(context_length): the stride whose windows overlap by half."""
    cases = []
    for context_length in [8, 4, 256, 2]:
        mistakes = [
            (context_length, "with stride = context_length the windows touch but share nothing"),
            (context_length // 4, "that stride makes the windows share three quarters"),
        ]
        cases.append(
            Case(
                f"half_overlap_stride({context_length})",
                _call(context_length),
                context_length // 2,
                "row 1 starts stride tokens after row 0; for half the tokens to be shared, it "
                "starts half way through row 0",
                mistakes,
            )
        )
    return cases


# ---- Chapter 2: embeddings -----------------------------------------------------------------


@exercise("2.1")
def _check_2_1() -> list[Case]:
    """embedding_parameters(vocab_size, context_length, emb_dim): both tables' parameters."""
    cases = []
    for vocab_size, context_length, emb_dim in [
        (10, 4, 3),
        (1, 1, 1),
        (50_257, 1_024, 768),
        (50_257, 1_024, 1_600),
    ]:
        with torch.device("meta"):  # shapes only: no memory, no random numbers
            tables = nn.Embedding(vocab_size, emb_dim), nn.Embedding(context_length, emb_dim)
        counted = sum(p.numel() for table in tables for p in table.parameters())
        mistakes = [
            (vocab_size * emb_dim, "the position table is learned too: one vector per position"),
            (vocab_size + context_length, "each row of a table is a vector of emb_dim numbers"),
            (vocab_size * emb_dim + context_length, "each position's row has emb_dim numbers"),
        ]
        cases.append(
            Case(
                f"embedding_parameters({vocab_size:_}, {context_length:_}, {emb_dim:_})",
                _call(vocab_size, context_length, emb_dim),
                counted,
                "count the numbers in both tables, rows times columns each",
                mistakes,
            )
        )
    return cases


def _rotate_pairs(
    x: torch.Tensor,
    base: float,
    *,
    halves: bool = False,
    sign: float = 1.0,
    pair_step: int = 2,
    first_position: int = 0,
) -> torch.Tensor:
    """Rotary embedding via complex numbers; the keyword arguments give known wrong versions."""
    num_tokens, dim = x.shape
    x = x.double()
    first, second = (x[:, : dim // 2], x[:, dim // 2 :]) if halves else (x[:, 0::2], x[:, 1::2])
    positions = torch.arange(first_position, first_position + num_tokens, dtype=torch.float64)
    pair = torch.arange(dim // 2, dtype=torch.float64)
    angles = sign * torch.outer(positions, base ** (-pair_step * pair / dim))
    rotated = torch.complex(first, second) * torch.polar(torch.ones_like(angles), angles)
    out = torch.empty_like(x)
    if halves:
        out[:, : dim // 2], out[:, dim // 2 :] = rotated.real, rotated.imag
    else:
        out[:, 0::2], out[:, 1::2] = rotated.real, rotated.imag
    return out.float()


def _rotary_mistakes(x: torch.Tensor, base: float) -> list[tuple[torch.Tensor, str]]:
    return [
        (
            _rotate_pairs(x, base, halves=True),
            "pair neighbouring dimensions (0, 1), (2, 3), ..., not the first half with the "
            "second half",
        ),
        (
            _rotate_pairs(x, base, sign=-1.0),
            "that rotates the other way: (a, b) turned by an angle t is "
            "(a cos t - b sin t, a sin t + b cos t)",
        ),
        (
            _rotate_pairs(x, base, pair_step=1),
            "pair i's exponent is -2i / dim: i counts pairs, and 2i is the pair's first dimension",
        ),
        (_rotate_pairs(x, base, first_position=1), "the first token is at position 0: unrotated"),
    ]


@exercise("2.2")
def _check_2_2() -> list[Case]:
    """rotary(x, base): rotate each pair of dimensions by position * base ** (-2i / dim)."""
    hint = (
        "row m, pair (2i, 2i + 1) turns by the angle m * base ** (-2i / dim); try "
        "x = torch.tensor([[1.0, 0.0]] * 3) by hand: row m should become (cos m, sin m)"
    )
    cases = []
    for shows, x, base in [
        ("torch.tensor([[1.0, 0.0]] * 3)", torch.tensor([[1.0, 0.0]] * 3), 10_000.0),
        ("torch.randn(5, 4)", _seeded(1, 5, 4), 10_000.0),
        ("torch.randn(6, 8), base=100.0", _seeded(2, 6, 8), 100.0),
        ("torch.randn(1, 6): one token", _seeded(3, 1, 6), 10_000.0),
    ]:
        run = lambda answer, x=x, base=base: answer(x.clone(), base)
        cases.append(
            Case(f"rotary({shows})", run, _rotate_pairs(x, base), hint, _rotary_mistakes(x, base))
        )
    return [*cases, _rotary_scores_case(), _rotary_input_case()]


def _rotary_scores_case() -> Case:
    """The property the exercise names: a score depends on m - n only."""
    q, k = _seeded(4, 8).expand(10, 8), _seeded(5, 8).expand(10, 8)
    pairs = [(2, 0), (7, 5), (9, 7)]

    def scores(rotate: Callable) -> torch.Tensor:
        rotated_q, rotated_k = rotate(q.clone()), rotate(k.clone())
        return torch.stack([rotated_q[m] @ rotated_k[n] for m, n in pairs])

    return Case(
        f"rotary(q)[m] @ rotary(k)[n] for (m, n) in {pairs}",
        scores,
        scores(lambda x: _rotate_pairs(x, 10_000.0)),
        "with the right rotation, the score depends only on m - n: all three are equal",
    )


def _rotary_input_case() -> Case:
    def leaves_input(answer: Callable) -> bool:
        x = _seeded(6, 4, 6)
        answer(x)
        return torch.equal(x, _seeded(6, 4, 6))

    return Case(
        "x after rotary(x): left unchanged",
        leaves_input,
        True,
        "rotary changed its input x in place: write the result into a new tensor",
    )


def _sinusoids(positions: torch.Tensor, emb_dim: int, base: float) -> torch.Tensor:
    """Sinusoidal encodings of the given positions: (len(positions), emb_dim)."""
    pair = torch.arange(emb_dim // 2, dtype=torch.float64)
    angles = torch.outer(positions.double(), base ** (-2 * pair / emb_dim))
    out = torch.empty(len(positions), emb_dim, dtype=torch.float64)
    out[:, 0::2], out[:, 1::2] = torch.sin(angles), torch.cos(angles)
    return out.float()


def _shift_mistakes(encoding: torch.Tensor, k: int, base: float) -> list[tuple[Any, str]]:
    """What rotating the wrong way, by the wrong frequencies, or rolling rows gives."""
    num_positions, emb_dim = encoding.shape
    angle = k * base ** (-torch.arange(emb_dim // 2, dtype=torch.float64) / emb_dim)
    sin_part, cos_part = encoding[:, 0::2].double(), encoding[:, 1::2].double()
    by_pair_index = torch.empty_like(encoding)  # frequencies from i, not 2i
    by_pair_index[:, 0::2] = (sin_part * angle.cos() + cos_part * angle.sin()).float()
    by_pair_index[:, 1::2] = (cos_part * angle.cos() - sin_part * angle.sin()).float()
    backwards = _sinusoids(torch.arange(num_positions) - k, emb_dim, base)
    return [
        (
            backwards,
            "that moved every row k positions back: check the signs against sin(a + b) and "
            "cos(a + b)",
        ),
        (by_pair_index, "pair i's frequency is base ** (-2i / emb_dim), as in the encoding"),
        (
            torch.roll(encoding, -k, dims=0),
            "rows past the end came back from the start: compute every row from its own "
            "values, by a rotation",
        ),
    ]


@exercise("2.3")
def _check_2_3() -> list[Case]:
    """shift_encoding(encoding, k, base): rotate each row's pairs by k positions' angle."""
    hint = (
        "pair i of a row holds (sin a, cos a) with a = pos * frequency_i; moving k positions "
        "adds b = k * frequency_i to a: use sin(a + b) = sin a cos b + cos a sin b and "
        "cos(a + b) = cos a cos b - sin a sin b"
    )
    cases = []
    for num_positions, emb_dim, k, base in [
        (4, 2, 1, 10_000.0),
        (64, 32, 5, 10_000.0),
        (6, 4, 0, 10_000.0),
        (10, 8, 100, 10_000.0),
        (8, 4, 3, 100.0),
    ]:
        positions = torch.arange(num_positions)
        encoding = _sinusoids(positions, emb_dim, base)
        cases.append(
            Case(
                f"shift_encoding(encoding, k={k}, base={base}) with encoding = "
                f"sinusoidal_encoding({num_positions}, {emb_dim}, base={base})",
                lambda answer, encoding=encoding, k=k, base=base: answer(encoding.clone(), k, base),
                _sinusoids(positions + k, emb_dim, base),
                hint,
                _shift_mistakes(encoding, k, base),
            )
        )
    return cases


# ---- Chapter 3: attention --------------------------------------------------------------------


def _projections(seed: int, d_in: int, d_out: int, bias: bool) -> tuple[nn.Linear, ...]:
    torch.manual_seed(seed)
    return tuple(nn.Linear(d_in, d_out, bias=bias) for _ in range(3))


def _judge_merged(got: torch.Tensor, expected: tuple[torch.Tensor, torch.Tensor]) -> str | None:
    """got: the merged layer's output; expected: (queries|keys|values, keys|queries|values)."""
    right, swapped = expected
    difference = _tensor_difference(got, right, 1e-5)
    if difference is None:
        return None
    if difference:
        return (
            f"{difference}: the merged layer maps d_in numbers to 3 * d_out; its weight is "
            "(3 * d_out, d_in), the three weights stacked along dim 0"
        )
    if _tensor_difference(got, swapped, 1e-5) is None:
        return "the parts come out in the order query, key, value: stack them in that order"
    offset = (got - right).detach().reshape(-1, right.shape[-1])
    if torch.allclose(offset, offset[:1].expand_as(offset), atol=1e-5):
        return (
            "the outputs are off by the same vector for every token: that is a bias; give the "
            "merged layer the three biases, or none when the projections have none"
        )
    return "stack the three weight matrices (and biases) so the output splits into q, k, v"


@exercise("3.1")
def _check_3_1() -> list[Case]:
    """merged_projection(W_query, W_key, W_value): one nn.Linear for all three projections."""
    cases = []
    for seed, d_in, d_out, bias, x_shape in [
        (1, 3, 2, True, (6, 3)),
        (2, 16, 8, True, (2, 5, 16)),
        (3, 16, 8, False, (2, 5, 16)),
    ]:
        layers = _projections(seed, d_in, d_out, bias)
        x = _seeded(seed, *x_shape)
        with torch.no_grad():
            q, k, v = (layer(x) for layer in layers)
        cases.append(
            Case(
                f"merged_projection(W_query, W_key, W_value)(x): nn.Linear({d_in}, {d_out}, "
                f"bias={bias}) each, x of shape {x_shape}",
                lambda answer, layers=layers, x=x: answer(*layers)(x),
                (torch.cat([q, k, v], dim=-1), torch.cat([k, q, v], dim=-1)),
                "",
                judge=_judge_merged,
                shows_expected="the queries, keys and values side by side, shape "
                f"{(*x_shape[:-1], 3 * d_out)}",
                on_error="merged_projection returns one nn.Linear that can be called on x",
            )
        )
    layers = _projections(4, 16, 8, True)
    describe = lambda m: (type(m).__name__, m.in_features, m.out_features)
    cases.append(
        Case(
            "merged_projection(W_query, W_key, W_value) with nn.Linear(16, 8) each",
            lambda answer: describe(answer(*layers)),
            ("Linear", 16, 24),
            "GPT-2's c_attn is one nn.Linear(d_in, 3 * d_out)",
        )
    )
    return cases


@exercise("3.2")
def _check_3_2() -> list[Case]:
    """attention_weights_gib(batch_size, num_heads, num_tokens, bytes_per_number): memory."""
    dtypes = {4: torch.float32, 2: torch.bfloat16, 8: torch.float64}
    cases = []
    for batch_size, num_heads, num_tokens, size in [
        (2, 3, 5, 4),
        (8, 12, 1_024, 4),
        (8, 12, 4_096, 4),
        (2, 12, 1_024, 2),
        (1, 1, 1, 4),
    ]:
        shape = (batch_size, num_heads, num_tokens, num_tokens)
        weights = torch.empty(shape, dtype=dtypes[size], device="meta")  # no memory used
        gib = weights.numel() * weights.element_size() / 2**30
        mistakes = [
            (gib / num_tokens, "there is one weight per pair of tokens: num_tokens x num_tokens"),
            (gib * 2**30 / 1e9, "a GiB is 2**30 bytes (1e9 bytes is a GB)"),
            (gib / size, f"each number takes {size} bytes"),
            (gib / num_heads, "every head has its own weights"),
            (gib / batch_size, "every sequence of the batch has its own weights"),
        ]
        cases.append(
            Case(
                f"attention_weights_gib({batch_size}, {num_heads}, {num_tokens:_}, "
                f"bytes_per_number={size})",
                _call(batch_size, num_heads, num_tokens, size),
                gib,
                "count the numbers (one per sequence, head, query token and key token), times "
                "bytes per number, then convert bytes to GiB",
                [(w, h) for w, h in mistakes if not math.isclose(w, gib)],
            )
        )
    return cases


def _attention_alone(mha: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Causal multi-head attention of one sentence (num_tokens, d_in), dropout off, via SDPA."""
    num_tokens = x.shape[0]
    num_heads, head_dim = mha.num_heads, mha.d_out // mha.num_heads
    with torch.no_grad():
        q, k, v = (
            W(x).view(num_tokens, num_heads, head_dim).transpose(0, 1)  # (num_heads, n, head_dim)
            for W in (mha.W_query, mha.W_key, mha.W_value)
        )
        context_vec = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return mha.out_proj(context_vec.transpose(0, 1).reshape(num_tokens, mha.d_out))


def _left_padded(mha: nn.Module, sentences: list[torch.Tensor]) -> list[torch.Tensor]:
    """What padding with zeros at the front gives: the known mistake."""
    longest = max(len(s) for s in sentences)
    rows = [torch.cat([torch.zeros(longest - len(s), s.shape[1]), s]) for s in sentences]
    out = torch.stack([_attention_alone(mha, row) for row in rows])
    return [out[i, longest - len(s) :] for i, s in enumerate(sentences)]


@exercise("3.3")
def _check_3_3() -> list[Case]:
    """batch_outputs(mha, sentences): pad at the end, run as one batch, keep the real positions."""
    left_hint = (
        "padding before the real tokens changes them: the causal mask lets every later "
        "position see it"
    )
    cases = []
    for seed, d_in, d_out, lengths, dropout in [
        (1, 3, 4, [2, 4], 0.0),
        (2, 8, 8, [1, 5, 3], 0.0),
        (3, 8, 8, [4], 0.0),
        (4, 8, 8, [4, 4], 0.0),
        (5, 8, 8, [3, 6], 0.5),
    ]:
        torch.manual_seed(seed)
        mha = MultiHeadAttention(d_in, d_out, 8, dropout, num_heads=2)  # left in training mode
        sentences = [_seeded(seed * 10 + i, n, d_in) for i, n in enumerate(lengths)]
        hint = (
            "each sentence's outputs must equal what it gives run alone: pad after the real "
            "tokens, and return only the real positions, (its num_tokens, d_out) each"
        )
        if dropout:
            hint = "mha is in training mode with dropout: the exercise runs it in eval mode"
        cases.append(
            Case(
                f"batch_outputs(mha, sentences): sentences of {lengths} tokens, d_in={d_in}, "
                f"num_heads=2, dropout={dropout}",
                lambda answer, mha=mha, s=sentences: answer(mha, [x.clone() for x in s]),
                [_attention_alone(mha, s) for s in sentences],
                hint,
                [(_left_padded(mha, sentences), left_hint)] if len(set(lengths)) > 1 else [],
            )
        )
    return cases


# ---- Chapter 4: the GPT model --------------------------------------------------------------


def _tiny_config(num_layers: int = 2, drop_rate: float = 0.0, vocab_size: int = 50) -> GPTConfig:
    return GPTConfig(
        vocab_size=vocab_size,
        context_length=16,
        emb_dim=16,
        num_heads=2,
        num_layers=num_layers,
        drop_rate=drop_rate,
    )


def _dropout_rates(model: nn.Module) -> dict[str, float]:
    return {name: m.p for name, m in model.named_modules() if isinstance(m, nn.Dropout)}


def _rates_by_role(names: list[str], emb: float, attn: float, shortcut: float) -> dict:
    """The p each nn.Dropout should have, from its name: drop_emb, att.dropout, drop_shortcut."""
    roles = {"drop_emb": emb, "dropout": attn, "drop_shortcut": shortcut}
    return {name: roles[name.rsplit(".", 1)[-1]] for name in names}


@exercise("4.1")
def _check_4_1() -> list[Case]:
    """set_dropout(model, emb, attn, shortcut): three dropout rates in a built model."""
    cases = []
    for num_layers, emb, attn, shortcut in [
        (2, 0.1, 0.0, 0.2),
        (3, 0.0, 0.3, 0.05),
        (1, 0.0, 0.0, 0.0),
    ]:
        cfg = _tiny_config(num_layers, drop_rate=0.5)
        before = _dropout_rates(GPTModel(cfg))
        names = list(before)
        first_block = [n for n in names if n.startswith(("embedding.", "trf_blocks.0."))]
        expected = _rates_by_role(names, emb, attn, shortcut)
        mistakes = [
            (
                before | _rates_by_role(first_block, emb, attn, shortcut),
                "every block has its own dropout modules: set them in all of model.trf_blocks",
            ),
            (
                _rates_by_role(names, emb, shortcut, attn),
                "att.dropout acts on the attention weights; drop_shortcut on each branch before "
                "it is added back",
            ),
            (
                before,
                "no nn.Dropout changed: a number stored on the model or its cfg after it is "
                "built reaches no module; set each nn.Dropout's p",
            ),
        ]
        cases.append(
            Case(
                f"set_dropout(GPTModel(cfg with num_layers={num_layers}, drop_rate=0.5), "
                f"emb={emb}, attn={attn}, shortcut={shortcut}): every nn.Dropout's p",
                lambda answer, cfg=cfg, rates=(emb, attn, shortcut): _dropout_rates(
                    answer(GPTModel(cfg), *rates)
                ),
                expected,
                "find every nn.Dropout with model.named_modules(): its name says where it acts",
                [(w, h) for w, h in mistakes if w != expected],
            )
        )
    return cases


@functools.cache
def _gpt_parameters(vocab_size: int, context_length: int, emb_dim: int, num_layers: int) -> int:
    """GPT-2's parameter count (head tied), counted on a model built on the meta device."""
    cfg = GPTConfig(vocab_size, context_length, emb_dim, num_heads=1, num_layers=num_layers)
    with torch.device("meta"):  # shapes only: no memory, no random numbers
        model = GPTModel(cfg)
    return sum(p.numel() for p in model.parameters())  # the tied matrix is one parameter


# What a known mistake adds to the count, from (vocab_size, context_length, emb_dim, num_layers).
_PARAMETER_MISTAKES = [
    (
        lambda v, c, d, n: v * d,
        "GPT-2 ties the output head to the token embedding: count that matrix once",
    ),
    (lambda v, c, d, n: -c * d, "the position embeddings are parameters too"),
    (
        lambda v, c, d, n: -2 * d,
        "the final LayerNorm (after the last block) has a scale and a shift",
    ),
    (
        lambda v, c, d, n: -n * 4 * d - 2 * d,
        "each LayerNorm has a scale and a shift of emb_dim numbers: two per block, one at the end",
    ),
    (
        lambda v, c, d, n: -n * 9 * d,
        "the Linear layers have biases: the query, key, value and output projections, and both "
        "feed-forward layers",
    ),
    (
        lambda v, c, d, n: -n * (8 * d * d + 5 * d),
        "the feed-forward network widens to 4 * emb_dim and comes back: two Linear layers in "
        "each block",
    ),
]


@exercise("4.2")
def _check_4_2() -> list[Case]:
    """gpt2_parameters(vocab_size, context_length, emb_dim, num_layers): GPT-2's count."""
    cases = []
    for v, c, d, n in [
        (10, 7, 4, 1),
        (10, 7, 4, 3),
        (50_257, 1_024, 768, 12),
        (50_257, 1_024, 1_024, 24),
    ]:
        expected = _gpt_parameters(v, c, d, n)
        cases.append(
            Case(
                f"gpt2_parameters(vocab_size={v:_}, context_length={c:_}, emb_dim={d:_}, "
                f"num_layers={n})",
                _call(v, c, d, n),
                expected,
                "list every layer with parameters: per block attention, feed-forward and two "
                "LayerNorms; outside the blocks the two embedding tables and the final LayerNorm; "
                "count weights and biases",
                [(expected + change(v, c, d, n), hint) for change, hint in _PARAMETER_MISTAKES],
            )
        )
    return cases


def _forward_flops(model: nn.Module, ids: torch.Tensor) -> int:
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(ids)
    return counter.get_total_flops()


@exercise("4.3")
def _check_4_3() -> list[Case]:
    """flops_per_token(model, ids): a forward pass's FLOPs divided by the number of tokens."""
    cases = []
    for batch_size, num_tokens, use_sdpa in [
        (1, 8, True),
        (2, 8, True),
        (1, 1, True),
        (2, 8, False),
    ]:
        torch.manual_seed(0)
        model = GPTModel(_tiny_config())
        for block in model.trf_blocks:
            block.att.use_sdpa = use_sdpa
        shape = (batch_size, num_tokens)
        ids = torch.randint(0, 50, shape, generator=torch.Generator().manual_seed(1))
        total = _forward_flops(model, ids)
        mistakes = [
            (total, "that is the whole forward pass: divide by the number of tokens"),
            (total / num_tokens, "ids hold batch_size x num_tokens tokens: divide by all of them"),
            (3 * total / ids.numel(), "count the forward pass only, with no backward pass"),
        ]
        cases.append(
            Case(
                f"flops_per_token(model, ids): a 2-block GPT, emb_dim 16, ids of shape {shape}, "
                f"use_sdpa={use_sdpa}",
                lambda answer, model=model, ids=ids: answer(model, ids.clone()),
                total / ids.numel(),
                "count one forward pass with FlopCounterMode, then divide by the tokens in ids",
                [(w, h) for w, h in mistakes if not math.isclose(w, total / ids.numel())],
            )
        )
    return cases


# ---- Chapter 5: pretraining -----------------------------------------------------------------


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


# ---- Chapter 6: classification -------------------------------------------------------------


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


# ---- Chapter 7: instruction finetuning -----------------------------------------------------


def _as_rows(value: Any) -> list[list[int]]:
    """A tensor or nested list of targets as a list of lists of ints."""
    rows = value.tolist() if isinstance(value, torch.Tensor) else value
    return [[int(t) for t in row] for row in rows]


_BY_HAND = (
    "targets of collate_instructions([([5, 6, 7], 2), ([8], 1)], pad_token_id=0, mask_prompt=True)"
)
_STOP = "the first end-of-text stays a target: the model learns to stop"


def _row_case(row: int, expected: list[int], hint: str, mistakes: list) -> Case:
    """One row of a by-hand answer; the expected targets are not printed: they are the answer."""
    return Case(
        f"{_BY_HAND}: row {row}",
        lambda value: _as_rows(value)[row],
        expected,
        hint,
        mistakes,
        shows_expected="three targets (worked out by hand; not shown here)",
    )


@exercise("7.1", wants="value")
def _check_7_1() -> list[Case]:
    """targets_by_hand: the targets of collate_instructions([([5, 6, 7], 2), ([8], 1)], ...)."""
    # Worked out from the rules, not by calling the helper: pad with one end-of-text (0) to the
    # longest + 1, shift by one, -100 after the first end-of-text and inside the prompt.
    lengths = Case(
        f"{_BY_HAND}: the length of each row",
        lambda value: [len(row) for row in _as_rows(value)],
        [3, 3],
        "two rows; each example gets one end-of-text and is padded to the longest, and the "
        "targets are the inputs shifted by one",
        [
            ([4, 4], "targets are the inputs shifted by one: one fewer than the padded inputs"),
            ([3, 1], "every row is padded to the same length"),
        ],
    )
    prompt = "target t is token t + 1: the prompt is 5, 6, so only the target 6 lies inside it"
    return [
        lengths,
        _row_case(
            0,
            [-100, 7, 0],
            "row 0 is [5, 6, 7] plus one end-of-text; its targets are the tokens one step later",
            [
                ([6, 7, 0], "mask_prompt=True: a target that is a prompt token becomes -100"),
                ([-100, -100, 0], prompt),
                ([-100, 7, -100], _STOP),
            ],
        ),
        _row_case(
            1,
            [0, -100, -100],
            "row 1 is [8] plus end-of-text padding; its prompt is the single token 8",
            [([0, 0, 0], "padding after the first end-of-text becomes -100"), ([-100] * 3, _STOP)],
        ),
    ]


def _right_per_family(entries: list[dict], predictions: list[str], same: Callable) -> dict:
    counts: dict[str, list[int]] = {}
    for entry, predicted in zip(entries, predictions, strict=True):
        right_total = counts.setdefault(task_of(entry), [0, 0])
        right_total[0] += bool(same(predicted, entry["output"]))
        right_total[1] += 1
    return {family: tuple(c) for family, c in counts.items()}


def _made_up_predictions(entries: list[dict]) -> list[str]:
    """Right, right but spaced differently, wrong in case only, or wrong: in turn."""
    made = []
    for i, entry in enumerate(entries):
        output = entry["output"]
        changed_case = output.swapcase() if output.swapcase() != output else output + "?"
        made.append(
            [output, "  " + output.replace(" ", "  ") + " ", changed_case, "no idea"][i % 4]
        )
    return made


@exercise("7.2")
def _check_7_2() -> list[Case]:
    """right_per_family(entries, predictions): (right, total) per task family, by exact match."""
    entries = read_instructions(TEST_FILE)
    cases = []
    for subset in [entries[:8], entries[:40], []]:
        predictions = _made_up_predictions(subset)
        expected = _right_per_family(subset, predictions, lambda p, r: p.split() == r.split())
        mistakes = [
            (
                _right_per_family(subset, predictions, lambda p, r: p == r),
                "exact_match forgives "
                "spacing, and only spacing: compare with exact_match(predicted, entry['output'])",
            ),
            (
                _right_per_family(
                    subset, predictions, lambda p, r: p.lower().split() == r.lower().split()
                ),
                "case counts (the capitals family is about it): compare with exact_match",
            ),
            (
                {f: rt for f, rt in expected.items() if rt[0]},
                "a family with no right answer still belongs in the table, with 0 right",
            ),
            ({f: (t, r) for f, (r, t) in expected.items()}, "each family maps to (right, total)"),
        ]
        cases.append(
            Case(
                f"right_per_family(entries, predictions): the first {len(subset)} test entries, "
                "predictions right, right with other spacing, wrong in case only, or wrong",
                lambda answer, s=subset, p=predictions: answer(list(s), list(p)),
                expected,
                "for each entry find its family with task_of, count the entries, and count "
                "those whose prediction is an exact match",
                [(w, h) for w, h in mistakes if w != expected],
            )
        )
    return cases


@functools.cache
def _course_vocab_size() -> int:
    return load_course_model()[1].n_vocab


def _listed(count: int) -> Callable[[list, Any], str | None]:
    def judge(runs: list[Any], expected: Any) -> str | None:
        got = runs[0]
        if (
            not isinstance(got, list)
            or len(got) != count
            or not all(isinstance(a, str) for a in got)
        ):
            return f"return a list of {count} answers, each a str"
        if any("### Instruction" in a or "### Response" in a for a in got):
            return "cut each answer out of the generated text with extract_response"
        return None

    return judge


def _differ(runs: list[list[str]], expected: Any) -> str | None:
    if len(set(runs[0])) == 1:
        return "every answer is the same: that is greedy decoding; sample with temperature=1.0"
    return None


def _repeat(runs: list[list[str]], expected: Any) -> str | None:
    if runs[0] != runs[1]:
        return "the same seed gave other answers: pass generator=generator to generate"
    return None


def _use_seed(runs: list[list[str]], expected: Any) -> str | None:
    if runs[0] == runs[1]:
        return "two different seeds gave the same answers: draw with the generator passed in"
    return None


@exercise("7.3")
def _check_7_3() -> list[Case]:
    """sample_answers(model, entry, num_samples, generator, max_new_tokens): sampled answers."""
    entry = read_instructions(TEST_FILE)[1]
    cfg = GPTConfig(_course_vocab_size(), 128, emb_dim=16, num_heads=2, num_layers=1, drop_rate=0.0)

    def runs(answer: Callable, num_samples: int, seeds: tuple[int, ...]) -> list[list[str]]:
        torch.manual_seed(0)
        model = GPTModel(cfg)  # random weights: its samples differ from token to token
        draw = lambda seed: torch.Generator().manual_seed(seed)
        return [answer(model, dict(entry), num_samples, draw(seed), 6) for seed in seeds]

    cases = []
    for num_samples, seeds, shows_expected, judge in [
        (3, (0,), "a list of 3 answers (str), without the prompt", _listed(3)),
        (1, (0,), "a list of 1 answer", _listed(1)),
        (6, (0,), "answers that differ: a random model sampled at temperature 1.0", _differ),
        (3, (0, 0), "the same answers both times", _repeat),
        (3, (0, 1), "other answers for another seed", _use_seed),
    ]:
        shows = (
            f"sample_answers(model, test_entries[1], {num_samples}, generator, 6) with a random "
            f"1-block model and generator = torch.Generator().manual_seed(seed), seeds {seeds}"
        )
        run = lambda answer, n=num_samples, s=seeds: runs(answer, n, s)
        cases.append(Case(shows, run, None, "", judge=judge, shows_expected=shows_expected))
    return cases


# ---- Bonus: byte pair encoding from scratch ------------------------------------------------


@exercise("B.1")
def _check_b_1() -> list[Case]:
    """bytes_per_token(tokenizer, text): UTF-8 bytes of text per token."""
    gpt2 = gpt2_encoding()
    cases = []
    for name, tokenizer, text in [
        ("BPETokenizer() (the 256 bytes, no merges)", BPETokenizer(), "low lower lowest"),
        ("GPT-2", gpt2, "Hello, world"),
        ("GPT-2", gpt2, "The bird sang."),
        ("GPT-2", gpt2, "Café au lait, s'il vous plaît ☕"),
    ]:
        size, tokens = len(text.encode("utf-8")), len(tokenizer.encode(text))
        mistakes = [
            (
                len(text) / tokens,
                "count bytes, not characters: 'é' takes 2 bytes in UTF-8 and '☕' 3",
            ),
            (tokens / size, "that is tokens per byte: turn the ratio over"),
            (size // tokens, "// rounds down to a whole number: divide with /"),
        ]
        cases.append(
            Case(
                f"bytes_per_token({name}, {text!r})",
                lambda answer, tokenizer=tokenizer, text=text: answer(tokenizer, text),
                size / tokens,
                "divide the length of the text in UTF-8 bytes by the number of tokens",
                [(w, h) for w, h in mistakes if not math.isclose(w, size / tokens)],
            )
        )
    return cases


_BPE_TEXT_CHARS = 3_000  # of the story: trains a 300-token tokenizer in a blink


def _reloaded_in_a_folder(answer: Callable, sample: str) -> tuple[list[int], bool]:
    """The answer's ids for sample, and whether it wrote a file into the folder it was given."""
    with tempfile.TemporaryDirectory() as folder:
        ids = answer(read_corpus()[:_BPE_TEXT_CHARS], sample, 300, Path(folder))
        return ids, any(Path(folder).iterdir())


@exercise("B.2")
def _check_b_2() -> list[Case]:
    """reloaded_ids(text, sample, vocab_size, folder): train with <|endoftext|>, save, load."""
    text = read_corpus()[:_BPE_TEXT_CHARS]
    trained = BPETokenizer.train(text, 300, special_tokens=("<|endoftext|>",))
    plain = BPETokenizer.train(text, 300)
    as_text = (
        "'<|endoftext|>' came back as several ordinary ids: train with "
        "special_tokens=('<|endoftext|>',) and encode with allowed_special"
    )
    cases = []
    for sample in [
        "The bird sang.<|endoftext|>The end.",
        "<|endoftext|>a<|endoftext|>",
        "the end",
        "",
    ]:
        cases.append(
            Case(
                f"reloaded_ids(text, {sample!r}, vocab_size=300, folder) with text = the first "
                f"{_BPE_TEXT_CHARS:,} characters of the story",
                lambda answer, sample=sample: _reloaded_in_a_folder(answer, sample)[0],
                trained.encode(sample, allowed_special="all"),
                "train with special_tokens=('<|endoftext|>',), save, load, then encode with "
                "allowed_special so the token becomes one id",
                [(plain.encode(sample, disallowed_special=()), as_text)],
                on_error="a tokenizer trained without the special token, or an encode call "
                "without allowed_special, refuses '<|endoftext|>': read the message",
            )
        )
    cases.append(
        Case(
            "reloaded_ids(text, 'the end', 300, folder): a file is written in folder",
            lambda answer: _reloaded_in_a_folder(answer, "the end")[1],
            True,
            "save the tokenizer into folder (tokenizer.save(folder / 'bpe.json')) and load it "
            "back from there",
        )
    )
    return cases


def _longest(vocab: dict[int, bytes], k: int) -> list[tuple[int, bytes]]:
    return heapq.nsmallest(k, vocab.items(), key=lambda item: (-len(item[1]), item[0]))


@exercise("B.3")
def _check_b_3() -> list[Case]:
    """longest_tokens(vocab, k): the k longest tokens in bytes, smaller id first on ties."""
    tiny = {0: b"a", 1: b"abc", 2: "éé".encode(), 3: b"xyz", 4: b"xy"}
    encoding = gpt2_encoding()
    gpt2 = {i: encoding.decode_single_token_bytes(i) for i in range(encoding.n_vocab - 1)}
    cases = []
    for name, vocab, k in [
        ("a 5-token vocabulary", tiny, 2),
        ("a 5-token vocabulary", tiny, 1),
        ("a 5-token vocabulary", tiny, 9),
        ("GPT-2's vocabulary", gpt2, 5),
    ]:
        by_characters = sorted(
            vocab.items(), key=lambda it: (-len(it[1].decode("utf-8", "replace")), it[0])
        )
        mistakes = [
            (by_characters[:k], "measure tokens in bytes, not in characters: 'é' is 2 bytes"),
            (sorted(vocab.items(), key=lambda it: (len(it[1]), it[0]))[:k], "longest first"),
            (
                sorted(vocab.items(), key=lambda it: (-len(it[1]), -it[0]))[:k],
                "on equal length, the smaller id comes first",
            ),
        ]
        shows = f"{tiny}" if vocab is tiny else name
        cases.append(
            Case(
                f"longest_tokens({shows}, k={k})",
                lambda answer, vocab=vocab, k=k: answer(dict(vocab), k),
                _longest(vocab, k),
                "sort the (id, token) pairs by the token's length in bytes, longest first and the "
                "smaller id first on ties, and keep k",
                [(w, h) for w, h in mistakes if w != _longest(vocab, k)],
            )
        )
    return cases
