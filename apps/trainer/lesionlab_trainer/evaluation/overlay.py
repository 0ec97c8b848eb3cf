"""Overlay PNGs: grey slice, ground truth outline-free tint in green, prediction in red (overlap yellow)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


def overlay_rgb(image: np.ndarray, truth: np.ndarray | None, pred: np.ndarray, alpha: float = 0.45) -> np.ndarray:
    base = np.repeat(image[..., None].astype(np.float32), 3, axis=2)
    tint = np.zeros_like(base)
    if truth is not None:
        tint[..., 1] = np.where(truth > 0, 255.0, 0.0)
    tint[..., 0] = np.where(pred > 0, 255.0, 0.0)
    marked = (tint.sum(2, keepdims=True) > 0)
    out = np.where(marked, (1 - alpha) * base + alpha * tint, base)
    return np.clip(out, 0, 255).astype(np.uint8)


def heatmap_rgb(image: np.ndarray, heat: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """Blends a [0,1] heat map (blue -> red) over the grey slice."""
    heat = np.clip(heat, 0.0, 1.0)
    colour = np.stack([heat, 1.0 - np.abs(heat - 0.5) * 2.0, 1.0 - heat], axis=2) * 255.0
    base = np.repeat(image[..., None].astype(np.float32), 3, axis=2)
    return np.clip((1 - alpha) * base + alpha * colour, 0, 255).astype(np.uint8)


def save_png(array: np.ndarray, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)
    return path
