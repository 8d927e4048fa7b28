"""Encode and train speed of the course's pure-Python BPE, beside tiktoken, in one run.

    python benchmarks/bpe.py [FILE ...] [--repeats 5] [--no-train]

Encoding uses GPT-2's vocabulary in both tokenizers, checks that they give the same ids, and
times them in turns (our encode cache is emptied before every timed run, so each run starts
cold). Texts: each FILE (any UTF-8 text), or by default the course story (31 KB, many words seen
once) and the first 1 MB of the generated stories (English prose). Printed per text: MB/s of
each, and our time / tiktoken's time, with the target (at most 2.0) and whether it is met; then
the time of splitting into pieces alone, by the regex package and by re's copy of GPT-2's
pattern, which our encoder uses for text without characters above U+FFFF.

Training times are for our trainer alone (tiktoken does not train), on the first FILE or the
course story.
"""

import argparse
import time
from pathlib import Path

import torch
from timing import interleaved_medians

from helpers.bpe import ABOVE_BMP, BPETokenizer
from helpers.data import read_corpus
from helpers.tokenizers import gpt2_encoding

TARGET_TIME_RATIO = 2.0  # our encode time / tiktoken's, at most


def encode_row(label: str, text: str, ours: BPETokenizer, reference, repeats: int) -> None:
    same = ours.encode_ordinary(text) == reference.encode_ordinary(text)

    def ours_cold():
        ours.cache.clear()
        ours.encode_ordinary(text)

    runs = {"ours": ours_cold, "tiktoken": lambda: reference.encode_ordinary(text)}
    seconds = interleaved_medians(runs, repeats, torch.device("cpu"))
    megabytes = len(text.encode("utf-8")) / 1e6
    ratio = seconds["ours"] / seconds["tiktoken"]
    verdict = "met" if ratio <= TARGET_TIME_RATIO else "NOT met"
    print(
        f"{label:30}{megabytes:6.2f}{megabytes / seconds['tiktoken']:10.2f}"
        f"{megabytes / seconds['ours']:8.2f}{ratio:8.2f}  {verdict:8}{str(same):>5}"
    )


def encode_table(texts: dict[str, str], ours: BPETokenizer, repeats: int) -> None:
    reference = gpt2_encoding()
    print("encode, GPT-2 vocabulary; MB/s of tiktoken (Rust, 1 thread) and ours (pure Python)")
    print(f"{'text':30}{'MB':>6}{'tiktoken':>10}{'ours':>8}{'time x':>8}  {'target':8}{'same':>5}")
    for label, text in texts.items():
        encode_row(label, text, ours, reference, repeats)
    print(
        f"time x: our time / tiktoken's; target: at most {TARGET_TIME_RATIO:.1f} on 1 MB of prose"
    )
    print("same: the same ids as tiktoken")


def split_row(label: str, text: str, ours: BPETokenizer, repeats: int) -> None:
    runs = {
        "regex": lambda: ours.compiled.findall(text),
        "re": lambda: ours.compiled_re.findall(text),
    }
    seconds = interleaved_medians(runs, repeats, torch.device("cpu"))
    speedup = seconds["regex"] / seconds["re"]
    megabytes = len(text.encode("utf-8")) / 1e6
    note = "  (not used: characters above U+FFFF)" if ABOVE_BMP.search(text) else ""
    print(
        f"{label:30}{megabytes / seconds['regex']:8.2f}{megabytes / seconds['re']:8.2f}"
        f"{speedup:8.2f}{note}"
    )


def split_table(texts: dict[str, str], ours: BPETokenizer, repeats: int) -> None:
    print("\nsplitting into pieces with GPT-2's pattern, MB/s")
    print(f"{'text':30}{'regex':>8}{'re':>8}{'re x':>8}")
    for label, text in texts.items():
        split_row(label, text, ours, repeats)
    print("re x: how many times faster re's copy of the pattern splits than the regex package")


def train_table(text: str) -> None:
    small = text.encode("utf-8")[:20_000].decode("utf-8", errors="ignore")
    runs = [("first 20 KB", small, 1_000), ("whole file", text, 1_000), ("whole file", text, 5_000)]
    print(f"\n{'train on':14}{'vocab':>8}{'reached':>9}{'seconds':>9}")
    for label, sample, vocab_size in runs:
        start = time.perf_counter()
        tokenizer = BPETokenizer.train(sample, vocab_size)
        seconds = time.perf_counter() - start
        print(f"{label:14}{vocab_size:>8,}{tokenizer.n_vocab:>9,}{seconds:9.2f}")
    print("targets: 1,000 on 20 KB < 0.3 s; 5,000 on about 1 MB < 20 s")
    print("(training stops early, below the asked size, when no pair occurs twice)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="UTF-8 text files (default: the course's texts)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-train", action="store_true", help="time encoding only")
    args = parser.parse_args()
    if args.files:
        texts = {Path(name).name: Path(name).read_text(encoding="utf-8") for name in args.files}
    else:
        stories = read_corpus("stories_train.txt").encode("utf-8")[:1_000_000]
        texts = {
            "the course story": read_corpus(),
            "generated stories, first 1 MB": stories.decode("utf-8", errors="ignore"),
        }
    ours = BPETokenizer.from_gpt2_files()
    encode_table(texts, ours, args.repeats)
    split_table(texts, ours, args.repeats)
    if not args.no_train:
        train_table(next(iter(texts.values())))


if __name__ == "__main__":
    main()
