"""Time one optimizer step of the course's GPT against a lean reference model and Hugging Face.

    python benchmarks/training.py [--threads 2] [--repeats N] [--matmul-size 2048]
        [--size course|gpt2-small|all]

Two sizes, random weights (nothing is downloaded), float32, training mode with dropout 0 (so
every row does the same arithmetic, with no random masks), AdamW from
helpers.training.build_optimizer (lr 1e-4, weight decay 0.1 on matrices only), gradient norm
clipped at 1.0:

  course:      the course model of Chapter 5 (4 blocks, emb_dim 128, 4 heads, context 128,
               the stories' compact vocabulary of 2,412 ids), a batch of 16 x 128 tokens,
               15 timed turns by default (a step takes a fraction of a second);
  gpt2-small:  GPT-2 small (124M), a batch of 2 x 256 tokens, 5 timed turns by default.

Rows, one optimizer step each:

  (a) helpers.training.train_step, the function train_model calls once per step, fed as in
      train_model: batches_from(epoch_loader(...)), so the data loader is included;
  (b) a minimal plain-PyTorch loop over the same GPTModel and optimizer: zero_grad, forward,
      F.cross_entropy, backward, clip_grad_norm_, step;
  (c) Hugging Face's GPT2LMHeadModel with the same weights: forward(labels=...), backward,
      clip_grad_norm_, step of its own build_optimizer AdamW;
  (d) LeanGPT, defined below the way performance-minded PyTorch code is written (one fused
      query/key/value nn.Linear, nn.LayerNorm, F.gelu(approximate="tanh"),
      scaled_dot_product_attention(is_causal=True), tied head), with the same weights, in the
      same loop as (b).

Also timed, in the same turns: one n x n float32 matmul (2 n^3 FLOPs), the reference rate for
model FLOPs utilisation (MFU). Printed: ms/step, tokens/s and MFU per row, and the ratios of
step times with their targets: (a)/(b) <= 1.05 (the course loop's overhead), (b)/(d) <= 1.05
(the course's model against the lean one), (b)/(c) <= 1.00 and (a)/(c) <= 1.10 (against Hugging
Face). CUDA rows are added when a GPU is present.
"""

import argparse
import warnings
from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F
from timing import interleaved_medians
from torch import nn
from torch.utils.data import TensorDataset

from helpers.gpt import GPT2_SMALL, GPTConfig, GPTModel, count_parameters
from helpers.training import batches_from, build_optimizer, epoch_loader, train_step
from helpers.weights import hf_gpt2_config, load_gpt2_weights

warnings.filterwarnings("ignore", message="IProgress not found")
from transformers import GPT2LMHeadModel  # noqa: E402
from transformers.utils import logging  # noqa: E402

logging.set_verbosity_error()
LR, GRAD_CLIP = 1e-4, 1.0
ROWS = {
    "a": "(a) train_step",
    "b": "(b) plain loop, GPTModel",
    "c": "(c) HF GPT2LMHeadModel",
    "d": "(d) LeanGPT",
}
TARGETS = [  # (numerator, denominator, what it measures, maximum ratio of step times)
    ("a", "b", "the course loop's overhead", 1.05),
    ("b", "d", "GPTModel against LeanGPT", 1.05),
    ("b", "c", "GPTModel against Hugging Face", 1.00),
    ("a", "c", "train_step against Hugging Face", 1.10),
]


@dataclass(frozen=True)
class Size:
    """A model size and the batch it is timed on."""

    name: str
    cfg: GPTConfig
    batch_size: int
    num_tokens: int
    repeats: int  # timed turns unless --repeats says otherwise


SIZES = {
    "course": Size(
        "the course model",
        GPTConfig(
            vocab_size=2_412,
            context_length=128,
            emb_dim=128,
            num_heads=4,
            num_layers=4,
            drop_rate=0.0,
        ),
        batch_size=16,
        num_tokens=128,
        repeats=15,
    ),
    "gpt2-small": Size("GPT-2 small", replace(GPT2_SMALL, drop_rate=0.0), 2, 256, repeats=5),
}


