"""Byte pair encoding from scratch, in pure Python: training, encoding, decoding (bonus chapter).

A token is a byte string; its id is also its *rank*, the order in which it was created. Ids 0-255
are the single bytes (in GPT-2's files, in GPT-2's own order). Encoding splits text into
pieces with a regex, then, inside each piece, repeatedly merges the adjacent pair of tokens
whose joined bytes have the lowest rank: the same rule as tiktoken, so with GPT-2's files the
ids are exactly tiktoken's.

Speed comes from three things, not from native code of our own: a regex engine does the
splitting (for GPT-2's pattern, Python's built-in re, more than twice as fast as the regex
package), most pieces of real text are whole tokens or repeat (a dictionary lookup or a cache
hit), and training counts pairs once and then updates only the counts a merge changes.

Saved format (JSON, UTF-8): ``{"format": "course-bpe", "version": 1, "pattern": <regex>,
"vocab": [<hex of token 0's bytes>, <hex of token 1's bytes>, ...], "special_tokens":
{<text>: <id>}}``.
"""

import heapq
import json
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import regex

from helpers.tokenizers import GPT2_PATTERN, gpt2_files_dir, verify_gpt2_files

CACHE_LIMIT = 100_000  # pieces remembered before the encode cache is cleared
ABOVE_BMP = re.compile("[\U00010000-\U0010ffff]")  # 4 bytes in UTF-8: emoji, for instance


def bmp_ranges(char_class: str) -> str:
    r"""The characters up to U+FFFF that char_class matches in the regex package, as ranges
    for a set of Python's re: r"\p{N}" -> "0-9²-³¹-¹¼-¾٠-٩..." (escaped where re needs it)."""
    # only up to U+FFFF: re looks those up in a table, but tries higher ranges one by one
    bmp = "".join(map(chr, range(0x10000)))
    runs = regex.findall(f"{char_class}+", bmp)
    return "".join(f"{re.escape(run[0])}-{re.escape(run[-1])}" for run in runs)


@cache  # built on first use, then shared by every tokenizer with GPT-2's pattern
def gpt2_pattern_for_re() -> re.Pattern:
    r"""GPT-2's pattern for Python's built-in re: the same pieces, more than twice as fast.

    re has no \p{L} or \p{N}, so each class is spelled out as ranges taken from the regex
    package itself: exact for text without characters above U+FFFF. Plain + stands for the
    possessive ++ (in re only from Python 3.11) and gives the same pieces, as in GPT-2's
    published pattern.
    """
    letters, numbers, spaces = bmp_ranges(r"\p{L}"), bmp_ranges(r"\p{N}"), bmp_ranges(r"\s")
    return re.compile(
        rf"'(?:[sdmt]|ll|ve|re)| ?[{letters}]+| ?[{numbers}]+| ?[^{spaces}{letters}{numbers}]+"
        rf"|[{spaces}]+$|[{spaces}]+(?![^{spaces}])|[{spaces}]"
    )


