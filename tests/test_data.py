"""helpers.data: the corpus, the optional download, and the sliding-window dataset."""

import hashlib

import pytest
import torch

from helpers.bpe import BPETokenizer
from helpers.data import GPTDataset, create_dataloader, download_text, encode_text, read_corpus
from helpers.gpt import text_to_token_ids, token_ids_to_text
from helpers.tokenizers import END_OF_TEXT, SimpleTokenizer, build_vocab, gpt2_encoding, split_text


def test_corpus_is_long_utf8_and_found_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = read_corpus()
    assert len(text) >= 20_000
    assert text.startswith("The Weather Clock of Saltmere")


def test_read_corpus_names_the_available_files():
    with pytest.raises(
        FileNotFoundError, match=r"no text file 'missing.txt'.*the_weather_clock.txt"
    ):
        read_corpus("missing.txt")


def _file_url(tmp_path, content: bytes):
    source = tmp_path / "source.txt"
    source.write_bytes(content)
    return source.as_uri(), hashlib.sha256(content).hexdigest()


def test_download_text_caches_a_verified_file(tmp_path):
    url, sha256 = _file_url(tmp_path, "Ein Text, ünïcode.".encode())
    path = download_text(url, sha256, "extra.txt", data_dir=tmp_path / "cache")
    assert path.read_text(encoding="utf-8") == "Ein Text, ünïcode."
    (tmp_path / "source.txt").unlink()  # a second call must not touch the network
    assert download_text(url, sha256, "extra.txt", data_dir=tmp_path / "cache") == path


def test_download_text_rejects_a_hash_mismatch(tmp_path):
    url, _ = _file_url(tmp_path, b"some text")
    with pytest.raises(ValueError, match="has sha256 .* expected 0000"):
        download_text(url, "0" * 64, "extra.txt", data_dir=tmp_path / "cache")
    assert not (tmp_path / "cache" / "extra.txt").exists()


def test_download_text_explains_a_failed_download(tmp_path):
    missing = (tmp_path / "nowhere.txt").as_uri()
    with pytest.raises(ConnectionError, match="could not download .*check your network"):
        download_text(missing, "0" * 64, "extra.txt", data_dir=tmp_path)


def test_download_text_requires_a_real_sha256(tmp_path):
    with pytest.raises(ValueError, match="64 lowercase hex digits"):
        download_text("file:///x", "abc", "extra.txt", data_dir=tmp_path)


@pytest.mark.parametrize("context_length,stride", [(4, 1), (4, 4), (5, 3), (8, 11), (1, 1)])
def test_targets_are_inputs_shifted_by_one_in_every_window(context_length, stride):
    ids = list(range(100, 160))
    dataset = GPTDataset(ids, context_length, stride)
    assert len(dataset) == len(range(0, len(ids) - context_length, stride))
    for i in range(len(dataset)):
        x, y = dataset[i]
        start = i * stride
        assert x.tolist() == ids[start : start + context_length]
        assert y.tolist() == ids[start + 1 : start + context_length + 1]


def test_stride_equal_to_context_uses_every_token_once_as_a_target():
    context_length = 7
    ids = list(range(10 * context_length + 1))
    dataset = GPTDataset(ids, context_length, stride=context_length)
    targets = torch.cat([dataset[i][1] for i in range(len(dataset))]).tolist()
    assert sorted(targets) == ids[1:]


def test_dataset_index_errors():
    dataset = GPTDataset(list(range(10)), 4, 4)
    assert dataset[-1][0].tolist() == dataset[len(dataset) - 1][0].tolist()
    with pytest.raises(IndexError, match="window 2 out of range for 2 windows"):
        dataset[2]


def test_too_short_text_says_how_many_tokens_it_has_and_needs():
    with pytest.raises(
        ValueError, match="has 5 tokens, but one window of context_length=8 needs at least 9"
    ):
        create_dataloader("A very short text.", batch_size=1, context_length=8)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"context_length": 0}, "context_length must be a whole number >= 1, got 0"),
        ({"stride": -2}, "stride must be a whole number >= 1, got -2"),
        ({"batch_size": 0}, "batch_size must be a whole number >= 1, got 0"),
        ({"stride": 1.5}, "stride must be a whole number >= 1, got 1.5"),
        ({"num_workers": -1}, "num_workers must be >= 0"),
        ({"batch_size": 10_000}, "leaves no batch at all"),
    ],
)
def test_bad_loader_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        create_dataloader(read_corpus(), **{"context_length": 4, "stride": 4, **kwargs})


@pytest.mark.parametrize(
    "text,error", [("", ValueError), ("  \n", ValueError), (b"bytes", TypeError)]
)
def test_empty_or_non_string_text(text, error):
    with pytest.raises(error, match="empty|must be a str"):
        create_dataloader(text)


def test_loader_batches_and_defaults_to_gpt2():
    text = read_corpus()
    loader = create_dataloader(text, batch_size=3, context_length=16, stride=16, shuffle=False)
    inputs, targets = next(iter(loader))
    assert inputs.shape == targets.shape == (3, 16)
    assert inputs.dtype == torch.long
    assert inputs[0].tolist() == gpt2_encoding().encode(text)[:16]
    assert torch.equal(inputs[:, 1:], targets[:, :-1])


def test_loader_accepts_the_simple_tokenizer():
    text = read_corpus()
    tokenizer = SimpleTokenizer(build_vocab(split_text(text)))
    loader = create_dataloader(
        text, batch_size=2, context_length=8, stride=8, shuffle=False, tokenizer=tokenizer
    )
    inputs, _ = next(iter(loader))
    assert inputs[0].tolist() == tokenizer.encode(text)[:8]


