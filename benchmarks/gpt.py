"""Time the course's GPTModel against Hugging Face's GPT2LMHeadModel of the same size, in one run.

    python benchmarks/gpt.py [--threads 2] [--repeats 5]

GPT-2 small, random weights (nothing is downloaded), float32, eval mode. Rows: forward time for
a batch of 1 x 256 tokens, and greedy generation speed for 100 new tokens after a 10-token
prompt (ours recomputes the whole sequence each step, like Hugging Face with use_cache=False;
Hugging Face's key-value cache is shown for reference). CUDA rows are added when a GPU is present.
"""

import argparse
import warnings

import torch
from timing import interleaved_medians

from helpers.gpt import GPT2_SMALL, GPTModel, generate_text_simple
from helpers.weights import hf_gpt2_config, load_gpt2_weights

warnings.filterwarnings("ignore", message="IProgress not found")
from transformers import GPT2LMHeadModel  # noqa: E402
from transformers.utils import logging  # noqa: E402

logging.set_verbosity_error()
PROMPT_TOKENS, NEW_TOKENS, FORWARD_TOKENS = 10, 100, 256


def models(device: torch.device) -> tuple[GPT2LMHeadModel, GPTModel]:
    cfg = GPT2_SMALL
    torch.manual_seed(123)
    hf_model = GPT2LMHeadModel(hf_gpt2_config(cfg)).eval()
    ours = load_gpt2_weights(GPTModel(cfg), hf_model.state_dict()).eval()
    return hf_model.to(device), ours.to(device)


def hf_generate(model: GPT2LMHeadModel, idx: torch.Tensor, use_cache: bool) -> torch.Tensor:
    return model.generate(
        idx,
        attention_mask=torch.ones_like(idx),
        max_new_tokens=NEW_TOKENS,
        min_new_tokens=NEW_TOKENS,
        do_sample=False,
        use_cache=use_cache,
        pad_token_id=0,
    )


def measure(device: torch.device, repeats: int) -> None:
    hf_model, ours = models(device)
    torch.manual_seed(0)
    batch = torch.randint(0, 50_257, (1, FORWARD_TOKENS), device=device)
    prompt = batch[:, :PROMPT_TOKENS]
    with torch.no_grad():
        forward = interleaved_medians(
            {"ours": lambda: ours(batch), "HF": lambda: hf_model(batch)}, repeats, device
        )
        generation = interleaved_medians(
            {
                "ours (no cache)": lambda: generate_text_simple(ours, prompt, NEW_TOKENS, 1024),
                "HF use_cache=False": lambda: hf_generate(hf_model, prompt, False),
                "HF use_cache=True": lambda: hf_generate(hf_model, prompt, True),
            },
            repeats,
            device,
        )
        same = torch.equal(
            generate_text_simple(ours, prompt, 20, 1024),
            hf_generate(hf_model, prompt, False)[:, :30],
        )
    forward_ours, forward_hf = forward["ours"], forward["HF"]
    print(f"\n{device.type.upper()}: forward, batch 1 x {FORWARD_TOKENS} tokens")
    print(f"{'':24}{'ms':>9}{'x HF':>8}")
    print(f"{'ours':24}{forward_ours * 1e3:9.1f}{forward_ours / forward_hf:8.2f}  (target <= 1.2)")
    print(f"{'HF GPT2LMHeadModel':24}{forward_hf * 1e3:9.1f}{1:8.2f}")
    print(
        f"\n{device.type.upper()}: greedy generation, {NEW_TOKENS} new tokens after {PROMPT_TOKENS}"
    )
    print(f"{'':24}{'tokens/s':>9}{'x HF no cache':>15}")
    base = generation["HF use_cache=False"]
    for name, total in generation.items():
        print(f"{name:24}{NEW_TOKENS / total:9.1f}{base / total:15.2f}")
    print(f"first 20 generated ids identical to Hugging Face's: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, GPT-2 small (124M), float32, {args.threads} CPU threads")
    measure(torch.device("cpu"), args.repeats)
    if torch.cuda.is_available():
        measure(torch.device("cuda"), args.repeats)


if __name__ == "__main__":
    main()
