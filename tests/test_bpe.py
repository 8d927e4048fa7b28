"""helpers.bpe: tiktoken's ids with GPT-2's files; training, round trips, save/load, errors."""

import itertools
import json
import random
import re

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers.bpe
from helpers.bpe import (
    BPETokenizer,
    bmp_ranges,
    bpe_merge,
    gpt2_byte_to_unicode,
    gpt2_pattern_for_re,
    merge_pair,
)
from helpers.data import read_corpus
from helpers.tokenizers import GPT2_PATTERN, gpt2_encoding


@pytest.fixture(scope="module")
def gpt2_bpe() -> BPETokenizer:
    return BPETokenizer.from_gpt2_files()


def stress_texts() -> list[str]:
    rng = random.Random(123)
    scripts = [
        (0x20, 0x7E),
        (0xC0, 0x24F),
        (0x370, 0x3FF),
        (0x400, 0x4FF),
        (0x590, 0x6FF),
        (0x900, 0x97F),
        (0x3040, 0x30FF),
        (0x4E00, 0x9FFF),
        (0xAC00, 0xD7A3),
        (0x1F300, 0x1FAFF),
    ]
    random_unicode = "".join(chr(rng.randint(*rng.choice(scripts))) for _ in range(20_000))
    return [
        bytes(range(256)).decode("latin-1"),  # every byte value, as characters
        bytes(range(128)).decode("ascii") * 3,
        random_unicode,
        " " * 5_000 + "x" + "\n" * 3_000 + "\t \t" * 500,
        "1234567890" * 300 + " 3.14159 2,718 1e10 007",
        "!!!???...,,,;;;---***" * 200,
        "don't I'll we've they're it's O'Neil 'quoted' ''",
        "  leading spaces and trailing   ",
        "\r\n\r\nWindows\r\nlines\r\n",
        "a" * 10_000,
    ]


def test_gpt2_mode_matches_tiktoken_on_the_corpus(gpt2_bpe):
    text = read_corpus()
    ids = gpt2_bpe.encode(text)
    assert ids == gpt2_encoding().encode(text)
    assert gpt2_bpe.decode(ids) == text


@pytest.mark.parametrize("index", range(10))
def test_gpt2_mode_matches_tiktoken_on_stress_text(gpt2_bpe, index):
    text = stress_texts()[index]
    assert gpt2_bpe.encode(text) == gpt2_encoding().encode(text)
    assert gpt2_bpe.decode(gpt2_bpe.encode(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_gpt2_mode_matches_tiktoken_on_random_strings(text):
    tokenizer = _gpt2_cached()
    expected = gpt2_encoding().encode(text, disallowed_special=())
    assert tokenizer.encode(text, disallowed_special=()) == expected
    assert tokenizer.decode(expected) == text


_CACHE = {}


def _gpt2_cached() -> BPETokenizer:
    if "gpt2" not in _CACHE:
        _CACHE["gpt2"] = BPETokenizer.from_gpt2_files()
    return _CACHE["gpt2"]


# where the pattern's alternatives meet: contractions, kinds of whitespace (\x1c is whitespace
# to str.isspace but not to \s), letters, numbers, a combining mark, symbols, a lone surrogate
PATTERN_EDGES = "'sdmtlvre \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000aZéß日٣½Ⅻ\u064d.!-\ud800"


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        st.one_of(st.sampled_from(PATTERN_EDGES), st.characters(max_codepoint=0xFFFF)),
        max_size=60,
    )
)
def test_re_copy_of_the_pattern_splits_like_gpt2_pattern(text):
    assert gpt2_pattern_for_re().findall(text) == regex.findall(GPT2_PATTERN, text)


def test_re_copy_of_the_pattern_on_every_short_string_of_edge_characters():
    for length in range(1, 5):
        for chars in itertools.product(" \n\x1c\xa0a1'sé日!", repeat=length):
            text = "".join(chars)
            assert gpt2_pattern_for_re().findall(text) == regex.findall(GPT2_PATTERN, text), text


@pytest.mark.parametrize("separator", ["", " ", "  ", "\n", "a", "1", "'", "!", " \n"])
def test_re_copy_of_the_pattern_on_every_character_up_to_u_ffff(separator):
    text = separator.join(map(chr, range(0x10000)))
    assert gpt2_pattern_for_re().findall(text) == regex.findall(GPT2_PATTERN, text)


