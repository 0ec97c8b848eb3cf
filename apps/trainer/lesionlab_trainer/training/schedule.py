"""Learning-rate factor: linear warm-up from start_factor, times polynomial decay over all steps."""

from __future__ import annotations


def lr_factor(step: int, total_steps: int, warmup_steps: int, start_factor: float, power: float) -> float:
    decay = max(0.0, 1.0 - step / max(1, total_steps)) ** power
    if step < warmup_steps:
        return decay * (start_factor + (1.0 - start_factor) * step / warmup_steps)
    return decay
