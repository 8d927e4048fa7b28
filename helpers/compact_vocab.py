"""GPT-2's tokenizer with its ids renumbered to the few a text uses: a CPU teaching trick.

A small model spends most of its time in the output head: 50,257 logits per position. A story
uses a few thousand of GPT-2's ids, so renumbering just those (0, 1, 2, ...) shrinks the head
and the embedding table many times over (33x for the course story: 50,257 ids against 1,523)
and trains much faster on a CPU. The text is still split by GPT-2's byte pair encoding;
decoding maps each compact id back to its GPT-2 id. GPT-2's 256 single-byte tokens are always
kept, so any text can still be encoded: a GPT-2 token the text never used is spelled out byte
by byte. Real models keep the full vocabulary (the default).
"""

import tiktoken

from helpers.tokenizers import END_OF_TEXT, gpt2_encoding


class CompactTokenizer:
    """Encode with GPT-2's BPE, then renumber: compact id i stands for GPT-2 id kept_ids[i]."""

    def __init__(self, kept_ids: list[int], base: tiktoken.Encoding | None = None):
        self.base = gpt2_encoding() if base is None else base
        byte_ids = [self.base.encode_single_token(bytes([b])) for b in range(256)]
        eot_id = self.base.encode_single_token(END_OF_TEXT)
        self.kept_ids = sorted(set(kept_ids) | set(byte_ids) | {eot_id})
        self.to_compact = {gpt2_id: i for i, gpt2_id in enumerate(self.kept_ids)}
        self.eot_id = self.to_compact[eot_id]

    @classmethod
    def from_text(cls, text: str, base: tiktoken.Encoding | None = None) -> "CompactTokenizer":
        """Keep the GPT-2 ids that text uses (plus the 256 bytes and <|endoftext|>)."""
        base = gpt2_encoding() if base is None else base
        return cls(base.encode(text, allowed_special={END_OF_TEXT}), base)

    @property
    def n_vocab(self) -> int:
        return len(self.kept_ids)

    def _spell(self, gpt2_id: int) -> list[int]:
        """Compact ids for one GPT-2 id: itself if kept, else its bytes one by one."""
        if gpt2_id in self.to_compact:
            return [self.to_compact[gpt2_id]]
        raw = self.base.decode_single_token_bytes(gpt2_id)
        return [self.to_compact[self.base.encode_single_token(bytes([b]))] for b in raw]

    def encode(self, text: str, allowed_special=frozenset(), disallowed_special="all") -> list[int]:
        """Text -> compact ids (same special-token rules as tiktoken's encode)."""
        gpt2_ids = self.base.encode(
            text, allowed_special=allowed_special, disallowed_special=disallowed_special
        )
        return [i for gpt2_id in gpt2_ids for i in self._spell(gpt2_id)]

    def to_gpt2(self, ids: list[int]) -> list[int]:
        """Compact ids -> GPT-2 ids."""
        return [self.kept_ids[i] for i in ids]

    def decode(self, ids: list[int]) -> str:
        """Compact ids -> text, through GPT-2's decoder."""
        return self.base.decode(self.to_gpt2(ids))
