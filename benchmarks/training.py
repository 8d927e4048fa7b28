"""Time one optimizer step of the course's training loop against a plain loop and Hugging Face.

    python benchmarks/training.py [--threads 2] [--repeats 3] [--matmul-size 2048]

GPT-2 small, random weights (nothing is downloaded), float32, training mode with dropout 0 (so
every row does the same arithmetic, with no random masks), a batch of 2 x 256 random token ids,
AdamW from helpers.training.build_optimizer (lr 1e-4, weight decay 0.1 on matrices only),
gradient norm clipped at 1.0. Rows, one optimizer step each:

  (a) helpers.training.train_step, the function train_model calls once per step, fed as in
      train_model: batches_from(epoch_loader(...)), so the data loader is included;
  (b) a minimal plain-PyTorch loop over the same GPTModel and optimizer: zero_grad, forward,
      F.cross_entropy, backward, clip_grad_norm_, step;
  (c) Hugging Face's GPT2LMHeadModel with the same weights: forward(labels=...), backward,
      clip_grad_norm_, step of its own build_optimizer AdamW.

Also timed, in the same turns: one n x n float32 matmul (2 n^3 FLOPs), the reference rate for
model FLOPs utilisation (MFU). Printed: ms/step, tokens/s, ratios (a)/(b) (target <= 1.05) and
(a)/(c) (target <= 1.10), and MFU as a fraction of the measured matmul rate. CUDA rows are added
when a GPU is present.
"""

import argparse
import warnings
from dataclasses import replace

import torch
import torch.nn.functional as F
from timing import interleaved_medians
from torch.utils.data import TensorDataset

from helpers.gpt import GPT2_SMALL, GPTModel, count_parameters
from helpers.training import batches_from, build_optimizer, epoch_loader, train_step
from helpers.weights import hf_gpt2_config, load_gpt2_weights

warnings.filterwarnings("ignore", message="IProgress not found")
from transformers import GPT2LMHeadModel  # noqa: E402
from transformers.utils import logging  # noqa: E402

logging.set_verbosity_error()
BATCH_SIZE, NUM_TOKENS, LR, GRAD_CLIP = 2, 256, 1e-4, 1.0
TARGET_VS_PLAIN, TARGET_VS_HF = 1.05, 1.10  # maximum step-time ratios
CFG = replace(GPT2_SMALL, drop_rate=0.0)


def model_flops_per_step(model: GPTModel) -> float:
    """6 * N * tokens + 12 * num_layers * emb_dim * num_tokens * tokens (PaLM, appendix B).

    N counts every parameter that takes part in a matrix multiply: all of them except the
    position embedding (a lookup); the tied token embedding is counted once, for the output
    head. The second term is attention's scores and weighted sum, counted without the causal
    mask's savings, as is usual.
    """
    cfg, tokens = model.cfg, BATCH_SIZE * NUM_TOKENS
    num_params = count_parameters(model) - model.embedding.pos_emb.weight.numel()
    return 6 * num_params * tokens + 12 * cfg.num_layers * cfg.emb_dim * NUM_TOKENS * tokens


def step_runs(device: torch.device) -> tuple[dict, GPTModel]:
    """One callable per row, each doing one optimizer step."""
    torch.manual_seed(123)
    hf_model = GPT2LMHeadModel(hf_gpt2_config(CFG)).to(device).train()
    ours = load_gpt2_weights(GPTModel(CFG), hf_model.state_dict()).to(device).train()
    optimizer, hf_optimizer = build_optimizer(ours, LR), build_optimizer(hf_model, LR)
    torch.manual_seed(0)
    windows = torch.randint(0, CFG.vocab_size, (16, NUM_TOKENS + 1))  # 8 batches per epoch
    dataset = TensorDataset(windows[:, :-1], windows[:, 1:])  # inputs, next-token targets
    batches = batches_from(epoch_loader(dataset, BATCH_SIZE, seed=0))
    inputs, targets = (t[:BATCH_SIZE].to(device) for t in dataset.tensors)

    def plain_step() -> None:
        optimizer.zero_grad(set_to_none=True)
        logits = ours(inputs)  # (batch_size, num_tokens, vocab_size)
        loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        loss.backward()
        torch.nn.utils.clip_grad_norm_(ours.parameters(), GRAD_CLIP)
        optimizer.step()

    def hf_step() -> None:
        hf_optimizer.zero_grad(set_to_none=True)
        # Hugging Face shifts labels itself: position t is scored against inputs[:, t + 1].
        loss = hf_model(input_ids=inputs, labels=inputs).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(hf_model.parameters(), GRAD_CLIP)
        hf_optimizer.step()

    runs = {
        "(a) train_step": lambda: train_step(ours, batches, optimizer, device, grad_clip=GRAD_CLIP),
        "(b) plain PyTorch loop": plain_step,
        "(c) HF GPT2LMHeadModel": hf_step,
    }
    return runs, ours


def measure(device: torch.device, repeats: int, matmul_size: int) -> None:
    runs, ours = step_runs(device)
    a, b = (torch.randn(matmul_size, matmul_size, device=device) for _ in range(2))
    matmul = f"matmul {matmul_size}x{matmul_size}"
    seconds = interleaved_medians(runs | {matmul: lambda: a @ b}, repeats, device)
    peak = 2 * matmul_size**3 / seconds.pop(matmul)  # FLOP/s
    flops, tokens = model_flops_per_step(ours), BATCH_SIZE * NUM_TOKENS

    print(f"\n{device.type.upper()}: one optimizer step, batch {BATCH_SIZE} x {NUM_TOKENS} tokens")
    print(f"model FLOPs per step {flops / 1e9:.0f} G; {matmul}: {peak / 1e9:,.1f} GFLOP/s")
    print(f"{'':26}{'ms/step':>9}{'tokens/s':>10}{'MFU':>7}")
    for name, total in seconds.items():
        print(f"{name:26}{total * 1e3:9.0f}{tokens / total:10.0f}{flops / total / peak:7.2f}")
    ours_time = seconds["(a) train_step"]
    for label, reference, target in [
        ("(a) / (b)", seconds["(b) plain PyTorch loop"], TARGET_VS_PLAIN),
        ("(a) / (c)", seconds["(c) HF GPT2LMHeadModel"], TARGET_VS_HF),
    ]:
        ratio = ours_time / reference
        verdict = "met" if ratio <= target else "NOT met"
        print(f"{label:26}{ratio:9.3f}x  (target <= {target:.2f}x: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--matmul-size", type=int, default=2048)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, GPT-2 small (124M), float32, {args.threads} CPU threads")
    print(
        "MFU = (6 * N * tokens + 12 * num_layers * emb_dim * num_tokens * tokens) / step time, "
        "as a fraction of the matmul's FLOP/s"
    )
    for device in ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]:
        measure(torch.device(device), args.repeats, args.matmul_size)


if __name__ == "__main__":
    main()
