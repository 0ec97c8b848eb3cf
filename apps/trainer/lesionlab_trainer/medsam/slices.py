"""A release's masked slices as medsam-lite trains and scores on them: 8-bit grey slices and their masks at one
square side, with each slice's lesion boxes.

A release whose masked slices are all S×S (S <= MAX_SIDE; CT slices are 512²) is kept exactly as stored — what
the API's encoder.onnx is given. Any other release is resized to one side (the largest of its slices', at most
MAX_SIDE; grey bilinear, masks nearest); LiteMedSAM sees every slice at 256² either way, only the loss and the
scoring run at the packed side. Memory: two bytes per pixel (0.5 MiB a 512² slice), held on the host.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image

from lesionlab_trainer.data.imageio import load_grey, load_mask
from lesionlab_trainer.data.manifest import read_manifest
from lesionlab_trainer.events import InputFileError
from lesionlab_trainer.medsam import boxscore

MAX_SIDE = 512


def pack(manifest_path: Path, data_root: Path | None, splits: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """The masked slices of `splits` (all when None), in manifest order: names, splits, images and masks
    [N, S, S] uint8, and each slice's component boxes (boxscore.component_boxes: the bench's boxes, at least
    MIN_AREA_PX of the slice's own pixels) as one [K, 4] array cut by [N + 1] offsets."""
    manifest = read_manifest(manifest_path, data_root)
    records = [r for r in manifest.records if r.mask and (splits is None or r.split in splits)]
    side = min(MAX_SIDE, max((max(r.width, r.height) for r in records), default=MAX_SIDE))
    images = np.zeros((len(records), side, side), dtype=np.uint8)
    masks = np.zeros((len(records), side, side), dtype=np.uint8)
    per_slice = []
    for i, record in enumerate(records):
        grey = load_grey(manifest.root / record.image)
        mask = load_mask(manifest.root / record.mask)
        if mask.shape != grey.shape:
            raise InputFileError(
                str(manifest.root / record.mask),
                f"mask is {mask.shape[1]}x{mask.shape[0]} px but its slice {grey.shape[1]}x{grey.shape[0]}",
            )
        height, width = grey.shape
        if grey.shape != (side, side):
            grey = np.asarray(Image.fromarray(grey).resize((side, side), Image.BILINEAR))
            mask = np.asarray(Image.fromarray(mask).resize((side, side), Image.NEAREST))
        images[i], masks[i] = grey, mask
        min_area = max(1, round(boxscore.MIN_AREA_PX * side * side / (width * height)))
        per_slice.append(boxscore.component_boxes(mask, min_area))
    flat = [box for boxes in per_slice for box in boxes]
    return {
        "names": np.array([r.slice_id for r in records]),
        "splits": np.array([r.split for r in records]),
        "images": images,
        "masks": masks,
        "boxes": np.array(flat, dtype=np.int32).reshape(-1, 4),
        "offsets": np.cumsum([0] + [len(boxes) for boxes in per_slice]),
    }


class SliceSet:
    """Grey slices [N, S, S] uint8, masks [N, S, S] and each slice's boxes [K, 4] (slice pixels), on the host;
    training and scoring move what they use to their device."""

    def __init__(self, images, masks, boxes, offsets):
        self.images = torch.as_tensor(np.asarray(images))
        self.masks = torch.as_tensor(np.asarray(masks))
        self.boxes = [torch.as_tensor(boxes[a:b]).float() for a, b in zip(offsets[:-1], offsets[1:])]
        self.side = self.images.shape[-1]

    @classmethod
    def of(cls, arrays, index: np.ndarray | None = None) -> SliceSet:
        """The packed slices (`pack`'s arrays or its saved .npz), or those at `index`."""
        whole = cls(arrays["images"], arrays["masks"], arrays["boxes"], arrays["offsets"])
        return whole if index is None else whole.subset(index)

    def subset(self, index: np.ndarray) -> SliceSet:
        other = SliceSet.__new__(SliceSet)
        other.images, other.masks = self.images[index], self.masks[index]
        other.boxes, other.side = [self.boxes[i] for i in index], self.side
        return other

    def with_boxes(self) -> SliceSet:
        """The slices with at least one box (a slice without one prompts nothing)."""
        return self.subset(np.flatnonzero([len(b) > 0 for b in self.boxes]))

    def __len__(self) -> int:
        return len(self.boxes)
