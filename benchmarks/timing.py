"""Timing shared by the benchmark scripts."""

import time
from collections.abc import Callable

import torch


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def interleaved_medians(
    runs: dict[str, Callable[[], object]],
    repeats: int,
    device: torch.device,
    warmups: int = 2,
) -> dict[str, float]:
    """Median wall time of each run, timed in turns (a, b, c, a, b, c, ...) after warm-ups.

    Taking turns spreads slow phases of the machine (another process, a frequency change)
    over all candidates instead of penalising whichever happened to run then. Warm-ups (two
    per run by default) keep first-call costs (allocations, lazy initialisation) out of the times.
    """
    for run in runs.values():
        for _ in range(warmups):
            run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            _sync(device)
            start = time.perf_counter()
            run()
            _sync(device)
            times[name].append(time.perf_counter() - start)
    return {name: sorted(values)[len(values) // 2] for name, values in times.items()}
