"""medsam-lite redraws the lesions a segmentation model found (the `refiner` stage of a recipe): each 8-connected
component of the thresholded lesion map (at least boxscore.MIN_AREA_PX pixels) gets its box, widened by the
settings' margin; medsam-lite draws the lesion inside each box; inside the boxes the lesion probability becomes
(1 - weight) x the model's + weight x medsam-lite's (the highest of overlapping boxes'), outside them it stays the
model's. 5-fold CV on medseg-ct100 (scripts/cascade_cv.py): +0.022 mean Dice over `jcs` v2's own maps.

Components are labelled on the device (max-label propagation along runs), so a batch never leaves the GPU; the
labels and boxes are those of boxscore.component_boxes, which the cross-validation used. 128 slices of six lesions
each took 22.5 ms on an H100 (189 ms when labels spread one neighbour a step).
"""

from __future__ import annotations

import warnings

import torch
import torch.nn.functional as F

from lesionlab_trainer.inference_settings import InferenceSettings, RefineSettings
from lesionlab_trainer.medsam import network, sdpa
from lesionlab_trainer.medsam.boxscore import MIN_AREA_PX, box_regions
from lesionlab_trainer.medsam.prompts import decode_boxes
from lesionlab_trainer.runtime import autocast

BOXES_PER_DECODE = 128  # boxes decoded at once (each a [H, W] fp32 map on the device)
# index_reduce_ (each slice's highest draft) has been "beta" since torch 1.12; the pinned torch is tested here
warnings.filterwarnings("ignore", message=r"index_reduce\(\) is in beta")


def run_ends(foreground: torch.Tensor) -> torch.Tensor:
    """For masks [B, H, W]: per pixel, the column just past its left-to-right run of foreground (a background
    pixel: its own column). Non-decreasing along each row."""
    cols = torch.arange(foreground.shape[-1], device=foreground.device).expand(foreground.shape)
    return torch.where(foreground, foreground.shape[-1], cols).flip(-1).cummin(-1).values.flip(-1)


def run_max(labels: torch.Tensor, foreground: torch.Tensor, ends: torch.Tensor, span: int) -> torch.Tensor:
    """Each foreground pixel's label (long, below `span`) raised to the largest of its row run (ends: run_ends).
    A running maximum of run end x span + label along the row reaches the run's largest label at its last pixel,
    since earlier runs end earlier; no atomics, so long runs cost no more than short ones."""
    peak = (ends * span + labels).cummax(-1).values
    return torch.where(foreground, peak.gather(-1, (ends - 1).clamp(min=0)) % span, 0)


def component_boxes(found: torch.Tensor, min_area: int = MIN_AREA_PX) -> tuple[torch.Tensor, torch.Tensor]:
    """Boxes [K, 4] (x0, y0, x1, y1: first and last pixel, long) of the 8-connected components of at least
    `min_area` pixels in a batch of binary masks [B, H, W], and the slice each belongs to [K]."""
    batch, height, width = found.shape
    if height * width >= 2**24:
        raise ValueError(f"component labelling takes slices of under {2**24} pixels, not {height}x{width}")
    span = height * width + 1
    foreground = found.bool()
    down = foreground.transpose(1, 2).contiguous()
    row_ends, col_ends = run_ends(foreground), run_ends(down)
    index = torch.arange(1, span, device=found.device).reshape(height, width)
    labels = torch.where(foreground, index, 0)
    # each pixel takes the largest label of its row run, of its column run, of its 8 neighbours and of the pixel
    # its label names (that pixel lies in the same component, and its label only grew) until nothing changes: every
    # pixel of a component ends with its largest index within the slice. Lesion-like blobs settle in three rounds.
    while True:
        before = labels
        labels = run_max(labels, foreground, row_ends, span)
        labels = run_max(labels.transpose(1, 2).contiguous(), down, col_ends, span).transpose(1, 2)
        # float32 holds the labels exactly (under 2**24)
        labels = torch.where(foreground, F.max_pool2d(labels[:, None].float(), 3, 1, 1)[:, 0].long(), 0)
        named = labels.reshape(batch, -1).gather(1, (labels - 1).clamp(min=0).reshape(batch, -1))
        labels = torch.where(foreground, torch.maximum(labels, named.reshape(batch, height, width)), 0)
        if torch.equal(before, labels):
            break
    # one entry per row run (its first pixel), not per pixel: a component's extent and area gather from its runs
    starts = foreground & ~F.pad(foreground[..., :-1], (1, 0))
    slice_of, ys, xs = torch.nonzero(starts, as_tuple=True)
    last = row_ends[slice_of, ys, xs] - 1
    ids, inverse = torch.unique(slice_of * span + labels[slice_of, ys, xs], return_inverse=True)
    extent = torch.zeros((len(ids), 4), dtype=torch.long, device=found.device)
    for column, values, how in ((0, xs, "amin"), (1, ys, "amin"), (2, last, "amax"), (3, ys, "amax")):
        extent[:, column] = extent[:, column].scatter_reduce(0, inverse, values, how, include_self=False)
    area = torch.zeros(len(ids), dtype=torch.long, device=found.device).scatter_add_(0, inverse, last - xs + 1)
    kept = area >= min_area
    return extent[kept], ids[kept] // span


