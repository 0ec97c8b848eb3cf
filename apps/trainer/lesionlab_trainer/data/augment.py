"""Batch augmentation on the training device: one affine resampling per slice (random border crop, up-down and
left-right flips, rotation, isotropic scaling), then a random contrast and brightness change of the image.

Random numbers come from a generator seeded by (seed, step) for the whole global batch, so every rank of a
distributed run and every resumed run draws the same values. The draws of the later options come after the
earlier ones', so a setting left at zero keeps the batches of runs made before it existed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch.nn import functional as F


@dataclass(frozen=True)
class AugmentSettings:
    crop_max_px: int = 16
    crop_p: float = 0.5
    flip_p: float = 0.5  # up-down
    hflip_p: float = 0.0  # left-right
    rotate_deg: float = 0.0  # uniform in ±rotate_deg
    scale_jitter: float = 0.0  # zoom factor uniform in 1 ± scale_jitter
    intensity_jitter: float = 0.0  # contrast factor 1 ± j around the slice mean, brightness shift ± j/2

    @classmethod
    def of(cls, config) -> AugmentSettings:
        return cls(**{name: getattr(config, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Augmentation:
    theta: torch.Tensor  # (B, 2, 3) affine matrices mapping output to input coordinates (align_corners=False)
    contrast: torch.Tensor  # (B,)
    brightness: torch.Tensor  # (B,)

    def rows(self, rows: slice) -> Augmentation:
        return Augmentation(self.theta[rows], self.contrast[rows], self.brightness[rows])


def _uniform(batch: int, generator: torch.Generator, half_width: float) -> torch.Tensor:
    return (torch.rand(batch, generator=generator) * 2 - 1) * half_width


def augmentation_params(batch: int, size: int, seed: int, step: int, settings: AugmentSettings) -> Augmentation:
    generator = torch.Generator().manual_seed(seed * 1_000_003 + step)
    max_px = settings.crop_max_px * size / 512.0
    do_crop = torch.rand(batch, generator=generator) < settings.crop_p
    borders = torch.rand(batch, 4, generator=generator) * max_px * do_crop.unsqueeze(1)  # left, right, top, bottom
    flip = torch.rand(batch, generator=generator) < settings.flip_p
    left, right, top, bottom = borders.unbind(1)
    crop = torch.zeros(batch, 3, 3)
    crop[:, 0, 0], crop[:, 0, 2] = (size - left - right) / size, (left - right) / size
    crop[:, 1, 1], crop[:, 1, 2] = (size - top - bottom) / size, (top - bottom) / size
    crop[:, 1, 1] = torch.where(flip, -crop[:, 1, 1], crop[:, 1, 1])
    crop[:, 2, 2] = 1.0

    hflip = torch.rand(batch, generator=generator) < settings.hflip_p
    angle = _uniform(batch, generator, math.radians(settings.rotate_deg))
    zoom = 1.0 + _uniform(batch, generator, settings.scale_jitter)
    contrast = 1.0 + _uniform(batch, generator, settings.intensity_jitter)
    brightness = _uniform(batch, generator, settings.intensity_jitter / 2)
    # Output coordinates are rotated and scaled about the centre first, then go through the crop and flips.
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    turn = torch.zeros(batch, 3, 3)
    turn[:, 0, 0] = torch.where(hflip, -cos, cos)
    turn[:, 0, 1] = torch.where(hflip, sin, -sin)
    turn[:, 1, 0], turn[:, 1, 1], turn[:, 2, 2] = sin, cos, 1.0
    theta = (crop @ turn)[:, :2]
    return Augmentation(theta, contrast, brightness)


def apply_augmentation(images: torch.Tensor, masks: torch.Tensor, augmentation: Augmentation
                       ) -> tuple[torch.Tensor, torch.Tensor]:
    """images/masks: (B,1,H,W) float, images in [0, 1]; returns the resampled pair (masks re-binarised)."""
    theta = augmentation.theta.to(images.device, images.dtype)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    images = F.grid_sample(images, grid, mode="bilinear", padding_mode="border", align_corners=False)
    masks = F.grid_sample(masks, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    if bool((augmentation.contrast != 1).any() or (augmentation.brightness != 0).any()):
        contrast = augmentation.contrast.to(images.device, images.dtype).view(-1, 1, 1, 1)
        brightness = augmentation.brightness.to(images.device, images.dtype).view(-1, 1, 1, 1)
        mean = images.mean(dim=(2, 3), keepdim=True)
        images = ((images - mean) * contrast + mean + brightness).clamp_(0.0, 1.0)
    return images, (masks > 0.5).to(images.dtype)
