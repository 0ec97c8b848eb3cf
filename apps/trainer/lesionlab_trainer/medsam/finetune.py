"""The one LiteMedSAM fine-tune (what the `medsam-lite` preset trains and `crossval` cross-validates) and the
bench's box Dice to score it.

Each step takes BATCH_SIZE slices at their packed side (slices.py). Each slice is trained on up to BOXES_PER_SLICE
distinct boxes, all decoded on its one embedding: its lesion components' extents (the bench's boxes), each side
moved out or in by up to JITTER_FRACTION of the slice; the slice (with its boxes) is zoomed, shifted and shaded
(AUGMENT: augment.py), then mirrored left-right half the time; the target is every lesion pixel inside the box —
what an annotator's box asks for. The loss (BCE + Dice) is taken on the logits resized to the slice's side. AdamW
(weight decay 0.01) with the image encoder at a fifth of the learning rate, one-cycle. The defaults are the ones
cross-validated on medseg-ct100: four boxes a slice with the augmentation scored 0.853 held out, against 0.842 for
one box without (bench/results/assist-medsam-crossval-aug4.json).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

from lesionlab_trainer.medsam import boxscore, network
from lesionlab_trainer.medsam.augment import shade, zoom_and_shift
from lesionlab_trainer.medsam.prompts import decode_boxes
from lesionlab_trainer.medsam.slices import SliceSet

SIDE = network.IMAGE_SIZE
JITTER_FRACTION = 0.01  # box sides move by up to ±1% of the slice side (±5 px of 512), in and out
STEPS = 400
BATCH_SIZE = 16
LR = 2e-4
ENCODER_LR_FACTOR = 0.2
WEIGHT_DECAY = 0.01
WARMUP_FRACTION = 0.1
BOXES_PER_SLICE = 4  # distinct component boxes a slice is trained on per step (each decoded on its one embedding)
AUGMENT = True  # zoom, shift and shading (augment.py) on top of the mirror and the box jitter


def network_input(images: torch.Tensor) -> torch.Tensor:
    """uint8 [B, S, S] → the encoder's [B, 3, 256, 256], resized as encoder.onnx resizes (prompts.ImageEncoder)."""
    x = (images.float() / 255.0).unsqueeze(1).expand(-1, 3, -1, -1)
    return F.interpolate(x, size=(SIDE, SIDE), mode="bilinear", align_corners=False) if x.shape[-1] != SIDE else x


class Prompts(NamedTuple):
    """A training batch: slices [B, S, S] uint8 and their lesion masks [B, S, S], warped and mirrored alike, and
    the boxes [M, 4] (slice pixels, first and last) each trained on, with the slice each box is on (owner [M])."""

    images: torch.Tensor
    masks: torch.Tensor
    owner: torch.Tensor
    boxes: torch.Tensor

    def to(self, device: torch.device) -> Prompts:
        """On a GPU, copied from pinned memory without waiting: the host samples the next batch meanwhile."""
        if device.type != "cuda":
            return Prompts(*(t.to(device) for t in self))
        return Prompts(*(t.pin_memory().to(device, non_blocking=True) for t in self))

    def targets(self) -> torch.Tensor:
        """[M, 1, S, S] float: each box's lesion pixels inside it (what an annotator's box asks for)."""
        side = self.images.shape[-1]
        return (self.masks[self.owner] * boxscore.box_regions(self.boxes, side, side)).float().unsqueeze(1)

    def frames(self) -> torch.Tensor:
        """The boxes [M, 4] in the network's frame."""
        return self.boxes.float() * (SIDE / self.images.shape[-1])


def sample_batch(
    data: SliceSet, pick: np.ndarray, generator: torch.Generator, boxes_per_slice: int = 1, augment: bool = False,
    loosen: float = 0.0,
) -> Prompts:
    """Up to `boxes_per_slice` distinct random component boxes per slice, each jittered (and each side moved out by
    up to `loosen` of the slice side more); the slice (with its boxes) optionally zoomed, shifted and shaded
    (augment.py) and mirrored half the time. On the host; the targets are built where the batch trains
    (Prompts.targets: 64 of them at 512 px are 67 MB)."""
    side = data.side
    jitter = max(1, round(JITTER_FRACTION * side))
    slack = round(loosen * side)
    images, masks, owner, boxes = [], [], [], []
    for slot, i in enumerate(pick):
        candidates = data.boxes[i]
        chosen = candidates[torch.randperm(len(candidates), generator=generator)[:boxes_per_slice]].clone()
        image, mask = data.images[i], data.masks[i]
        if augment:
            warped = zoom_and_shift(image, mask, chosen, generator)
            if warped is not None:
                image, mask, chosen = warped
            image = shade(image, generator)
        if torch.rand(1, generator=generator).item() < 0.5:
            image, mask = image.flip(-1), mask.flip(-1)
            chosen = torch.stack([side - 1 - chosen[:, 2], chosen[:, 1], side - 1 - chosen[:, 0], chosen[:, 3]], 1)
        images.append(image)
        masks.append(mask)
        for box in chosen:
            box = box + torch.randint(-jitter, jitter + 1, (4,), generator=generator) * torch.tensor([-1, -1, 1, 1])
            if slack:
                box = box + torch.randint(0, slack + 1, (4,), generator=generator) * torch.tensor([-1, -1, 1, 1])
            box = box.clamp(0, side - 1)
            box[2:] = torch.maximum(box[2:], box[:2] + 1).clamp(max=side - 1)
            owner.append(slot)
            boxes.append(box.long())
    return Prompts(torch.stack(images), torch.stack(masks), torch.tensor(owner), torch.stack(boxes))


