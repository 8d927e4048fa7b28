"""Pick the device to compute on: one function, so every notebook chooses the same way."""

import torch


def get_device(prefer_cpu: bool = False) -> torch.device:
    """Return CUDA if present, else Apple's MPS, else the CPU (or the CPU when asked)."""
    if prefer_cpu:
        return torch.device("cpu")
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