def test_bmp_ranges_hand_worked():
    assert bmp_ranges(r"[a-cx]").startswith("a-cx-x")
    assert bmp_ranges(r"\p{N}").startswith("0-9²-³¹-¹¼-¾")
    assert re.fullmatch(f"[{bmp_ranges(r'[-^]')}]+", "-^")  # escaped for a set of re


def test_pieces_above_u_ffff_come_from_the_regex_package(gpt2_bpe):
    text = "a\U0001d5a8b 🙂🙂 x"  # a mathematical letter: \p{L} to the regex package
    assert gpt2_pattern_for_re().findall(text) == ["a", "\U0001d5a8", "b", " 🙂🙂", " x"]
    expected = ["a\U0001d5a8b", " 🙂🙂", " x"]
    assert gpt2_bpe.pieces(text) == regex.findall(GPT2_PATTERN, text) == expected
    assert gpt2_bpe.encode(text) == gpt2_encoding().encode(text)


def test_other_patterns_split_with_the_regex_package():
    tokenizer = BPETokenizer.train("aaab aab", 258, pattern=r"\p{L}+")
    assert tokenizer.compiled_re is None
    assert tokenizer.pieces("aaab aab 1") == ["aaab", "aab"]


def test_cache_gives_the_ids_of_merging_every_piece(gpt2_bpe):
    text = read_corpus()
    uncached = [
        i for p in gpt2_bpe.pieces(text) for i in bpe_merge(p.encode("utf-8"), gpt2_bpe.ranks)
    ]
    gpt2_bpe.cache.clear()
    assert gpt2_bpe.encode(text) == uncached  # cold: every piece merged once, then remembered
    assert gpt2_bpe.encode(text) == uncached  # warm: every piece from the cache
    assert len(gpt2_bpe.cache) == len(set(gpt2_bpe.pieces(text)))


def test_cache_is_bounded(monkeypatch):
    tokenizer = BPETokenizer.from_gpt2_files()
    text = read_corpus()
    expected = tokenizer.encode(text)
    tokenizer.cache.clear()
    monkeypatch.setattr(helpers.bpe, "CACHE_LIMIT", 50)
    assert tokenizer.encode(text) == expected
    assert 0 < len(tokenizer.cache) <= 50


def test_special_tokens_behave_like_tiktoken(gpt2_bpe):
    text = "end <|endoftext|> start<|endoftext|>"
    reference = gpt2_encoding()
    assert gpt2_bpe.encode(text, allowed_special={"<|endoftext|>"}) == reference.encode(
        text, allowed_special={"<|endoftext|>"}
    )
    assert gpt2_bpe.encode(text, allowed_special="all").count(50256) == 2
    assert gpt2_bpe.encode(text, disallowed_special=()) == reference.encode(
        text, disallowed_special=()
    )
    with pytest.raises(ValueError, match="disallowed special token '<|endoftext|>'"):
        gpt2_bpe.encode(text)
    assert gpt2_bpe.decode([50256]) == "<|endoftext|>"


def test_allowing_a_special_token_the_tokenizer_lacks_is_an_error():
    tokenizer = BPETokenizer.train("some text here", 260)
    with pytest.raises(ValueError, match=r"train it with special_tokens=\('<\|endoftext\|>',\)"):
        tokenizer.encode("a <|endoftext|> b", allowed_special={"<|endoftext|>"})
    # allowed but absent from the text: nothing to complain about
    assert tokenizer.encode("ab", allowed_special={"<|endoftext|>"}) == [97, 98]
    # not allowed, and not one of its special tokens: ordinary text, as in tiktoken
    assert tokenizer.decode(tokenizer.encode("a <|endoftext|>")) == "a <|endoftext|>"


def test_merge_pair_hand_worked():
    assert merge_pair([1, 2, 3, 1, 2], (1, 2), 4) == [4, 3, 4]
    assert merge_pair([5, 5, 5], (5, 5), 9) == [9, 5]


def test_bpe_merge_by_rank_hand_worked():
    ranks = {bytes([b]): b for b in range(256)} | {b"ab": 256, b"abc": 257, b"bc": 258}
    assert bpe_merge(b"abc", ranks) == [257]  # "ab" first (lower rank), then "ab"+"c"
    assert bpe_merge(b"xbc", ranks) == [ord("x"), 258]
    assert bpe_merge(b"abab", ranks) == [256, 256]


def test_training_hand_worked():
    tokenizer = BPETokenizer.train("aaabdaaabac", vocab_size=259, pattern=r".+")
    # (a, a) occurs 4 times -> 256. Then (256, a) and (a, b) occur twice each: the tie goes to
    # the smaller pair, (97, 98) = "ab" -> 257. Then (256, 257) occurs twice -> "aaab".
    assert [tokenizer.vocab[i] for i in (256, 257, 258)] == [b"aa", b"ab", b"aaab"]