def seg_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    probs = torch.sigmoid(logits)
    dice = 1 - (2 * (probs * target).sum((1, 2, 3)) + 1) / (probs.sum((1, 2, 3)) + target.sum((1, 2, 3)) + 1)
    return F.binary_cross_entropy_with_logits(logits, target) + dice.mean()


def warmup_share(steps: int) -> float:
    """OneCycleLR's warm-up: a tenth of the steps, but at least two from ten steps on. A warm-up of exactly one
    step makes torch divide by zero (its warm-up phase would end where it starts); under ten steps it stays
    shorter than one step, which torch handles."""
    return WARMUP_FRACTION if steps < 10 else max(2, round(steps * WARMUP_FRACTION)) / steps


def fit(
    net,
    data: SliceSet,
    device: torch.device,
    *,
    steps: int = STEPS,
    batch_size: int = BATCH_SIZE,
    lr: float = LR,
    weight_decay: float = WEIGHT_DECAY,
    seed: int = 0,
    bf16: bool = True,
    boxes_per_slice: int = BOXES_PER_SLICE,
    augment: bool = AUGMENT,
    loosen: float = 0.0,
    after_step: Callable[[int, torch.Tensor], None] | None = None,
) -> None:
    """Fine-tunes `net` (on `device`) in place on slices that each have a box; `after_step(step, loss)` is called
    after every step with the loss detached (read it only when reporting: reading waits for the GPU)."""
    if len(data) == 0 or any(len(b) == 0 for b in data.boxes):
        raise ValueError("fit needs slices that each have at least one box (SliceSet.with_boxes)")
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    encoder_lr = lr * ENCODER_LR_FACTOR
    optimizer = torch.optim.AdamW(
        [
            {"params": net.image_encoder.parameters(), "lr": encoder_lr},
            {"params": list(net.mask_decoder.parameters()) + list(net.prompt_encoder.parameters()), "lr": lr},
        ],
        weight_decay=weight_decay,
    )
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=[encoder_lr, lr], total_steps=steps, pct_start=warmup_share(steps)
    )
    net.train()
    order = np.array([], dtype=np.int64)
    for step in range(1, steps + 1):
        if len(order) < batch_size:
            order = np.concatenate([order, torch.randperm(len(data), generator=generator).numpy()])
        pick, order = order[:batch_size], order[batch_size:]
        batch = sample_batch(data, pick, generator, boxes_per_slice, augment, loosen).to(device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16 and device.type == "cuda"):
            embedding = net.image_encoder(network_input(batch.images))
            logits, _ = decode_boxes(net, embedding[batch.owner], batch.frames())
        logits = boxscore.upsample(logits, data.side, data.side) if data.side != SIDE else logits.float()
        loss = seg_loss(logits, batch.targets())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
        if after_step is not None:
            after_step(step, loss.detach())
    net.eval()


@torch.no_grad()
def score(net, data: SliceSet, device: torch.device, thresholds=(0.0,), hflip: bool = False) -> dict[str, list[float]]:
    """Per-slice bench Dice (one draft per box, united per slice; drafts clipped to their box and not), at each
    logit threshold: keys `clip@T` and `noclip@T`. With `hflip`, also `hflip-clip@T` and `hflip-noclip@T`: each
    draft's logits averaged with those of the mirrored slice and box (a test-time view). Leaves the network in the
    mode it found it in."""
    was_training = net.training
    net.eval()
    views = ("", "hflip-") if hflip else ("",)
    out = {f"{view}{kind}@{t:g}": [] for view in views for kind in ("clip", "noclip") for t in thresholds}
    side = data.side

    def draft(embedding: torch.Tensor, box: torch.Tensor) -> torch.Tensor:
        logits, _ = decode_boxes(net, embedding, box.to(device).reshape(1, 4) * (SIDE / side))
        return boxscore.upsample(logits[0, 0], side, side)

    for i in range(len(data)):
        image = data.images[i : i + 1].to(device)
        embedding = net.image_encoder(network_input(image))
        mirrored = net.image_encoder(network_input(image.flip(-1))) if hflip else None
        truth = data.masks[i].to(device).bool()
        united = {key: torch.zeros_like(truth) for key in out}
        for box in data.boxes[i]:
            full = {"": draft(embedding, box)}
            if hflip:
                flipped_box = torch.stack([side - 1 - box[2], box[1], side - 1 - box[0], box[3]])
                full["hflip-"] = (full[""] + draft(mirrored, flipped_box).flip(-1)) / 2
            x0, y0, x1, y1 = box.long().tolist()
            inside = torch.zeros_like(truth)
            inside[y0 : y1 + 1, x0 : x1 + 1] = True
            for view, logits in full.items():
                for t in thresholds:
                    drawn = logits > t
                    united[f"{view}clip@{t:g}"] |= drawn & inside
                    united[f"{view}noclip@{t:g}"] |= drawn
        for key, mask in united.items():
            total = int(mask.sum()) + int(truth.sum())
            out[key].append(1.0 if total == 0 else 2.0 * int((mask & truth).sum()) / total)
    net.train(was_training)
    return out
