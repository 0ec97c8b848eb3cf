"""Overlay PNGs over the grey slice: a mask tinted (ground truth green, prediction red) or a Grad-CAM heat map."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

TRUTH_CHANNEL, PREDICTION_CHANNEL = 1, 0  # green, red


def mask_rgb(image: np.ndarray, mask: np.ndarray, channel: int, alpha: float = 0.45) -> np.ndarray:
    """Tints the mask's pixels of the grey slice in one colour channel."""
    base = np.repeat(image[..., None].astype(np.float32), 3, axis=2)
    tint = np.zeros_like(base)
    tint[..., channel] = 255.0
    out = np.where(mask[..., None] > 0, (1 - alpha) * base + alpha * tint, base)
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
