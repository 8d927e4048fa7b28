"""Checks for Chapter 7's exercises (instruction finetuning): targets, exact match, sampling."""

import functools
from collections.abc import Callable
from typing import Any

import torch

from helpers.checkpoints import COURSE_GPT, load_course_model
from helpers.corpora.instruction_data import TEST_FILE, read_instructions, task_of
from helpers.exercises.checking import Case, exercise
from helpers.gpt import GPTConfig, GPTModel


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
                "case counts (a name or a sentence starts with a capital): compare with "
                "exact_match",
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
    return load_course_model(COURSE_GPT)[1].n_vocab


def _listed(count: int) -> Callable[[list, Any], str | None]:
    def judge(runs: list[Any], expected: Any) -> str | None:
        got = runs[0]
        if (
            not isinstance(got, list)
            or len(got) != count
            or not all(isinstance(a, str) for a in got)
        ):
            return f"return a list of {count} answers, each a str"
        if any("### instruction" in a or "### answer" in a for a in got):
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
