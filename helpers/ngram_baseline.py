"""A counting baseline for Chapter 5: a byte-level n-gram model, measured in bits per byte.

    python -m helpers.ngram_baseline --orders 3 5 7

What it is for. A sceptic looking at the course's GPT asks first: would counting do as well? An
n-gram model counts, in the training text, which byte followed each short run of bytes, and
predicts from those counts; it has no embeddings, no attention and nothing learned by gradient
descent. This script fits one on the same training text as the GPT and measures it the same way:
bits per UTF-8 byte on the hand-written stories (``heldout_stories.txt``, never trained on or used
to pick anything), on the hand-written validation stories and on the template generator's
validation split. On the generated text, which repeats the generators' phrasing, counting can do
very well; the course model has to beat this baseline on the text written by hand, or it learned
little that counting does not. A higher order is not always better there: its long contexts fit
the generators' phrasing, and on other text they can cost more than they save, which is why
several orders are measured.

How it predicts. An order-n model predicts the next byte from the n - 1 bytes before it, its
context. After the context ``h`` the training text had ``c(h)`` bytes, of ``T(h)`` different
values, and ``c(h b)`` of them were the byte ``b``. Counts alone would give ``c(h b) / c(h)``,
which is 0 for any byte never seen after ``h``: one such byte in the measured text would cost
infinitely many bits. Smoothing moves some probability to the unseen bytes.

Witten-Bell smoothing in plain words. Of the ``c(h)`` bytes that followed ``h`` in training,
``T(h)`` were the first of their value there: ``T(h)`` times, something new came next. Witten
and Bell count those events beside the bytes and take ``T(h) / (c(h) + T(h))`` as the chance
that something new comes next again. That share is handed to the shorter context ``h'`` (``h``
without its oldest byte), which has seen more text and guesses more broadly; the rest,
``c(h) / (c(h) + T(h))``, is shared out by the counts:

    P(b | h) = (c(h b) + T(h) * P(b | h')) / (c(h) + T(h))

A context seen often and followed by few values (``"Saltme"`` is always followed by ``"r"``)
trusts its own counts; one followed by many values (a space) leans on the shorter context; a
context never seen (``c(h) = 0``) hands everything down. The chain ends at the empty context,
whose shorter "context" is the uniform guess 1/256 over every byte value, so every byte, even
one never trained on, costs a finite number of bits. The probabilities of the 256 bytes after
any context sum to 1, because the counted part sums to ``c(h)`` and the handed-down part to
``T(h)``.

Why bytes. A character such as an em dash is 3 bytes of UTF-8; predicting bytes makes the cost of
a text exactly ``-sum(log2 P)`` over its bytes, and bits per byte the same measure that
``helpers.evaluation.bits_per_byte`` takes of the GPT (8 is a uniform guess; lower is better).
As the GPT reads every story after ``<|endoftext|>``, each story here is fitted and scored from
an empty context; the separator between stories is neither counted nor scored.

The default reads ``data/tales_train.txt`` (built by ``helpers.corpora.tales`` if missing) and
``data/stories_train.txt``, fits once at the highest order (the counts of a lower order are part
of it), and writes ``data/results/ngram_baseline.json``. Counting is pure Python over every slice
of the text, so its time grows with the text and the order; the script prints its rate.
"""

import argparse
import json
import math
import time
from collections import Counter
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path

from helpers.cli import existing_file, positive_int
from helpers.corpora import tales
from helpers.corpora.stories import STORY_SEPARATOR
from helpers.paths import DATA_DIR

NUM_BYTE_VALUES = 256
MEASURED = (
    DATA_DIR / "heldout_stories.txt",
    DATA_DIR / "heldout_val_stories.txt",
    DATA_DIR / "stories_val.txt",
)
ORDERS = (3, 5, 7)


def encoded_stories(text: str) -> list[bytes]:
    """The stories of text as UTF-8 bytes, split at the separator, which is dropped."""
    # as helpers.evaluation.bits_per_byte splits them, so both count the same bytes
    return [story.encode("utf-8") for story in text.split(STORY_SEPARATOR) if story.strip()]


def slices(data: bytes, n: int) -> Iterator[bytes]:
    """Every n-byte slice of data, in order: data[0:n], data[1:n + 1], ... (built in C)."""
    return map(data.__getitem__, map(slice, range(len(data) - n + 1), range(n, len(data) + 1)))


