"""python -m helpers.ngram_baseline: Witten-Bell n-grams over bytes, checked against references."""

import json
import math
import subprocess
import sys
from collections import Counter, defaultdict

import pytest

from helpers.corpora.stories import STORY_SEPARATOR
from helpers.ngram_baseline import CharNGram, main
from helpers.paths import REPO_ROOT

SENTENCE = "The fog bell rang over the harbour, and Mara counted the boats coming home. "


def reference_bits(train: str, text: str, order: int) -> float:
    """Witten-Bell written out with a dict of next-byte counts per context, for comparison."""
    following = defaultdict(Counter)  # context bytes -> Counter of the byte that came next
    for story in train.split(STORY_SEPARATOR):
        data = story.encode("utf-8")
        for i in range(len(data)):
            for k in range(min(i, order - 1) + 1):
                following[data[i - k : i]][data[i]] += 1

    def prob(context: bytes, byte: int) -> float:
        lower = prob(context[1:], byte) if context else 1 / 256  # drop the oldest byte
        seen = following.get(context)
        if not seen:
            return lower
        total, types = sum(seen.values()), len(seen)
        return (seen[byte] + types * lower) / (total + types)

    bits = 0.0
    for story in text.split(STORY_SEPARATOR):
        data = story.encode("utf-8")
        for i, byte in enumerate(data):
            bits -= math.log2(prob(data[max(0, i - order + 1) : i], byte))
    return bits


def test_order_one_is_the_unigram_witten_bell_model_by_hand():
    model = CharNGram(1).fit("abracadabra")
    # a 5, b 2, r 2, c 1, d 1: N = 11 bytes of T = 5 values; P(x) = (c(x) + T / 256) / (N + T)
    p_a, p_b, p_z = (5 + 5 / 256) / 16, (2 + 5 / 256) / 16, (0 + 5 / 256) / 16
    expected = -(math.log2(p_a) + math.log2(p_b) + math.log2(p_z))
    assert model.bits("abz") == pytest.approx(expected, abs=1e-9)
    assert model.prob(b"context is ignored at order 1", ord("a")) == pytest.approx(p_a, abs=1e-12)


def test_matches_a_plain_reference_across_stories_and_orders():
    train = STORY_SEPARATOR.join(["the cat sat on the mat", "a cat ate the rat", "the end"])
    text = STORY_SEPARATOR.join(["the rat sat", "a hat on the cat", "zebra!"])
    for order in (1, 2, 3, 4):
        model = CharNGram(order).fit(train)
        assert model.bits(text) == pytest.approx(reference_bits(train, text, order), abs=1e-9)


@pytest.mark.parametrize("context", [b"", b"th", b"the c", b"qqq", b"the cat sat on the "])
def test_probabilities_of_all_256_bytes_sum_to_one(context):
    model = CharNGram(4).fit(STORY_SEPARATOR.join([SENTENCE * 3, "the cat sat on the mat"]))
    total = math.fsum(model.prob(context, byte) for byte in range(256))
    assert total == pytest.approx(1, abs=1e-12)


def test_a_higher_order_needs_fewer_bits_on_text_like_the_training_text():
    fitted = CharNGram(6).fit(SENTENCE * 20)
    bits = [fitted.truncated(order).bits(SENTENCE) for order in (1, 3, 6)]
    assert bits[0] > bits[1] > bits[2]
    assert bits[2] < 0.5 * bits[0]
    # the lower orders share the counts of the highest one: the same as fitting them alone
    assert bits[1] == pytest.approx(CharNGram(3).fit(SENTENCE * 20).bits(SENTENCE), abs=1e-9)


def test_an_unseen_byte_costs_finite_bits_above_the_uniform_eight():
    model = CharNGram(3).fit(SENTENCE * 5)
    for text in ("Z", "é"):  # a capital never seen; two UTF-8 bytes never seen
        bits = model.bits(text)
        assert math.isfinite(bits)
        assert bits > 8 * len(text.encode("utf-8"))
    assert CharNGram(3).bits_per_byte("anything") == pytest.approx(8.0)  # nothing fitted


def test_stories_are_scored_from_an_empty_context_without_the_separator():
    model = CharNGram(4).fit(SENTENCE * 5)
    first, second = "the boats came home", "Mara counted"
    joined = first + STORY_SEPARATOR + second
    assert model.bits(joined) == pytest.approx(model.bits(first) + model.bits(second), abs=1e-9)
    num_bytes = len(first) + len(second)
    assert model.bits_per_byte(joined) == pytest.approx(model.bits(joined) / num_bytes)


def test_command_writes_the_documented_json(tmp_path, capsys):
    train, heldout, out = tmp_path / "train.txt", tmp_path / "heldout.txt", tmp_path / "r.json"
    train_text = STORY_SEPARATOR.join([SENTENCE * 4, "the cat sat on the mat"]) + "\n"
    train.write_text(train_text, encoding="utf-8")
    heldout.write_text("The fog came in.\n" + STORY_SEPARATOR + "Mara rang the bell.\n", "utf-8")
    argv = ["--train-data", str(train), "--orders", "3", "1", "--measure", str(heldout)]
    report = main([*argv, "--out", str(out)])
    assert json.loads(out.read_text("utf-8")) == report
    assert set(report) == {"train_files", "train_bytes", "orders"}
    assert report["train_files"] == ["train.txt"]
    assert report["train_bytes"] == len(SENTENCE * 4) + len("the cat sat on the mat\n")
    assert list(report["orders"]) == ["1", "3"]
    expected = CharNGram(3).fit(train_text).bits_per_byte(heldout.read_text("utf-8"))
    assert report["orders"]["3"] == {"heldout.txt": round(expected, 4)}
    assert "heldout.txt" in capsys.readouterr().out  # the table


def test_a_bad_order_is_a_one_line_command_line_error():
    result = subprocess.run(
        [sys.executable, "-m", "helpers.ngram_baseline", "--orders", "0"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert errors == [
        "python -m helpers.ngram_baseline: error: argument --orders: must be a whole number >= 1, "
        "got 0"
    ]
