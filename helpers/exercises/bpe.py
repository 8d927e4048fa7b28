"""Checks for the bonus chapter's exercises (BPE from scratch): bytes per token, saving, lengths."""

import heapq
import math
import tempfile
from collections.abc import Callable
from pathlib import Path

from helpers.bpe import BPETokenizer
from helpers.data import read_corpus
from helpers.exercises.checking import Case, exercise
from helpers.tokenizers import gpt2_encoding


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