class BPETokenizer:
    """A byte-level BPE tokenizer: train your own, or load GPT-2's."""

    def __init__(
        self,
        vocab: dict[int, bytes] | None = None,
        special_tokens: dict[str, int] | None = None,
        pattern: str = GPT2_PATTERN,
    ):
        self.vocab = dict(vocab) if vocab is not None else {i: bytes([i]) for i in range(256)}
        self.ranks = {token: token_id for token_id, token in sorted(self.vocab.items())[::-1]}
        self.special_tokens = dict(special_tokens or {})
        self.pattern = pattern
        self.compiled = regex.compile(pattern)
        self.compiled_re = gpt2_pattern_for_re() if pattern == GPT2_PATTERN else None
        self.cache: dict[str, tuple[int, ...]] = {}

    @property
    def n_vocab(self) -> int:
        """Number of ids, special tokens included."""
        return len(self.vocab) + len(self.special_tokens)

    # ---- training -------------------------------------------------------------------------

    @classmethod
    def train(
        cls,
        text: str,
        vocab_size: int,
        special_tokens: tuple[str, ...] = (),
        pattern: str = GPT2_PATTERN,
    ) -> "BPETokenizer":
        """Learn vocab_size - 256 - len(special_tokens) merges from text.

        Each step merges the most frequent adjacent pair; ties go to the smallest
        (left id, right id). Training stops early if no pair occurs twice.
        """
        if vocab_size < 256 + len(special_tokens):
            raise ValueError(
                f"vocab_size={vocab_size} is too small: the 256 byte tokens and "
                f"{len(special_tokens)} special tokens need at least {256 + len(special_tokens)}"
            )
        pieces = Counter(regex.findall(pattern, text))
        words = [list(piece.encode("utf-8")) for piece in pieces]
        counts = list(pieces.values())
        vocab = {i: bytes([i]) for i in range(256)}
        trainer = _PairCounts(words, counts)
        for new_id in range(256, vocab_size - len(special_tokens)):
            pair = trainer.most_frequent()
            if pair is None:
                break
            trainer.merge(pair, new_id)
            vocab[new_id] = vocab[pair[0]] + vocab[pair[1]]
        specials = {token: len(vocab) + i for i, token in enumerate(special_tokens)}
        return cls(vocab, specials, pattern)

    # ---- encoding -------------------------------------------------------------------------

    def pieces(self, text: str) -> list[str]:
        """Split text with the pattern: "Hi there" -> ["Hi", " there"]."""
        # re's copy of GPT-2's pattern is exact up to U+FFFF; isascii() is instant, search is not
        if self.compiled_re is not None and (text.isascii() or not ABOVE_BMP.search(text)):
            return self.compiled_re.findall(text)
        return self.compiled.findall(text)

    def encode_ordinary(self, text: str) -> list[int]:
        """Encode text, treating special-token text as ordinary text."""
        ids: list[int] = []
        cache, ranks = self.cache, self.ranks
        for piece in self.pieces(text):
            if piece in cache:
                ids.extend(cache[piece])
                continue
            data = piece.encode("utf-8")
            token_ids = (ranks[data],) if data in ranks else tuple(bpe_merge(data, ranks))
            if len(cache) >= CACHE_LIMIT:
                cache.clear()
            cache[piece] = token_ids
            ids.extend(token_ids)
        return ids

    def encode(
        self, text: str, allowed_special: set[str] | str = frozenset(), disallowed_special="all"
    ) -> list[int]:
        """Encode text; as in tiktoken, allowed special tokens get their id, others raise."""
        if not isinstance(text, str):
            raise TypeError(f"encode expects a str, got {type(text).__name__}")
        known = set(self.special_tokens)
        allowed = known if allowed_special == "all" else set(allowed_special)
        for token in sorted(allowed - known):
            if token in text:
                raise ValueError(
                    f"the text contains {token!r}, which is not a special token of this "
                    f"tokenizer (it has {sorted(known)}); train it with special_tokens="
                    f"({token!r},), or leave it out of allowed_special to encode it as text"
                )
        allowed &= known
        disallowed = known - allowed if disallowed_special == "all" else set(disallowed_special)
        for token in disallowed:
            if token in text:
                raise ValueError(
                    f"Encountered text corresponding to disallowed special token {token!r}; pass "
                    f"allowed_special={{{token!r}}} to encode it as a special token, or "
                    "disallowed_special=() to encode it as ordinary text"
                )
        if not allowed:
            return self.encode_ordinary(text)
        splitter = "(" + "|".join(regex.escape(token) for token in sorted(allowed)) + ")"
        ids: list[int] = []
        for i, part in enumerate(regex.split(splitter, text)):
            # odd positions of the split are the special tokens themselves
            ids.extend([self.special_tokens[part]] if i % 2 else self.encode_ordinary(part))
        return ids

    # ---- decoding -------------------------------------------------------------------------

    def decode_bytes(self, ids: list[int]) -> bytes:
        """Join the bytes of each token."""
        special_bytes = {i: token.encode("utf-8") for token, i in self.special_tokens.items()}
        try:
            return b"".join(self.vocab[i] if i in self.vocab else special_bytes[i] for i in ids)
        except (KeyError, TypeError):
            bad = [i for i in ids if i not in self.vocab and i not in special_bytes]
            raise ValueError(
                f"token ids {bad[:5]} are not in the vocabulary "
                f"(valid ids: 0 to {self.n_vocab - 1})"
            ) from None

    def decode(self, ids: list[int]) -> str:
        """Decode to text; bytes that are not valid UTF-8 become the replacement character."""
        return self.decode_bytes(ids).decode("utf-8", errors="replace")

    # ---- GPT-2's files, saving and loading --------------------------------------------------

    @classmethod
    def from_gpt2_files(cls, files_dir: Path | None = None) -> "BPETokenizer":
        """GPT-2's tokenizer, from its vocab.bpe (the merges) and encoder.json (the ids)."""
        files_dir = gpt2_files_dir() if files_dir is None else Path(files_dir)
        verify_gpt2_files(files_dir)
        byte_to_char = gpt2_byte_to_unicode()
        char_to_byte = {char: byte for byte, char in byte_to_char.items()}
        lines = (files_dir / "vocab.bpe").read_text(encoding="utf-8").splitlines()[1:]
        merges = [line.split() for line in lines if line]
        # GPT-2's single-byte ids follow the order of their stand-in characters
        tokens = [bytes([char_to_byte[char]]) for char in sorted(char_to_byte)]
        tokens += [bytes(char_to_byte[c] for c in left + right) for left, right in merges]
        encoder = json.loads((files_dir / "encoder.json").read_text(encoding="utf-8"))
        for token_id, token in enumerate(tokens):  # the merges' order must give GPT-2's ids
            if encoder.get("".join(byte_to_char[b] for b in token)) != token_id:
                raise ValueError(f"GPT-2's vocab.bpe and encoder.json disagree on id {token_id}")
        return cls(dict(enumerate(tokens)), {"<|endoftext|>": len(tokens)}, GPT2_PATTERN)

    def save(self, path: str | Path) -> None:
        """Write the tokenizer as JSON (the format in this module's docstring)."""
        data = {
            "format": "course-bpe",
            "version": 1,
            "pattern": self.pattern,
            "vocab": [self.vocab[i].hex() for i in range(len(self.vocab))],
            "special_tokens": self.special_tokens,
        }
        Path(path).write_text(json.dumps(data, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "BPETokenizer":
        """Read a tokenizer written by save(), checking that the file is complete and consistent."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if data.get("format") != "course-bpe" or data.get("version") != 1:
                raise ValueError("not a course-bpe version 1 file")
            vocab = {i: bytes.fromhex(token) for i, token in enumerate(data["vocab"])}
            specials = {str(k): int(v) for k, v in data["special_tokens"].items()}
            pattern = data["pattern"]
            _check_loaded(vocab, specials)
            return cls(vocab, specials, pattern)
        except (ValueError, KeyError, TypeError, AttributeError, regex.error) as error:
            raise ValueError(f"corrupt tokenizer file {path}: {error}") from None


def _check_loaded(vocab: dict[int, bytes], specials: dict[str, int]) -> None:
    if not {bytes([b]) for b in range(256)} <= set(vocab.values()):
        raise ValueError("the vocabulary lacks some of the 256 single bytes")
    if len(set(vocab.values())) != len(vocab):
        raise ValueError("two tokens have the same bytes")
    if sorted(specials.values()) != list(range(len(vocab), len(vocab) + len(specials))):
        raise ValueError("special token ids must follow the vocabulary's ids")


def gpt2_byte_to_unicode() -> dict[int, str]:
    """GPT-2's printable stand-in character for each byte, used in its vocabulary files.

    Printable bytes stand for themselves; the others (space, control bytes, ...) get the
    characters from U+0100 on, in byte order. So b" " is written "Ġ".
    """
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1)]
    printable += range(ord("®"), ord("ÿ") + 1)
    others = [b for b in range(256) if b not in printable]
    return {**{b: chr(b) for b in printable}, **{b: chr(256 + n) for n, b in enumerate(others)}}


def bpe_merge(data: bytes, ranks: dict[bytes, int]) -> list[int]:
    """Merge the bytes of one piece by rank: b"hello" -> ids of [b"hello"] if it is one token.

    Repeatedly joins the adjacent pair with the lowest-ranked joined bytes, leftmost first on a
    tie (tiktoken's rule). A heap of candidate pairs keeps long pieces fast: O(n log n).
    """
    n = len(data)
    starts_next = list(range(1, n + 1))  # part starting at i ends where part starts_next[i] begins
    starts_prev = list(range(-1, n - 1))
    alive = [True] * n
    heap = []
    for i in range(n - 1):
        rank = ranks.get(data[i : i + 2])
        if rank is not None:
            heap.append((rank, i, i + 2))
    heapq.heapify(heap)
    while heap:
        rank, i, end = heapq.heappop(heap)
        right = starts_next[i]
        if not alive[i] or right >= n or starts_next[right] != end:
            continue  # stale: one of the two parts has changed since this pair was pushed
        alive[right] = False  # part i swallows its right neighbour
        starts_next[i] = end
        if end < n:
            starts_prev[end] = i
            _push_pair(heap, data, ranks, i, starts_next[end])
        if starts_prev[i] >= 0:
            _push_pair(heap, data, ranks, starts_prev[i], end)
    return [ranks[data[i : starts_next[i]]] for i in range(n) if alive[i]]


def _push_pair(heap: list, data: bytes, ranks: dict[bytes, int], start: int, end: int) -> None:
    rank = ranks.get(data[start:end])
    if rank is not None:
        heapq.heappush(heap, (rank, start, end))


class _PairCounts:
    """Adjacent-pair counts over weighted words, updated incrementally as pairs are merged."""

    def __init__(self, words: list[list[int]], counts: list[int]):
        self.words, self.counts = words, counts
        self.pair_counts: Counter = Counter()
        self.where: defaultdict = defaultdict(set)  # pair -> indices of words that contain it
        for index, word in enumerate(words):
            for pair in zip(word, word[1:], strict=False):
                self.pair_counts[pair] += counts[index]
                self.where[pair].add(index)
        # max-heap by count, then the smallest pair: the documented tie rule
        self.heap = [(-count, pair) for pair, count in self.pair_counts.items()]
        heapq.heapify(self.heap)

    def most_frequent(self) -> tuple[int, int] | None:
        """The pair to merge next, or None when no pair occurs at least twice."""
        while self.heap:
            negative_count, pair = self.heap[0]
            if self.pair_counts.get(pair, 0) == -negative_count:
                return pair if -negative_count >= 2 else None
            heapq.heappop(self.heap)  # stale entry: the count changed after it was pushed
        return None

    def merge(self, pair: tuple[int, int], new_id: int) -> None:
        """Replace pair by new_id in every word that has it, and update the counts it touches."""
        changed = Counter()
        for index in sorted(self.where.pop(pair, ())):
            word, count = self.words[index], self.counts[index]
            merged = merge_pair(word, pair, new_id)
            if len(merged) == len(word):
                continue
            for old in zip(word, word[1:], strict=False):
                changed[old] -= count
            for new in zip(merged, merged[1:], strict=False):
                changed[new] += count
                self.where[new].add(index)
            self.words[index] = merged
        for key, delta in changed.items():
            if delta:
                self.pair_counts[key] += delta
                heapq.heappush(self.heap, (-self.pair_counts[key], key))
        self.pair_counts.pop(pair, None)


def merge_pair(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """Replace each occurrence of pair, left to right: [1, 2, 3, 1, 2], (1, 2), 4 -> [4, 3, 4]."""
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out
