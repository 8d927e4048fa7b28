"""Registering checks, running an answer on their cases, reporting pass, fail or not attempted."""

import math
import numbers
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch


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