class LeanBlock(nn.Module):
    """A pre-LayerNorm transformer block as lean PyTorch code writes it."""

    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.num_heads = cfg.num_heads
        self.ln_1 = nn.LayerNorm(cfg.emb_dim)
        self.qkv = nn.Linear(cfg.emb_dim, 3 * cfg.emb_dim, bias=cfg.qkv_bias)
        self.proj = nn.Linear(cfg.emb_dim, cfg.emb_dim)
        self.ln_2 = nn.LayerNorm(cfg.emb_dim)
        self.fc = nn.Linear(cfg.emb_dim, 4 * cfg.emb_dim)
        self.fc_out = nn.Linear(4 * cfg.emb_dim, cfg.emb_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln_1(x)).split(C, dim=2)  # each (B, T, C)
        q, k, v = (t.view(B, T, self.num_heads, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # (B, nh, T, hs)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, C))
        return x + self.fc_out(F.gelu(self.fc(self.ln_2(x)), approximate="tanh"))


class LeanGPT(nn.Module):
    """GPT-2 as lean PyTorch code writes it: the reference the course's GPTModel must reach."""

    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.wte = nn.Embedding(cfg.vocab_size, cfg.emb_dim)
        self.wpe = nn.Embedding(cfg.context_length, cfg.emb_dim)
        self.blocks = nn.ModuleList([LeanBlock(cfg) for _ in range(cfg.num_layers)])
        self.ln_f = nn.LayerNorm(cfg.emb_dim)
        self.head = nn.Linear(cfg.emb_dim, cfg.vocab_size, bias=False)
        self.head.weight = self.wte.weight  # tied

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(idx.shape[1], device=idx.device)
        x = self.wte(idx) + self.wpe(positions)  # (B, T, C)
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln_f(x))  # (B, T, vocab_size)


@torch.no_grad()
def lean_from(ours: GPTModel) -> LeanGPT:
    """A LeanGPT holding the same weights as ours (queries, keys and values stacked)."""
    lean = LeanGPT(ours.cfg)
    lean.wte.weight.copy_(ours.embedding.tok_emb.weight)
    lean.wpe.weight.copy_(ours.embedding.pos_emb.weight)
    norms = [(lean.ln_f, ours.final_norm)]
    for block, theirs in zip(lean.blocks, ours.trf_blocks, strict=True):
        projections = (theirs.att.W_query, theirs.att.W_key, theirs.att.W_value)
        block.qkv.weight.copy_(torch.cat([p.weight for p in projections]))
        if block.qkv.bias is not None:
            block.qkv.bias.copy_(torch.cat([p.bias for p in projections]))
        block.proj.load_state_dict(theirs.att.out_proj.state_dict())
        block.fc.load_state_dict(theirs.ff.layers[0].state_dict())
        block.fc_out.load_state_dict(theirs.ff.layers[2].state_dict())
        norms += [(block.ln_1, theirs.norm1), (block.ln_2, theirs.norm2)]
    for norm, theirs in norms:
        norm.weight.copy_(theirs.scale)
        norm.bias.copy_(theirs.shift)
    return lean


def model_flops_per_step(model: GPTModel, batch_size: int, num_tokens: int) -> float:
    """6 * N * tokens + 12 * num_layers * emb_dim * num_tokens * tokens (PaLM, appendix B).

    N counts every parameter that takes part in a matrix multiply: all of them except the
    position embedding (a lookup); the tied token embedding is counted once, for the output
    head. The second term is attention's scores and weighted sum, counted without the causal
    mask's savings, as is usual.
    """
    cfg, tokens = model.cfg, batch_size * num_tokens
    num_params = count_parameters(model) - model.embedding.pos_emb.weight.numel()
    return 6 * num_params * tokens + 12 * cfg.num_layers * cfg.emb_dim * num_tokens * tokens


def plain_step(model: nn.Module, optimizer, inputs, targets) -> None:
    """zero_grad, forward, F.cross_entropy, backward, clip, step: the loop every row shares."""
    optimizer.zero_grad(set_to_none=True)
    logits = model(inputs)  # (batch_size, num_tokens, vocab_size)
    loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
    optimizer.step()


def step_runs(size: Size, device: torch.device) -> tuple[dict, GPTModel, LeanGPT]:
    """One callable per row, each doing one optimizer step."""
    cfg = size.cfg
    torch.manual_seed(123)
    hf_model = GPT2LMHeadModel(hf_gpt2_config(cfg)).to(device).train()
    ours = load_gpt2_weights(GPTModel(cfg), hf_model.state_dict()).to(device).train()
    lean = lean_from(ours).to(device).train()
    optimizers = [build_optimizer(model, LR) for model in (ours, hf_model, lean)]
    torch.manual_seed(0)
    windows = torch.randint(0, cfg.vocab_size, (8 * size.batch_size, size.num_tokens + 1))
    dataset = TensorDataset(windows[:, :-1], windows[:, 1:])  # inputs, next-token targets
    batches = batches_from(epoch_loader(dataset, size.batch_size, seed=0))
    inputs, targets = (t[: size.batch_size].to(device) for t in dataset.tensors)

    def hf_step() -> None:
        optimizers[1].zero_grad(set_to_none=True)
        # Hugging Face shifts labels itself: position t is scored against inputs[:, t + 1].
        loss = hf_model(input_ids=inputs, labels=inputs).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(hf_model.parameters(), GRAD_CLIP)
        optimizers[1].step()

    runs = {
        ROWS["a"]: lambda: train_step(ours, batches, optimizers[0], device, grad_clip=GRAD_CLIP),
        ROWS["b"]: lambda: plain_step(ours, optimizers[0], inputs, targets),
        ROWS["c"]: hf_step,
        ROWS["d"]: lambda: plain_step(lean, optimizers[2], inputs, targets),
    }
    return runs, ours, lean


def check_lean(ours: GPTModel, lean: LeanGPT, size: Size, device: torch.device) -> None:
    """Same parameter count (within 1%) and the same logits: the two models are comparable."""
    n_ours, n_lean = count_parameters(ours), count_parameters(lean)
    assert abs(n_lean - n_ours) <= 0.01 * n_ours, (n_ours, n_lean)
    ids = torch.randint(0, size.cfg.vocab_size, (2, size.num_tokens), device=device)
    with torch.no_grad():
        assert torch.allclose(ours(ids), lean(ids), atol=1e-4), "LeanGPT's logits differ"
    print(f"parameters: GPTModel {n_ours:,}, LeanGPT {n_lean:,}; same logits: True")


def measure(size: Size, device: torch.device, repeats: int | None, matmul_size: int) -> None:
    runs, ours, lean = step_runs(size, device)
    cfg, tokens = size.cfg, size.batch_size * size.num_tokens
    print(
        f"\n{device.type.upper()}, {size.name} ({cfg.num_layers} blocks, emb_dim {cfg.emb_dim}, "
        f"{cfg.num_heads} heads, vocabulary {cfg.vocab_size:,}): one optimizer step, batch "
        f"{size.batch_size} x {size.num_tokens} tokens"
    )
    check_lean(ours, lean, size, device)
    a, b = (torch.randn(matmul_size, matmul_size, device=device) for _ in range(2))
    matmul = f"matmul {matmul_size}x{matmul_size}"
    repeats = size.repeats if repeats is None else repeats
    seconds = interleaved_medians(runs | {matmul: lambda: a @ b}, repeats, device)
    peak = 2 * matmul_size**3 / seconds.pop(matmul)  # FLOP/s
    flops = model_flops_per_step(ours, size.batch_size, size.num_tokens)

    print(f"model FLOPs per step {flops / 1e9:.1f} G; {matmul}: {peak / 1e9:,.1f} GFLOP/s")
    print(f"median of {repeats} turns, after two warm-ups")
    print(f"{'':32}{'ms/step':>9}{'tokens/s':>10}{'MFU':>7}")
    for name, total in seconds.items():
        print(f"{name:32}{total * 1e3:9.1f}{tokens / total:10.0f}{flops / total / peak:7.2f}")
    for numerator, denominator, label, target in TARGETS:
        ratio = seconds[ROWS[numerator]] / seconds[ROWS[denominator]]
        verdict = "met" if ratio <= target else "NOT met"
        name = f"({numerator}) / ({denominator})"
        print(f"{name:10}{label:32}{ratio:7.3f}x  (target <= {target:.2f}x: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, help="timed turns (default: 15 course, 5 GPT-2)")
    parser.add_argument("--matmul-size", type=int, default=2048)
    parser.add_argument("--size", choices=[*SIZES, "all"], default="all")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, float32, {args.threads} CPU threads")
    print(
        "MFU = (6 * N * tokens + 12 * num_layers * emb_dim * num_tokens * tokens) / step time, "
        "as a fraction of the matmul's FLOP/s"
    )
    sizes = list(SIZES.values()) if args.size == "all" else [SIZES[args.size]]
    for device in ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]:
        for size in sizes:
            measure(size, torch.device(device), args.repeats, args.matmul_size)


if __name__ == "__main__":
    main()
