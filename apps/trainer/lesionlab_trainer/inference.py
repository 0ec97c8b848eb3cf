"""Batched forward passes over decoded uint8 slices, optionally averaged over test-time augmentation views."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from lesionlab_trainer.inference_settings import InferenceSettings, parse_view
from lesionlab_trainer.metrics import confusion_counts
from lesionlab_trainer.runtime import autocast


def to_input(images: np.ndarray, device: torch.device) -> torch.Tensor:
    """(B,H,W) uint8 -> (B,1,H,W) float in [0,1] on `device`.

    On a GPU the bytes go through pinned memory without blocking, so the host does not wait for the queued
    kernels to finish before it can launch the next ones."""
    host = torch.from_numpy(np.array(images, dtype=np.uint8))
    if device.type == "cuda":
        host = host.pin_memory()
    return host.to(device, non_blocking=True).unsqueeze(1).float().div_(255.0)


def padded(batch: torch.Tensor, size: int) -> torch.Tensor:
    """`batch` (B,1,H,W) with blank slices appended up to `size`: a set's last, shorter batch keeps the shape of
    the others, which a compiled network would otherwise compile again (and cuDNN autotune again) for one batch."""
    missing = size - len(batch)
    return torch.cat([batch, batch.new_zeros((missing, *batch.shape[1:]))]) if missing > 0 else batch


def view_outputs(model: nn.Module, batch: torch.Tensor, view: str | None) -> tuple[torch.Tensor | None, torch.Tensor]:
    """Lesion logits mapped back to the plain view (B,1,H,W) and COVID probabilities (B,) of one view."""
    dims, factor = parse_view(view) if view else ((), 1.0)
    size = batch.shape[-2:]
    x = batch.flip(dims) if dims else batch
    if factor != 1.0:
        scaled = [max(32, int(round(s * factor / 32)) * 32) for s in size]
        x = F.interpolate(x, size=scaled, mode="bilinear", align_corners=False)
    out = model(x)
    seg = out["seg"][0].float() if out["seg"] else None
    if seg is not None:
        if seg.shape[-2:] != size:
            seg = F.interpolate(seg, size=size, mode="bilinear", align_corners=False)
        if dims:
            seg = seg.flip(dims)
    return seg, torch.softmax(out["cls"].float(), dim=1)[:, 1]


Refiner = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]  # (images (B,1,H,W), lesion maps (B,H,W)) -> maps


@torch.no_grad()
def predict_tensors(model: nn.Module, images: np.ndarray, device: torch.device, precision: str,
                    batch_size: int, tta: Sequence[str] = (),
                    refiner: Refiner | None = None) -> Iterator[tuple[slice, torch.Tensor | None, torch.Tensor]]:
    """Yields (index range, lesion probabilities (B,H,W) or None, COVID probabilities (B,)), both on `device`; with
    `tta`, each is the mean over the plain view and the listed views (lesion maps mapped back to the plain view
    first); with `refiner` (refine.BoxRefiner), the lesion map is then redrawn by it."""
    model.eval()
    views: list[str | None] = [None, *tta]
    for start in range(0, len(images), batch_size):
        window = slice(start, min(start + batch_size, len(images)))
        batch = to_input(images[window], device)
        count = len(batch)
        if len(images) > batch_size:
            batch = padded(batch, batch_size)
        seg_sum, cls_sum = None, None
        with autocast(device, precision):
            for view in views:
                seg, cls = view_outputs(model, batch, view)
                prob = torch.sigmoid(seg) if seg is not None else None
                seg_sum = prob if seg_sum is None else seg_sum + prob
                cls_sum = cls if cls_sum is None else cls_sum + cls
        seg_mean = seg_sum[:count, 0].float() / len(views) if seg_sum is not None else None
        if seg_mean is not None and refiner is not None:
            seg_mean = refiner(batch[:count], seg_mean)
        yield window, seg_mean, cls_sum[:count] / len(views)


def predict_batches(model: nn.Module, images: np.ndarray, device: torch.device, precision: str,
                    batch_size: int, tta: Sequence[str] = (),
                    refiner: Refiner | None = None) -> Iterator[tuple[slice, np.ndarray | None, np.ndarray]]:
    """predict_tensors' outputs as host arrays."""
    for window, seg, cls in predict_tensors(model, images, device, precision, batch_size, tta, refiner):
        yield window, seg.cpu().numpy() if seg is not None else None, cls.cpu().numpy()


def score_slices(model: nn.Module, images: np.ndarray, masks: np.ndarray, device: torch.device, precision: str,
                 batch_size: int, settings: InferenceSettings | None = None,
                 refiner: Refiner | None = None) -> tuple[np.ndarray | None, np.ndarray]:
    """Per-slice confusion counts (N,4) of the lesion masks against `masks` (counted on the device; None when the
    model draws no lesion map) and COVID probabilities (N,), with the settings' views and threshold."""
    settings = InferenceSettings() if settings is None else settings
    counts, probs = np.zeros((len(images), 4), dtype=np.int64), np.zeros(len(images), dtype=np.float64)
    drew = False
    for window, seg, cls in predict_tensors(model, images, device, precision, batch_size, settings.tta, refiner):
        if seg is not None:
            truth = torch.as_tensor(np.array(masks[window]), device=device)
            counts[window], drew = confusion_counts(seg > settings.threshold, truth), True
        probs[window] = cls.cpu().numpy()
    return (counts if drew else None), probs
