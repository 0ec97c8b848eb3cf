"""The assist bench's Dice, in Python: one box per ground-truth component of a slice, drafts united per slice.

`npm run bench -- assist` scores through the API; this scores a network (or ONNX logits) the same way so that
cross-validation and draft-tuning experiments report the figure the bench reports: components are 8-connected
and counted at the slice's own size (area >= MIN_AREA_PX), each box is the component's first and last pixel,
mapped to the 256-px frame by the slice-to-frame scale, and each draft is the 256² logits resized bilinearly
(half-pixel centres) to the slice's size and cut at 0.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

MIN_AREA_PX = 50


def components(mask: np.ndarray) -> np.ndarray:
    """8-connected component labels of a binary mask [H, W] (0 = background): each component is labelled with
    1 + the row-major index of its last pixel (labels are not consecutive). Runs of each row are joined to the
    runs they touch in the row above (union-find over runs: milliseconds a 512² slice)."""
    foreground = np.asarray(mask) > 0
    height, width = foreground.shape
    edges = np.diff(np.pad(foreground, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows, starts = np.nonzero(edges == 1)
    ends = np.nonzero(edges == -1)[1]  # exclusive; row-major order pairs each end with its start
    parent = list(range(len(starts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first = np.searchsorted(rows, np.arange(height + 1))
    for row in range(1, height):
        i, j = first[row - 1], first[row]
        while i < first[row] and j < first[row + 1]:
            if starts[j] <= ends[i] and starts[i] <= ends[j]:  # touching, diagonals included
                parent[root(i)] = root(j)
            if ends[i] < ends[j]:
                i += 1
            else:
                j += 1
    roots = np.array([root(i) for i in range(len(starts))], dtype=np.int64)
    last = rows.astype(np.int64) * width + ends - 1
    label_of_root = np.zeros(len(starts), dtype=np.int64)
    np.maximum.at(label_of_root, roots, last + 1)
    labels = np.zeros((height, width), dtype=np.int64)
    for row, start, end, label in zip(rows, starts, ends, label_of_root[roots]):
        labels[row, start:end] = label
    return labels


def component_boxes(mask: np.ndarray, min_area: int = MIN_AREA_PX) -> list[tuple[int, int, int, int]]:
    """[x0, y0, x1, y1] (first and last pixel) of each component of at least `min_area` pixels, largest first."""
    labels = components(mask)
    ids, counts = np.unique(labels[labels > 0], return_counts=True)
    boxes = []
    for label, _ in sorted(zip(ids, counts), key=lambda pair: -pair[1]):
        if _ < min_area:
            continue
        ys, xs = np.nonzero(labels == label)
        boxes.append((int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())))
    return boxes


def to_frame(box: tuple[int, int, int, int], width: int, height: int, side: int) -> list[float]:
    """A box in slice pixels → the network's side² frame (as the API's toNetworkFrame)."""
    sx, sy = side / width, side / height
    x0, y0, x1, y1 = box
    return [x0 * sx, y0 * sy, x1 * sx, y1 * sy]


def box_regions(boxes: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """The pixels [K, H, W] (bool) of boxes [K, 4] (first and last pixel, x0 y0 x1 y1), on the boxes' device."""
    rows = torch.arange(height, device=boxes.device)[None, :, None]
    cols = torch.arange(width, device=boxes.device)[None, None, :]
    return ((rows >= boxes[:, 1, None, None]) & (rows <= boxes[:, 3, None, None])
            & (cols >= boxes[:, 0, None, None]) & (cols <= boxes[:, 2, None, None]))


def upsample(logits: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """side² logits [..., side, side] → [..., height, width], bilinear with half-pixel centres."""
    shape = logits.shape
    flat = logits.reshape(-1, 1, *shape[-2:]).float()
    out = F.interpolate(flat, size=(height, width), mode="bilinear", align_corners=False)
    return out.reshape(*shape[:-2], height, width)


def dice(prediction: np.ndarray, truth: np.ndarray) -> float:
    total = int(prediction.sum()) + int(truth.sum())
    return 1.0 if total == 0 else 2.0 * int(np.logical_and(prediction, truth).sum()) / total