class CharNGram:
    """A byte-level n-gram model with interpolated Witten-Bell smoothing: the baseline to beat."""

    def __init__(self, order: int) -> None:
        """An empty model that predicts each byte from up to order - 1 bytes before it."""
        if not isinstance(order, int) or order < 1:
            raise ValueError(f"order must be a whole number >= 1, got {order!r}")
        self.order = order
        self.num_bytes = 0  # c(empty context): every byte fitted
        # counts[n][g]: how often the n bytes g occur inside a story (n = 1..order; [0] unused)
        self.counts = [Counter() for _ in range(order + 1)]
        # tails[k][h]: how many stories end with the k bytes h, which nothing follows there
        self.tails = [Counter() for _ in range(order)]
        # types[k][h]: T(h), how many different bytes followed the k bytes h
        self.types = [Counter() for _ in range(order)]

    def fit(self, text: str) -> "CharNGram":
        """Add the counts of every 1- to order-byte slice of each story of text; returns self."""
        for story in encoded_stories(text):
            self.num_bytes += len(story)
            for n in range(1, self.order + 1):
                self.counts[n].update(slices(story, n))
            for k in range(1, min(self.order, len(story) + 1)):
                self.tails[k][story[-k:]] += 1
        for k in range(self.order):  # each (k + 1)-byte slice seen is one byte type after k bytes
            self.types[k] = Counter(map(itemgetter(slice(0, -1)), self.counts[k + 1]))
        return self

    def truncated(self, order: int) -> "CharNGram":
        """The model of a lower order, sharing these counts: one fit serves every order."""
        if not isinstance(order, int) or not 1 <= order <= self.order:
            raise ValueError(f"order must be between 1 and {self.order}, got {order!r}")
        model = CharNGram(order)
        model.num_bytes = self.num_bytes
        model.counts, model.tails = self.counts[: order + 1], self.tails[:order]
        model.types = self.types[:order]
        return model

    def context_count(self, context: bytes) -> int:
        """c(h): how often context was followed by a byte of the same story."""
        if not context:
            return self.num_bytes
        k = len(context)
        return self.counts[k][context] - self.tails[k][context]

    def prob(self, context: bytes, byte: int) -> float:
        """P(byte | the last order - 1 bytes of context), from the uniform guess up."""
        if not 0 <= byte < NUM_BYTE_VALUES:
            raise ValueError(f"byte must be in 0..255, got {byte}")
        context = context[len(context) - min(len(context), self.order - 1) :]
        p = 1 / NUM_BYTE_VALUES
        for k in range(len(context) + 1):  # the empty context first, then one byte longer each
            h = context[len(context) - k :]
            seen = self.context_count(h)
            if seen == 0:
                break  # a longer context ends with h, so it was never seen either
            new = self.types[k][h]
            p = (self.counts[k + 1][h + bytes((byte,))] + new * p) / (seen + new)
        return p

    def bits(self, text: str) -> float:
        """Bits to encode the stories of text, -sum(log2 P), each story from an empty context."""
        total = 0.0
        for story in encoded_stories(text):
            for i, byte in enumerate(story):
                total -= math.log2(self.prob(story[max(0, i - self.order + 1) : i], byte))
        return total

    def bits_per_byte(self, text: str) -> float:
        """bits(text) per byte of its stories (separators excluded), as the GPT is measured."""
        num_bytes = sum(len(story) for story in encoded_stories(text))
        if num_bytes == 0:
            raise ValueError("text is empty: bits per byte needs at least one byte")
        return self.bits(text) / num_bytes


def print_table(results: dict[str, dict[str, float]]) -> None:
    """Bits per byte, one row per order and one column per measured file."""
    names = list(next(iter(results.values())))
    print("order  " + "  ".join(names))
    for order, row in results.items():
        print(f"{order:>5}  " + "  ".join(f"{row[name]:>{len(name)}.4f}" for name in names))


def main(argv: list[str] | None = None) -> dict:
    """Fit the n-gram model on the training text and write its bits per byte as JSON."""
    p = argparse.ArgumentParser(
        prog="python -m helpers.ngram_baseline", description=__doc__.split("\n")[0]
    )
    p.add_argument(
        "--train-data",
        type=Path,
        nargs="+",
        default=list(tales.COURSE_TRAINING_FILES),
        help="the text to count, one or more files (default: the grammar and template stories, "
        "the GPT's training text; tales_train.txt is built if missing)",
    )
    p.add_argument(
        "--orders",
        type=positive_int,
        nargs="+",
        default=list(ORDERS),
        help="n of each model measured: it reads n - 1 bytes of context (default: 3 5 7)",
    )
    p.add_argument(
        "--measure",
        type=existing_file,
        nargs="+",
        default=list(MEASURED),
        help="texts to measure in bits per byte (default: the hand-written stories, both sets, "
        "and the template generator's validation split)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=DATA_DIR / "results" / "ngram_baseline.json",
        help="where the JSON is written (default: %(default)s)",
    )
    args = p.parse_args(argv)
    names = [path.name for path in args.measure]
    if len(set(names)) < len(names):
        p.error(f"argument --measure: two files share a name: {names}")
    tales.build_if_missing(args.train_data)
    for path in args.train_data:
        if not path.is_file():
            p.error(f"argument --train-data: no file {path}")
    orders = sorted(set(args.orders))
    model = CharNGram(orders[-1])
    started = time.perf_counter()
    for path in args.train_data:
        text = path.read_text("utf-8")
        print(f"counting {path.name} ({len(text.encode('utf-8')):,} bytes) ...", flush=True)
        model.fit(text)
    seconds = time.perf_counter() - started
    rate = model.num_bytes / max(seconds, 1e-9)
    print(f"counted {model.num_bytes:,} bytes at order {model.order} in {seconds:.1f} s ", end="")
    print(f"({rate:,.0f} bytes/s)")
    texts = {path.name: path.read_text("utf-8") for path in args.measure}
    results = {
        str(order): {
            name: round(model.truncated(order).bits_per_byte(text), 4)
            for name, text in texts.items()
        }
        for order in orders
    }
    report = {
        "train_files": [path.name for path in args.train_data],
        "train_bytes": model.num_bytes,
        "orders": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print_table(results)
    return report


if __name__ == "__main__":
    main()
