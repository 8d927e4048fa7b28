"""Time helpers.generation.generate, with and without its key-value cache, against Hugging Face.

    python benchmarks/generation.py [--threads 2] [--repeats 3] [--new-tokens 200]
        [--uncached-repeats 1]

GPT-2 small, random weights (nothing is downloaded), float32, eval mode, batch of 1, greedy
decoding of --new-tokens tokens after a 10-token prompt. Rows: our generate(use_cache=True),
Hugging Face's GPT2LMHeadModel.generate(use_cache=True) on the same weights (min_new_tokens set,
so both make every token), and our generate(use_cache=False), which runs the model over the whole
sequence at every step. Before timing, all three are checked to give identical ids.

The two cached rows are timed in turns (--repeats); the uncached row, far slower, is timed on its
own with --uncached-repeats, with the id check as its only warm-up, which keeps a default run on
2 CPU threads to minutes rather than most of an hour. Printed: tokens/s per row, and the ratios ours
cached / Hugging Face cached (target >= 1.0) and ours cached / ours uncached (target >= 4).
CUDA rows are added when a GPU is present.
"""

import argparse
import warnings

import torch
from gpt import models  # GPT-2 small, random weights, ours loaded from Hugging Face's
from timing import interleaved_medians

from helpers.generation import generate
from helpers.gpt import GPT2_SMALL

warnings.filterwarnings("ignore", message="IProgress not found")
from transformers import GPT2LMHeadModel  # noqa: E402
from transformers.utils import logging  # noqa: E402

logging.set_verbosity_error()
PROMPT_TOKENS = 10
TARGET_VS_HF, TARGET_VS_UNCACHED = 1.0, 4.0  # minimum tokens/s ratios


def hf_generate(model: GPT2LMHeadModel, idx: torch.Tensor, new_tokens: int) -> torch.Tensor:
    return model.generate(
        idx,
        attention_mask=torch.ones_like(idx),
        max_new_tokens=new_tokens,
        min_new_tokens=new_tokens,  # never stop early at the end-of-text id
        do_sample=False,
        use_cache=True,
        pad_token_id=0,
    )


def report(label: str, ratio: float, target: float) -> None:
    verdict = "met" if ratio >= target else "NOT met"
    print(f"{label:34}{ratio:8.2f}x  (target >= {target:.1f}x: {verdict})")


def measure(device: torch.device, repeats: int, uncached_repeats: int, new_tokens: int) -> None:
    hf_model, ours = models(device)
    torch.manual_seed(0)
    prompt = torch.randint(0, GPT2_SMALL.vocab_size, (1, PROMPT_TOKENS), device=device)
    runs = {
        "ours use_cache=True": lambda: generate(ours, prompt, new_tokens, use_cache=True),
        "HF use_cache=True": lambda: hf_generate(hf_model, prompt, new_tokens),
        "ours use_cache=False": lambda: generate(ours, prompt, new_tokens, use_cache=False),
    }
    ids = {name: run() for name, run in runs.items()}
    reference = ids["ours use_cache=True"]
    assert reference.shape == (1, PROMPT_TOKENS + new_tokens), reference.shape
    for name, out in ids.items():
        assert torch.equal(out, reference), f"{name} generated other ids than ours with the cache"
    cached_names = ["ours use_cache=True", "HF use_cache=True"]
    seconds = interleaved_medians({name: runs[name] for name in cached_names}, repeats, device)
    uncached = {"ours use_cache=False": runs["ours use_cache=False"]}
    # The id check above was its warm-up: one more run of minutes would change nothing.
    seconds |= interleaved_medians(uncached, uncached_repeats, device, warmups=0)

    print(
        f"\n{device.type.upper()}: greedy generation, {new_tokens} new tokens after "
        f"{PROMPT_TOKENS}, batch 1"
    )
    print(f"{'':34}{'tokens/s':>9}{'ms/token':>10}")
    for name, total in seconds.items():
        print(f"{name:34}{new_tokens / total:9.1f}{total / new_tokens * 1e3:10.1f}")
    cached = seconds["ours use_cache=True"]
    report("ours cached / HF cached", seconds["HF use_cache=True"] / cached, TARGET_VS_HF)
    report(
        "ours cached / ours uncached", seconds["ours use_cache=False"] / cached, TARGET_VS_UNCACHED
    )
    print(f"all three generated identical ids ({new_tokens} new tokens each): True")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of the cached rows")
    parser.add_argument("--uncached-repeats", type=int, default=1, help="timed uncached runs")
    parser.add_argument("--new-tokens", type=int, default=200)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, GPT-2 small (124M), float32, {args.threads} CPU threads")
    for device in ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]:
        measure(torch.device(device), args.repeats, args.uncached_repeats, args.new_tokens)


if __name__ == "__main__":
    main()