def test_seeded_shuffle_is_repeatable_and_covers_every_window():
    text = read_corpus()

    def order(seed):
        loader = create_dataloader(text, batch_size=4, context_length=32, stride=32, seed=seed)
        return torch.cat([inputs[:, 0] for inputs, _ in loader]).tolist()

    assert order(1) == order(1)
    assert order(1) != order(2)
    assert sorted(order(1)) == sorted(order(2))


def test_drop_last():
    text = read_corpus()
    kwargs = {"batch_size": 5, "context_length": 64, "stride": 64, "shuffle": False}
    kept = list(create_dataloader(text, drop_last=False, **kwargs))
    dropped = list(create_dataloader(text, drop_last=True, **kwargs))
    num_windows = len(GPTDataset(encode_text(text), 64, 64))
    assert len(kept) == -(-num_windows // 5) and len(dropped) == num_windows // 5
    assert all(inputs.shape[0] == 5 for inputs, _ in dropped)


def test_endoftext_joins_documents():
    ids = encode_text("one <|endoftext|> two")
    assert 50256 in ids


# ---- one interface: every course tokenizer goes through the same helpers, <|endoftext|> too ----

TWO_DOCUMENTS = "The clock struck nine.<|endoftext|>The bird sang in the rain."
FIRST, SECOND = TWO_DOCUMENTS.split(END_OF_TEXT)


def _simple_tokenizer() -> SimpleTokenizer:
    vocab = build_vocab(split_text(FIRST + " " + SECOND), special_tokens=(END_OF_TEXT,))
    return SimpleTokenizer(vocab)


_TOKENIZERS = {
    "gpt2-tiktoken": gpt2_encoding,
    "bpe-gpt2-files": BPETokenizer.from_gpt2_files,
    "bpe-trained": lambda: BPETokenizer.train(read_corpus(), 300, special_tokens=(END_OF_TEXT,)),
    "simple": _simple_tokenizer,
}


@pytest.fixture(scope="module", params=sorted(_TOKENIZERS))
def tokenizer(request):
    return _TOKENIZERS[request.param]()


def _eot_id(tokenizer) -> int:
    if isinstance(tokenizer, SimpleTokenizer):
        return tokenizer.str_to_int[END_OF_TEXT]
    return tokenizer.encode(END_OF_TEXT, allowed_special={END_OF_TEXT})[0]


def test_every_tokenizer_encodes_endoftext_as_its_special_id(tokenizer):
    ids = encode_text(TWO_DOCUMENTS, tokenizer)
    eot = _eot_id(tokenizer)
    # the documents are encoded on their own, with the one special id between them
    assert ids == tokenizer.encode(FIRST) + [eot] + tokenizer.encode(SECOND)
    assert ids.count(eot) == 1
    assert END_OF_TEXT in tokenizer.decode(ids)


def test_text_to_token_ids_agrees_with_encode_text(tokenizer):
    ids = encode_text(TWO_DOCUMENTS, tokenizer)
    batch = text_to_token_ids(TWO_DOCUMENTS, tokenizer)
    assert batch.shape == (1, len(ids)) and batch.dtype == torch.long
    assert batch[0].tolist() == ids
    assert token_ids_to_text(batch, tokenizer) == tokenizer.decode(ids)


def test_create_dataloader_serves_the_same_ids(tokenizer):
    ids = encode_text(TWO_DOCUMENTS, tokenizer)
    loader = create_dataloader(
        TWO_DOCUMENTS, batch_size=1, context_length=4, stride=1, shuffle=False, tokenizer=tokenizer
    )
    batches = list(loader)
    served = [inputs[0, 0].item() for inputs, _ in batches]
    last_inputs, last_targets = batches[-1]
    served += last_inputs[0, 1:].tolist() + [last_targets[0, -1].item()]
    assert served == ids
    assert _eot_id(tokenizer) in served


def test_gpt2_files_and_tiktoken_agree_through_the_helpers():
    ours, reference = BPETokenizer.from_gpt2_files(), gpt2_encoding()
    assert encode_text(TWO_DOCUMENTS, ours) == encode_text(TWO_DOCUMENTS, reference)
    assert encode_text(TWO_DOCUMENTS, reference)[5] == 50256


def test_simple_tokenizer_without_endoftext_gives_a_clear_error():
    tokenizer = SimpleTokenizer(build_vocab(split_text(FIRST + " " + SECOND)))
    message = r"'<\|endoftext\|>' is not in the vocabulary; build it with build_vocab"
    with pytest.raises(ValueError, match=message):
        encode_text(TWO_DOCUMENTS, tokenizer)
    with pytest.raises(ValueError, match=message):
        create_dataloader(TWO_DOCUMENTS, context_length=4, stride=1, tokenizer=tokenizer)
    with pytest.raises(ValueError, match=message):
        text_to_token_ids(TWO_DOCUMENTS, tokenizer)


def test_bpe_tokenizer_without_endoftext_gives_a_clear_error():
    tokenizer = BPETokenizer.train(read_corpus(), 300)
    message = r"contains '<\|endoftext\|>', which is not a special token of this tokenizer"
    with pytest.raises(ValueError, match=message):
        encode_text(TWO_DOCUMENTS, tokenizer)
    with pytest.raises(ValueError, match=message):
        create_dataloader(TWO_DOCUMENTS, context_length=4, stride=1, tokenizer=tokenizer)
    with pytest.raises(ValueError, match=message):
        text_to_token_ids(TWO_DOCUMENTS, tokenizer)
    # text without the special token still encodes
    assert encode_text(FIRST, tokenizer) == tokenizer.encode(FIRST)
