"""Batched forward passes over decoded uint8 slices."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch
from torch import nn

from lesionlab_trainer.runtime import autocast


def to_input(images: np.ndarray, device: torch.device) -> torch.Tensor:
    """(B,H,W) uint8 -> (B,1,H,W) float in [0,1] on `device`.

    On a GPU the bytes go through pinned memory without blocking, so the host does not wait for the queued
    kernels to finish before it can launch the next ones."""
    host = torch.from_numpy(np.array(images, dtype=np.uint8))
    if device.type == "cuda":
        host = host.pin_memory()
    return host.to(device, non_blocking=True).unsqueeze(1).float().div_(255.0)


@torch.no_grad()
def predict_batches(model: nn.Module, images: np.ndarray, device: torch.device, precision: str,
                    batch_size: int) -> Iterator[tuple[slice, np.ndarray | None, np.ndarray]]:
    """Yields (index range, lesion probabilities (B,H,W) or None, COVID probabilities (B,))."""
    model.eval()
    for start in range(0, len(images), batch_size):
        window = slice(start, min(start + batch_size, len(images)))
        with autocast(device, precision):
            out = model(to_input(images[window], device))
        seg = torch.sigmoid(out["seg"][0].float())[:, 0].cpu().numpy() if out["seg"] else None
        cls = torch.softmax(out["cls"].float(), dim=1)[:, 1].cpu().numpy()
        yield window, seg, cls
