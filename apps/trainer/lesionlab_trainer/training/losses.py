"""Mixed-supervision loss.

Per sample: segmentation = sum over side outputs of (BCE + 1 - soft Dice) and classification = cross-entropy.
Pixel-labelled slices get both, negatives get classification + empty-mask segmentation, patient-level
positives get classification only. Sums are divided by the (local) batch size, never by a count of
supervised samples, so data-parallel gradient averaging equals the single-process gradient exactly.
Soft Dice is per sample (not over the batch, as the reference does) for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch.nn import functional as F

from lesionlab_trainer.data.cache import SUPERVISION_CODES


@dataclass(frozen=True)
class LossWeights:
    seg: float = 1.0
    cls: float = 1.0
    negative_seg: float = 1.0
    dice_smooth: float = 1.0


def soft_dice_loss(logits: torch.Tensor, target: torch.Tensor, smooth: float) -> torch.Tensor:
    """(B,1,H,W) logits and {0,1} targets -> (B,) 1 - soft Dice."""
    prob = torch.sigmoid(logits).flatten(1)
    target = target.flatten(1)
    intersection = (prob * target).sum(1)
    return 1.0 - (2.0 * intersection + smooth) / (prob.sum(1) + target.sum(1) + smooth)


def side_output_loss(sides: list[torch.Tensor], target: torch.Tensor, smooth: float) -> torch.Tensor:
    """Deep supervision: (B,) sum over side outputs of BCE (pixel mean) + soft Dice loss."""
    total = torch.zeros(target.shape[0], device=target.device)
    for logits in sides:
        logits = logits.float()
        bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none").flatten(1).mean(1)
        total = total + bce + soft_dice_loss(logits, target, smooth)
    return total


def mixed_loss(outputs: dict, masks: torch.Tensor, supervision: torch.Tensor, labels: torch.Tensor,
               weights: LossWeights) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    batch = masks.shape[0]
    seg_weight = torch.zeros(batch, device=masks.device)
    seg_weight[supervision == SUPERVISION_CODES["pixel"]] = 1.0
    seg_weight[supervision == SUPERVISION_CODES["negative"]] = weights.negative_seg
    sides = outputs["seg"]
    if sides and weights.seg > 0:
        seg = (side_output_loss(sides, masks, weights.dice_smooth) * seg_weight).sum() / batch
    else:
        seg = torch.zeros((), device=masks.device)
    known = labels >= 0
    ce = F.cross_entropy(outputs["cls"].float(), labels.clamp(min=0), reduction="none")
    cls = (ce * known).sum() / batch
    total = weights.seg * seg + weights.cls * cls
    return total, {"loss_seg": seg.detach(), "loss_cls": cls.detach()}
