"""Optional training-time augmentation of one slice for the medsam-lite fine-tune (finetune.sample_batch with
`augment`): a random zoom and shift, axis-aligned so that every box can again be the tight extent of its lesion
(as the bench's boxes are), then a random gamma, contrast and brightness. The left-right mirror and the box
jitter stay in sample_batch and apply on top.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

ZOOM = (0.8, 1.25)  # scale factor, log-uniform
SHIFT_FRACTION = 0.1  # of the side, on each axis
GAMMA = (0.7, 1.4)  # log-uniform
CONTRAST = (0.9, 1.1)
BRIGHTNESS = 0.05  # of the grey range, ±


def _uniform(generator: torch.Generator, low: float, high: float) -> float:
    return low + (high - low) * torch.rand(1, generator=generator).item()


def _log_uniform(generator: torch.Generator, low: float, high: float) -> float:
    return math.exp(_uniform(generator, math.log(low), math.log(high)))


def zoom_grid(scale: float, shift: list[float], side: int) -> torch.Tensor:
    """F.affine_grid's [1, S, S, 2] sampling grid (align_corners=False) of the zoom and shift, which maps output to
    input coordinates: input = output / scale - shift / scale. Built from one row and one column (the warp is
    axis-aligned): affine_grid's matrix product took 4 ms of the 5 a 512-px slice's warp took on the CPU."""
    base = torch.linspace(-1, 1, side) * (side - 1) / side
    xs = base * (1 / scale) + (-shift[0] / scale)
    ys = base * (1 / scale) + (-shift[1] / scale)
    return torch.stack([xs[None, :].expand(side, side), ys[:, None].expand(side, side)], -1)[None]


def zoom_and_shift(image: torch.Tensor, mask: torch.Tensor, boxes: torch.Tensor, generator: torch.Generator):
    """image and mask [S, S] uint8, boxes [K, 4] (first and last pixel) → the warped image (bilinear) and mask
    (nearest), and per box the tight extent of the warped lesion inside the warped box; None when a box's lesion
    leaves the slice entirely (the caller keeps the slice unwarped)."""
    side = image.shape[-1]
    scale = _log_uniform(generator, *ZOOM)
    shift = [2 * _uniform(generator, -SHIFT_FRACTION, SHIFT_FRACTION) for _ in range(2)]  # in [-1, 1] units
    grid = zoom_grid(scale, shift, side)
    warped_image = F.grid_sample(image[None, None].float(), grid, mode="bilinear", align_corners=False)
    warped_mask = F.grid_sample(mask[None, None].float(), grid, mode="nearest", align_corners=False)[0, 0] > 0

    def to_output(edge: float, axis: int) -> float:
        """A pixel-edge coordinate (0..S) of the input → that of the output."""
        return (scale * (2 * edge / side - 1) + shift[axis] + 1) * side / 2

    warped_boxes = []
    for x0, y0, x1, y1 in boxes.tolist():
        left, right = to_output(x0, 0), to_output(x1 + 1, 0)
        top, bottom = to_output(y0, 1), to_output(y1 + 1, 1)
        # the warped box, widened by a pixel for rounding, and the lesion inside it
        c0, c1 = max(0, math.floor(left) - 1), min(side - 1, math.ceil(right))
        r0, r1 = max(0, math.floor(top) - 1), min(side - 1, math.ceil(bottom))
        if c0 > c1 or r0 > r1:
            return None
        ys, xs = torch.nonzero(warped_mask[r0 : r1 + 1, c0 : c1 + 1], as_tuple=True)
        if len(xs) == 0:
            return None
        warped_boxes.append([c0 + xs.min().item(), r0 + ys.min().item(), c0 + xs.max().item(), r0 + ys.max().item()])
    return (
        warped_image[0, 0].round().clamp(0, 255).to(torch.uint8),
        warped_mask.to(mask.dtype),
        torch.tensor(warped_boxes, dtype=boxes.dtype),
    )


def shade(image: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """A random gamma, then contrast and brightness, of a uint8 slice: computed for the 256 grey values, then
    looked up (a third of the time of computing it per pixel)."""
    grey = (torch.arange(256, dtype=torch.float32) / 255) ** _log_uniform(generator, *GAMMA)
    grey = grey * _uniform(generator, *CONTRAST) + _uniform(generator, -BRIGHTNESS, BRIGHTNESS)
    return (grey.clamp(0, 1) * 255).round().to(torch.uint8)[image.long()]
