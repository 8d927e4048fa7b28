"""Time the course's MultiHeadAttention against PyTorch's attention, side by side in one run.

    python benchmarks/attention.py [--threads 2] [--repeats 5] [--lengths 256 1024]

Rows: the helper's fused path and explicit path, a minimal module that wraps bare
scaled_dot_product_attention with the same projections, nn.MultiheadAttention, and the bare
scaled_dot_product_attention call on ready-made heads. Each time is also given as a ratio to
the bare call measured in the same run. CUDA rows are added when a GPU is present.
"""

import argparse
from collections.abc import Callable

import torch
import torch.nn.functional as F
from timing import interleaved_medians
from torch import nn

from helpers.attention import MultiHeadAttention, causal_mask

BATCH_SIZE, EMB_DIM, NUM_HEADS = 8, 768, 12


class SDPAReference(nn.Module):
    """The least a module can do: three projections, the fused kernel, the output projection."""

    def __init__(self, mha: MultiHeadAttention):
        super().__init__()
        self.W_query, self.W_key, self.W_value = mha.W_query, mha.W_key, mha.W_value
        self.out_proj, self.num_heads = mha.out_proj, mha.num_heads

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch_size, num_tokens, emb_dim = x.shape
        q, k, v = (
            W(x).view(batch_size, num_tokens, self.num_heads, -1).transpose(1, 2)
            for W in (self.W_query, self.W_key, self.W_value)
        )
        context_vec = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.out_proj(context_vec.transpose(1, 2).reshape(batch_size, num_tokens, emb_dim))


def candidates(
    num_tokens: int, device: torch.device
) -> dict[str, Callable[[torch.Tensor], torch.Tensor]]:
    torch.manual_seed(123)
    mha = MultiHeadAttention(EMB_DIM, EMB_DIM, num_tokens, 0.0, NUM_HEADS, qkv_bias=True).to(device)
    explicit = MultiHeadAttention(EMB_DIM, EMB_DIM, num_tokens, 0.0, NUM_HEADS, qkv_bias=True)
    explicit.load_state_dict(mha.state_dict())
    explicit = explicit.to(device)
    explicit.use_sdpa = False
    torch_mha = nn.MultiheadAttention(EMB_DIM, NUM_HEADS, batch_first=True).to(device)
    mask = causal_mask(num_tokens).to(device)
    return {
        "helper MultiHeadAttention (fused)": mha,
        "helper MultiHeadAttention (explicit)": explicit,
        "module around bare SDPA": SDPAReference(mha),
        "nn.MultiheadAttention": lambda x: torch_mha(x, x, x, attn_mask=mask, need_weights=False)[
            0
        ],
    }


def bare_sdpa(num_tokens: int, device: torch.device) -> tuple[Callable, Callable]:
    shape = (BATCH_SIZE, NUM_HEADS, num_tokens, EMB_DIM // NUM_HEADS)
    q, k, v = (torch.randn(shape, device=device, requires_grad=True) for _ in range(3))

    def forward():
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)

    return forward, lambda: forward().sum().backward()


def measure(num_tokens: int, device: torch.device, repeats: int) -> list[tuple[str, float, float]]:
    sdpa_forward, sdpa_backward = bare_sdpa(num_tokens, device)
    x = torch.randn(BATCH_SIZE, num_tokens, EMB_DIM, device=device, requires_grad=True)
    modules = {"bare scaled_dot_product_attention": lambda _: sdpa_forward()}
    modules |= candidates(num_tokens, device)
    with torch.no_grad():
        forward = interleaved_medians(
            {name: (lambda m=m: m(x)) for name, m in modules.items()}, repeats, device
        )
    backward_runs = {name: (lambda m=m: m(x).sum().backward()) for name, m in modules.items()}
    backward_runs["bare scaled_dot_product_attention"] = sdpa_backward
    backward = interleaved_medians(backward_runs, repeats, device)
    return [(name, forward[name], backward[name]) for name in modules]


def print_table(rows: list[tuple[str, float, float]], title: str) -> None:
    base_forward, base_backward = rows[0][1], rows[0][2]
    print(f"\n{title}")
    print(f"{'':38} {'forward ms':>11} {'x bare':>7} {'fwd+bwd ms':>11} {'x bare':>7}")
    for name, forward, backward in rows:
        print(
            f"{name:38} {forward * 1e3:11.1f} {forward / base_forward:7.2f} "
            f"{backward * 1e3:11.1f} {backward / base_backward:7.2f}"
        )
    by_name = {name: (forward, backward) for name, forward, backward in rows}
    fused = by_name["helper MultiHeadAttention (fused)"]
    reference = by_name["module around bare SDPA"]
    explicit = by_name["helper MultiHeadAttention (explicit)"]
    print(
        f"fused / module around SDPA: {fused[0] / reference[0]:.2f}x forward, "
        f"{fused[1] / reference[1]:.2f}x fwd+bwd (target <= 1.3)"
    )
    print(
        f"explicit / fused: {explicit[0] / fused[0]:.2f}x forward, "
        f"{explicit[1] / fused[1]:.2f}x fwd+bwd"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--lengths", type=int, nargs="+", default=[256, 1024])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    devices = [torch.device("cpu")] + ([torch.device("cuda")] if torch.cuda.is_available() else [])
    print(f"torch {torch.__version__}, batch {BATCH_SIZE}, d={EMB_DIM}, {NUM_HEADS} heads, float32")
    for device in devices:
        for num_tokens in args.lengths:
            where = (
                f"{args.threads} threads" if device.type == "cpu" else torch.cuda.get_device_name()
            )
            rows = measure(num_tokens, device, args.repeats)
            print_table(rows, f"{device.type.upper()} ({where}), sequence {num_tokens}")


if __name__ == "__main__":
    main()
