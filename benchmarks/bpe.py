"""Encode and train speed of the course's pure-Python BPE, beside tiktoken, in one run.

    python benchmarks/bpe.py [FILE] [--repeats 3]

FILE is any UTF-8 text (default: the course corpus). Encoding uses GPT-2's vocabulary in both
tokenizers, checks that they give the same ids, and reports MB/s (our encode cache is emptied
before every timed run, so each run starts cold). Training times are for our trainer alone:
tiktoken does not train.
"""

import argparse
import time
from pathlib import Path

from helpers.bpe import BPETokenizer
from helpers.data import read_corpus
from helpers.tokenizers import gpt2_encoding


def best_seconds(run, repeats: int) -> float:
    """Fastest of several runs: the least disturbed by anything else on the machine."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def encode_table(text: str, repeats: int) -> None:
    ours, reference = BPETokenizer.from_gpt2_files(), gpt2_encoding()
    same = ours.encode_ordinary(text) == reference.encode_ordinary(text)

    def ours_cold():
        ours.cache.clear()
        ours.encode_ordinary(text)

    megabytes = len(text.encode("utf-8")) / 1e6
    ours_speed = megabytes / best_seconds(ours_cold, repeats)
    tiktoken_speed = megabytes / best_seconds(lambda: reference.encode_ordinary(text), repeats)
    print(f"encode, GPT-2 vocabulary, {megabytes:.2f} MB; same ids as tiktoken: {same}")
    print(f"{'':28}{'MB/s':>8}{'x tiktoken':>12}")
    print(f"{'tiktoken (Rust, 1 thread)':28}{tiktoken_speed:8.2f}{1:12.2f}")
    print(f"{'ours (pure Python)':28}{ours_speed:8.2f}{ours_speed / tiktoken_speed:12.2f}")
    print("target: ours >= 0.20 x tiktoken")


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
    parser.add_argument("file", nargs="?", help="a UTF-8 text file (default: the course corpus)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    text = Path(args.file).read_text(encoding="utf-8") if args.file else read_corpus()
    encode_table(text, args.repeats)
    train_table(text)


if __name__ == "__main__":
    main()
