"""Load GPT-2 weights saved in Hugging Face's format into the course's ``GPTModel``.

Hugging Face's GPT-2 stores its linear layers as ``Conv1D`` with weights of shape
``(in_features, out_features)``, the transpose of ``nn.Linear``, and keeps queries, keys and
values in one matrix ``c_attn``. This module maps every tensor across, checking each shape.
"""

from pathlib import Path

import torch

from helpers.gpt import GPTConfig, GPTModel

# Buffers some versions of Hugging Face's GPT2 save: masks, not weights.
IGNORED_SUFFIXES = (".attn.bias", ".attn.masked_bias")


def load_state_dict_file(path: str | Path) -> dict[str, torch.Tensor]:
    """Read a .safetensors file, or a PyTorch file with weights_only=True (runs no pickled code)."""
    path = Path(path)
    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        return load_file(str(path))
    return torch.load(path, map_location="cpu", weights_only=True)


def _strip(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Drop the 'transformer.' prefix of GPT2LMHeadModel and the saved attention masks."""
    stripped = {}
    for key, value in state_dict.items():
        if key.endswith(IGNORED_SUFFIXES):
            continue
        stripped[key.removeprefix("transformer.")] = value
    return stripped


def gpt2_key_map(num_layers: int) -> dict[str, tuple[str, bool]]:
    """Our parameter name -> (Hugging Face name, transpose?), for every tensor except c_attn."""
    mapping = {
        "embedding.tok_emb.weight": ("wte.weight", False),
        "embedding.pos_emb.weight": ("wpe.weight", False),
        "final_norm.scale": ("ln_f.weight", False),
        "final_norm.shift": ("ln_f.bias", False),
    }
    for i in range(num_layers):
        ours, theirs = f"trf_blocks.{i}", f"h.{i}"
        mapping |= {
            f"{ours}.norm1.scale": (f"{theirs}.ln_1.weight", False),
            f"{ours}.norm1.shift": (f"{theirs}.ln_1.bias", False),
            f"{ours}.att.out_proj.weight": (f"{theirs}.attn.c_proj.weight", True),
            f"{ours}.att.out_proj.bias": (f"{theirs}.attn.c_proj.bias", False),
            f"{ours}.norm2.scale": (f"{theirs}.ln_2.weight", False),
            f"{ours}.norm2.shift": (f"{theirs}.ln_2.bias", False),
            f"{ours}.ff.layers.0.weight": (f"{theirs}.mlp.c_fc.weight", True),
            f"{ours}.ff.layers.0.bias": (f"{theirs}.mlp.c_fc.bias", False),
            f"{ours}.ff.layers.2.weight": (f"{theirs}.mlp.c_proj.weight", True),
            f"{ours}.ff.layers.2.bias": (f"{theirs}.mlp.c_proj.bias", False),
        }
    return mapping


def _split_c_attn(hf: dict[str, torch.Tensor], num_layers: int) -> dict[str, torch.Tensor]:
    """GPT-2's fused (emb_dim, 3 * emb_dim) query-key-value matrix, as our three Linear layers."""
    ours = {}
    for i in range(num_layers):
        weight, bias = hf[f"h.{i}.attn.c_attn.weight"], hf[f"h.{i}.attn.c_attn.bias"]
        q_w, k_w, v_w = weight.chunk(3, dim=-1)  # each (emb_dim, emb_dim), Conv1D layout
        q_b, k_b, v_b = bias.chunk(3, dim=-1)
        for name, w, b in [("W_query", q_w, q_b), ("W_key", k_w, k_b), ("W_value", v_w, v_b)]:
            ours[f"trf_blocks.{i}.att.{name}.weight"] = w.T
            ours[f"trf_blocks.{i}.att.{name}.bias"] = b
    return ours


def _check_keys(hf: dict[str, torch.Tensor], num_layers: int) -> None:
    expected = {theirs for theirs, _ in gpt2_key_map(num_layers).values()}
    expected |= {f"h.{i}.attn.c_attn.{p}" for i in range(num_layers) for p in ("weight", "bias")}
    missing = sorted(expected - set(hf))
    unexpected = sorted(set(hf) - expected - {"lm_head.weight"})
    if missing or unexpected:
        problems = [
            f"{label} keys {_first(keys)}"
            for label, keys in [("missing", missing), ("unexpected", unexpected)]
            if keys
        ]
        raise ValueError(
            f"not a GPT-2 state dict for a model with {num_layers} layers: "
            f"{'; '.join(problems)}; build the model with the GPTConfig the weights were saved with"
        )


def _first(keys: list[str], shown: int = 4) -> str:
    return ", ".join(keys[:shown]) + (f" and {len(keys) - shown} more" if len(keys) > shown else "")


def hf_gpt2_config(cfg: GPTConfig):
    """A Hugging Face GPT2Config of the same sizes as cfg (needs the transformers package)."""
    from transformers import GPT2Config

    return GPT2Config(
        vocab_size=cfg.vocab_size,
        n_positions=cfg.context_length,
        n_embd=cfg.emb_dim,
        n_layer=cfg.num_layers,
        n_head=cfg.num_heads,
        activation_function="gelu_new",  # the tanh approximation, as in our GELU
        layer_norm_epsilon=1e-5,
        resid_pdrop=cfg.drop_rate,
        embd_pdrop=cfg.drop_rate,
        attn_pdrop=cfg.drop_rate,
        tie_word_embeddings=cfg.tie_weights,
        bos_token_id=cfg.vocab_size - 1,  # <|endoftext|> is the last id
        eos_token_id=cfg.vocab_size - 1,
    )


def load_gpt2_weights(model: GPTModel, state_dict: dict[str, torch.Tensor]) -> GPTModel:
    """Copy a Hugging Face GPT-2 state dict into model, checking every key and shape."""
    num_layers = model.cfg.num_layers
    hf = _strip(state_dict)
    _check_keys(hf, num_layers)
    converted = _split_c_attn(hf, num_layers)
    for ours, (theirs, transpose) in gpt2_key_map(num_layers).items():
        converted[ours] = hf[theirs].T if transpose else hf[theirs]
    if not model.cfg.tie_weights:
        converted["out_head.weight"] = hf.get("lm_head.weight", hf["wte.weight"])
    params = dict(model.named_parameters())
    lacking = [name for name in converted if name not in params]
    if lacking:
        raise ValueError(
            f"the model has no parameters {lacking[:2]} ...; GPT-2's weights include query, key "
            "and value biases, so build the model with GPTConfig(qkv_bias=True)"
        )
    for name, tensor in converted.items():
        if params[name].shape != tensor.shape:
            raise ValueError(
                f"shape mismatch for {name}: the model has {tuple(params[name].shape)}, the "
                f"state dict gives {tuple(tensor.shape)}; build the model with the matching "
                "GPTConfig"
            )
    with torch.no_grad():
        for name, tensor in converted.items():
            params[name].copy_(tensor)
    return model