def covered_pixels(boxes: torch.Tensor, owners: torch.Tensor, batch: int, height: int, width: int) -> torch.Tensor:
    """The pixels [B, H, W] (bool) of each slice that lie in any of its boxes [K, 4] (owners [K]: their slices).
    Each box marks its four corners +1/-1 in a count that summing along both axes turns into the number of boxes
    over each pixel: one pass over the batch, however many boxes (a full map per box cost K x H x W)."""
    marks = torch.zeros(batch, height + 1, width + 1, dtype=torch.int32, device=boxes.device)
    x0, y0, x1, y1 = boxes.unbind(1)
    for ys, xs, sign in ((y0, x0, 1), (y0, x1 + 1, -1), (y1 + 1, x0, -1), (y1 + 1, x1 + 1, 1)):
        marks.index_put_((owners, ys, xs), torch.full_like(ys, sign, dtype=torch.int32), accumulate=True)
    return marks.cumsum(1, dtype=torch.int32).cumsum(2, dtype=torch.int32)[:, :height, :width] > 0


class BoxRefiner:
    """Applies a recipe's refiner (its medsam-lite weights and RefineSettings) to batches of lesion maps; attention
    goes through fused kernels (medsam.sdpa)."""

    def __init__(self, state: dict[str, torch.Tensor], settings: RefineSettings, threshold: float,
                 device: torch.device, compile: bool = False):
        self.net = sdpa.install(network.from_state(state).to(device).eval())
        self.settings, self.threshold = settings, threshold
        self.encoder = torch.compile(self.net.image_encoder, dynamic=True) if compile else self.net.image_encoder
        # the decoder compiles for one shape only (with dynamic shapes it did not finish compiling in three
        # minutes): every part is padded to BOXES_PER_DECODE boxes
        self.pad_boxes = compile
        self.box_logits = torch.compile(self.decode_boxes, dynamic=False) if compile else self.decode_boxes

    def embed(self, images: torch.Tensor) -> torch.Tensor:
        """medsam-lite's embeddings [N, 256, 64, 64] of slices [N, 1, H, W] in [0, 1], in the settings' precision."""
        x = F.interpolate(images.float().expand(-1, 3, -1, -1), size=(network.IMAGE_SIZE, network.IMAGE_SIZE),
                          mode="bilinear", align_corners=False)
        with torch.autocast(images.device.type, enabled=False), autocast(images.device, self.settings.precision):
            return self.encoder(x)

    def decode_boxes(self, embedding: torch.Tensor, frames: torch.Tensor) -> torch.Tensor:
        """Low-resolution logits [K, 1, 256, 256] for boxes [K, 4] in the network's frame."""
        return decode_boxes(self.net, embedding, frames)[0]

    def drafts(self, embedding: torch.Tensor, boxes: torch.Tensor, height: int, width: int):
        """medsam-lite's lesion probability for each box [K, 4] (slice pixels) on its slice's embedding [K, ...],
        zero outside the box: [K, H, W], and the box's pixels [K, H, W] (bool)."""
        scale = torch.tensor([network.IMAGE_SIZE / width, network.IMAGE_SIZE / height] * 2, device=boxes.device)
        frames, count = boxes.float() * scale, len(boxes)
        if self.pad_boxes and count < BOXES_PER_DECODE:
            frames, embedding = (torch.cat([t, t[-1:].expand(BOXES_PER_DECODE - count, *t.shape[1:])])
                                 for t in (frames, embedding))
        with torch.autocast(boxes.device.type, enabled=False), autocast(boxes.device, self.settings.precision):
            logits = self.box_logits(embedding, frames)[:count]
        medsam = torch.sigmoid(F.interpolate(logits.float(), size=(height, width), mode="bilinear",
                                             align_corners=False)[:, 0])
        inside = box_regions(boxes, height, width)
        return torch.where(inside, medsam, 0.0), inside

    @torch.no_grad()
    def __call__(self, images: torch.Tensor, probs: torch.Tensor) -> torch.Tensor:
        """images [B, 1, H, W] in [0, 1] and lesion probabilities [B, H, W] (one device) → refined probabilities.
        medsam-lite runs in the settings' precision (fp32 and bf16 cross-validated alike), whatever autocast is
        around."""
        _, height, width = probs.shape
        boxes, owners = component_boxes(probs > self.threshold)
        if len(boxes) == 0:
            return probs
        margin = self.settings.margin
        boxes = boxes + torch.tensor([-margin, -margin, margin, margin], device=boxes.device)
        boxes = torch.maximum(boxes, torch.zeros_like(boxes))
        boxes = torch.minimum(boxes, torch.tensor([width - 1, height - 1, width - 1, height - 1], device=boxes.device))
        slices, owner_slot = torch.unique(owners, return_inverse=True)
        embedding = self.embed(images[slices])
        drawn = torch.zeros_like(probs)
        for start in range(0, len(boxes), BOXES_PER_DECODE):
            part = slice(start, start + BOXES_PER_DECODE)
            medsam, _ = self.drafts(embedding[owner_slot[part]], boxes[part], height, width)
            # overlapping boxes of one slice: the highest draft counts (drafts are 0 outside their box)
            drawn.index_reduce_(0, owners[part], medsam, "amax")
        weight = self.settings.weight
        covered = covered_pixels(boxes, owners, len(probs), height, width)
        return torch.where(covered, (1 - weight) * probs + weight * drawn, probs)

    @classmethod
    def of(cls, state: dict | None, settings: InferenceSettings, device: torch.device,
           compile: bool = False) -> BoxRefiner | None:
        """The refiner a model file's settings ask for (None when they refine nothing)."""
        if settings.refine is None or state is None:
            return None
        return cls(state, settings.refine, settings.threshold, device, compile)
