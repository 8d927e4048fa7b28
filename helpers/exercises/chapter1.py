"""Checks for Chapter 1's exercises (text data): windows, vocabularies, GPT-2's pieces, strides."""

from helpers.data import read_corpus
from helpers.exercises.checking import Case, _call, exercise
from helpers.tokenizers import build_vocab, gpt2_encoding, split_text


@exercise("1.1")
def _check_1_1() -> list[Case]:
    """num_windows(n, context_length, stride): the (input, target) windows GPTDataset makes."""
    cases = []
    for n, context_length, stride in [
        (10, 4, 1),
        (10, 4, 4),
        (20, 4, 7),
        (5, 4, 1),
        (4, 4, 2),
        (7_941, 256, 128),
    ]:
        fits = sum(1 for start in range(0, n, stride) if start + context_length + 1 <= n)
        mistakes = [
            (
                (n - context_length) // stride + 1,
                "a window needs context_length + 1 tokens: the inputs, plus one more token for "
                "the last target",
            ),
            ((n - context_length - 1) // stride, "count the window that starts at 0 too"),
        ]
        cases.append(
            Case(
                f"num_windows(n={n}, context_length={context_length}, stride={stride})",
                _call(n, context_length, stride),
                fits,
                "list the start positions 0, stride, 2 * stride, ... and keep the ones whose "
                "window (inputs and targets) still fits in n tokens",
                mistakes,
            )
        )
    return cases


def _vocab_of(tokens: list[str]) -> dict[str, int]:
    return {token: i for i, token in enumerate(sorted(set(tokens)))}


@exercise("1.2")
def _check_1_2() -> list[Case]:
    """lowercase_vocab(text): the vocabulary of the lower-cased text."""
    cases = []
    for text in ["The cat saw the Cat.", "Mara's boat, MARA'S BOAT!", "", read_corpus()]:
        shows = repr(text) if len(text) < 40 else "the story (text)"
        mistakes = [
            (
                _vocab_of(split_text(text)),
                "'The' and 'the' still have ids of their own: lower-case the text before you "
                "split it",
            ),
            (
                {w.lower(): i for w, i in _vocab_of(split_text(text)).items()},
                "lower-casing the finished vocabulary keeps its old ids, with gaps: build a new "
                "vocabulary from the lower-cased tokens",
            ),
            (
                _vocab_of(text.lower().split()),
                "split the text with split_text, which separates punctuation from words; "
                "str.split() keeps 'cat.' whole",
            ),
        ]
        cases.append(
            Case(
                f"lowercase_vocab({shows})",
                _call(text),
                build_vocab(split_text(text.lower())),
                "the vocabulary maps each distinct token of the lower-cased text to an id, "
                "numbered 0, 1, 2, ... in sorted order (build_vocab does that)",
                mistakes,
            )
        )
    return cases


@exercise("1.3")
def _check_1_3() -> list[Case]:
    """gpt2_pieces(word): the pieces GPT-2 cuts a word into inside a sentence."""
    encoding = gpt2_encoding()
    cases = []
    for word in ["the", "grandmother", "Quillwort", "silver-tipped", "great-great-grandmother"]:
        ids = encoding.encode(" " + word)
        pieces = [encoding.decode_single_token_bytes(i).decode("utf-8", "replace") for i in ids]
        bare = [encoding.decode([i]) for i in encoding.encode(word)]
        mistakes = [
            (
                bare,
                "inside a sentence a word comes after a space, and GPT-2's tokens carry that "
                "space: look at ' ' + word",
            ),
            (ids, "these are token ids; decode each id on its own to see the piece it stands for"),
            (
                [encoding.decode(ids)],
                "decode each id by itself: decoding the whole list at once joins the pieces back "
                "into the word",
            ),
        ]
        cases.append(
            Case(
                f"gpt2_pieces({word!r})",
                _call(word),
                pieces,
                "encode the word as it appears in a sentence, then decode each id separately "
                "into its text piece",
                mistakes,
            )
        )
    return cases


@exercise("1.4")
def _check_1_4() -> list[Case]:
    """half_overlap_stride(context_length): the stride whose windows overlap by half."""
    cases = []
    for context_length in [8, 4, 256, 2]:
        mistakes = [
            (context_length, "with stride = context_length the windows touch but share nothing"),
            (context_length // 4, "that stride makes the windows share three quarters"),
        ]
        cases.append(
            Case(
                f"half_overlap_stride({context_length})",
                _call(context_length),
                context_length // 2,
                "row 1 starts stride tokens after row 0; for half the tokens to be shared, it "
                "starts half way through row 0",
                mistakes,
            )
        )
    return cases
