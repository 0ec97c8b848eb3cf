"""Batch augmentation on the training device: random border crop + resize back, random up-down flip.

One affine resampling does both. Random numbers come from a generator seeded by (seed, step) for the
whole global batch, so every rank of a distributed run and every resumed run draws the same values.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F


def augmentation_params(batch: int, size: int, seed: int, step: int, crop_max_px: int, crop_p: float,
                        flip_p: float) -> torch.Tensor:
    """Returns (batch, 2, 3) affine matrices mapping output to input coordinates (align_corners=False)."""
    generator = torch.Generator().manual_seed(seed * 1_000_003 + step)
    max_px = crop_max_px * size / 512.0
    do_crop = torch.rand(batch, generator=generator) < crop_p
    borders = torch.rand(batch, 4, generator=generator) * max_px * do_crop.unsqueeze(1)  # left, right, top, bottom
    flip = torch.rand(batch, generator=generator) < flip_p
    left, right, top, bottom = borders.unbind(1)
    scale_x = (size - left - right) / size
    shift_x = (left - right) / size
    scale_y = (size - top - bottom) / size
    shift_y = (top - bottom) / size
    scale_y = torch.where(flip, -scale_y, scale_y)
    theta = torch.zeros(batch, 2, 3)
    theta[:, 0, 0], theta[:, 0, 2] = scale_x, shift_x
    theta[:, 1, 1], theta[:, 1, 2] = scale_y, shift_y
    return theta


def apply_augmentation(images: torch.Tensor, masks: torch.Tensor, theta: torch.Tensor
                       ) -> tuple[torch.Tensor, torch.Tensor]:
    """images/masks: (B,1,H,W) float; returns the resampled pair (masks re-binarised)."""
    grid = F.affine_grid(theta.to(images.device, images.dtype), list(images.shape), align_corners=False)
    images = F.grid_sample(images, grid, mode="bilinear", padding_mode="border", align_corners=False)
    masks = F.grid_sample(masks, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return images, (masks > 0.5).to(images.dtype)