def test_training_is_deterministic_and_reaches_the_size():
    text = read_corpus()
    first = BPETokenizer.train(text, vocab_size=600, special_tokens=("<|endoftext|>",))
    second = BPETokenizer.train(text, vocab_size=600, special_tokens=("<|endoftext|>",))
    assert first.vocab == second.vocab
    assert first.n_vocab == 600
    assert first.special_tokens == {"<|endoftext|>": 599}


def test_training_compresses():
    text = read_corpus()
    tokenizer = BPETokenizer.train(text, vocab_size=1_000)
    assert len(tokenizer.encode(text)) < len(text.encode("utf-8")) / 2.5


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_trained_tokenizer_round_trips_any_string(text):
    if "trained" not in _CACHE:
        _CACHE["trained"] = BPETokenizer.train(read_corpus(), vocab_size=500)
    tokenizer = _CACHE["trained"]
    assert tokenizer.decode(tokenizer.encode(text, disallowed_special=())) == text


def test_save_and_load_round_trip(tmp_path):
    tokenizer = BPETokenizer.train(read_corpus(), 400, special_tokens=("<|endoftext|>",))
    tokenizer.save(tmp_path / "bpe.json")
    loaded = BPETokenizer.load(tmp_path / "bpe.json")
    text = "The weather clock <|endoftext|> sang. 🙂"
    assert loaded.vocab == tokenizer.vocab and loaded.special_tokens == tokenizer.special_tokens
    assert loaded.encode(text, allowed_special="all") == tokenizer.encode(
        text, allowed_special="all"
    )


def test_gpt2_save_and_load_round_trip(gpt2_bpe, tmp_path):
    gpt2_bpe.save(tmp_path / "gpt2.json")
    loaded = BPETokenizer.load(tmp_path / "gpt2.json")
    assert loaded.encode("Hello, world") == [15496, 11, 995]


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda d: "{not json",
        lambda d: json.dumps({**d, "format": "other"}),
        lambda d: json.dumps({**d, "vocab": d["vocab"][:100]}),
        lambda d: json.dumps({**d, "vocab": d["vocab"] + [d["vocab"][0]]}),
        lambda d: json.dumps({**d, "vocab": ["zz"] + d["vocab"][1:]}),
        lambda d: json.dumps({**d, "special_tokens": {"<|endoftext|>": 5}}),
        lambda d: json.dumps({k: v for k, v in d.items() if k != "pattern"}),
    ],
)
def test_corrupt_files_are_refused(tmp_path, corrupt):
    BPETokenizer.train("some text here", 260, special_tokens=("<|endoftext|>",)).save(
        tmp_path / "ok.json"
    )
    data = json.loads((tmp_path / "ok.json").read_text())
    (tmp_path / "bad.json").write_text(corrupt(data))
    with pytest.raises(ValueError, match="corrupt tokenizer file"):
        BPETokenizer.load(tmp_path / "bad.json")


def test_vocab_size_too_small():
    with pytest.raises(ValueError, match="vocab_size=256 is too small.*at least 257"):
        BPETokenizer.train("text", vocab_size=256, special_tokens=("<|endoftext|>",))


def test_decode_rejects_out_of_range_ids(gpt2_bpe):
    with pytest.raises(ValueError, match=r"token ids \[50257, -1\] are not in the vocabulary"):
        gpt2_bpe.decode([15496, 50257, -1])


def test_encode_rejects_non_strings(gpt2_bpe):
    with pytest.raises(TypeError, match="expects a str, got bytes"):
        gpt2_bpe.encode(b"bytes")


def test_byte_to_unicode_is_a_bijection_onto_printable_characters():
    mapping = gpt2_byte_to_unicode()
    assert sorted(mapping) == list(range(256)) and len(set(mapping.values())) == 256
    assert mapping[ord(" ")] == "Ġ" and mapping[ord("A")] == "A"
    assert all(char.isprintable() and not char.isspace() for char in mapping.values())


def test_altered_gpt2_files_are_refused(tmp_path):
    from helpers.tokenizers import gpt2_files_dir

    for name in ("vocab.bpe", "encoder.json"):
        (tmp_path / name).write_bytes((gpt2_files_dir() / name).read_bytes())
    (tmp_path / "vocab.bpe").write_text("#version: 0.2\nĠ t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="vocab.bpe has sha256"):
        BPETokenizer.from_gpt2_files(tmp_path)
