"""Time the course's GPTModel against Hugging Face's GPT2LMHeadModel of the same size, in one run.

    python benchmarks/gpt.py [--threads 2] [--repeats 5]

GPT-2 small, random weights (nothing is downloaded), float32, eval mode. Rows: forward time for
a batch of 1 x 256 tokens, and greedy generation speed for 100 new tokens after a 10-token
prompt (ours recomputes the whole sequence each step, like Hugging Face with use_cache=False;
Hugging Face's key-value cache is shown for reference). CUDA rows are added when a GPU is present.
"""

import argparse
import time
import warnings
from collections.abc import Callable

import torch

from helpers.gpt import GPT2_SMALL, GPTModel, generate_text_simple
from helpers.weights import load_gpt2_weights

warnings.filterwarnings("ignore", message="IProgress not found")
from transformers import GPT2Config, GPT2LMHeadModel  # noqa: E402
from transformers.utils import logging  # noqa: E402

logging.set_verbosity_error()
PROMPT_TOKENS, NEW_TOKENS, FORWARD_TOKENS = 10, 100, 256


def seconds(run: Callable[[], object], repeats: int, device: torch.device) -> float:
    """Median wall time of run() after one warm-up call."""
    run()
    times = []
    for _ in range(repeats):
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        run()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def models(device: torch.device) -> tuple[GPT2LMHeadModel, GPTModel]:
    cfg = GPT2_SMALL
    hf_config = GPT2Config(
        vocab_size=cfg.vocab_size,
        n_positions=cfg.context_length,
        n_embd=cfg.emb_dim,
        n_layer=cfg.num_layers,
        n_head=cfg.num_heads,
        activation_function="gelu_new",
        layer_norm_epsilon=1e-5,
    )
    torch.manual_seed(123)
    hf_model = GPT2LMHeadModel(hf_config).eval()
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
        forward_ours = seconds(lambda: ours(batch), repeats, device)
        forward_hf = seconds(lambda: hf_model(batch), repeats, device)
        generation = {
            "ours (no cache)": seconds(
                lambda: generate_text_simple(ours, prompt, NEW_TOKENS, 1024), repeats, device
            ),
            "HF use_cache=False": seconds(
                lambda: hf_generate(hf_model, prompt, False), repeats, device
            ),
            "HF use_cache=True": seconds(
                lambda: hf_generate(hf_model, prompt, True), repeats, device
            ),
        }
        same = torch.equal(
            generate_text_simple(ours, prompt, 20, 1024),
            hf_generate(hf_model, prompt, False)[:, :30],
        )
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
