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

``checking`` holds what every check shares: the registry, running an answer, judging and
printing the result. Each chapter's checks live in a module of their own: ``chapter1`` to
``chapter7``, and ``bpe`` for the bonus chapter.

Adding a check: in the chapter's module, write a function that returns a list of ``Case`` and
register it with ``@exercise("5.4")`` (``chapter1._check_1_1`` is the pattern). A ``Case`` lists
the wrong results that known mistakes give on its input, each with its hint; ``judge`` replaces
the comparison where a property, not a value, is checked (``chapter7._check_7_3``); an answer
that is a value worked out by hand, not a function, is registered with ``wants="value"``
(``chapter7._check_7_1``).
"""

# Importing a chapter's module registers its checks.
from helpers.exercises import (  # noqa: F401
    bpe,
    chapter1,
    chapter2,
    chapter3,
    chapter4,
    chapter5,
    chapter6,
    chapter7,
)
from helpers.exercises.checking import EXERCISES, Case, check_exercise, exercise

__all__ = ["EXERCISES", "Case", "check_exercise", "exercise"]
