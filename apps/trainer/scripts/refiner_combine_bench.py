"""How the refiner combines its drafts into each slice's map, timed: per slice, the highest of its boxes' drafts
and the pixels its boxes cover (refine.BoxRefiner), against the way it did before (a scatter over an index as large
as the drafts, and a full-size map per box for the covered pixels). Both must give the same maps; prints one JSON
line (medians of --reps after three warm-up calls, ms).

    PYTHONPATH=apps/trainer python apps/trainer/scripts/refiner_combine_bench.py [--slices 16] [--boxes 96]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys

import torch

from lesionlab_trainer.medsam.boxscore import box_regions
from lesionlab_trainer.refine import covered_pixels
from lesionlab_trainer.runtime import pick_device

sys.path.insert(0, "apps/trainer/scripts")
from refiner_profile import median_ms  # noqa: E402

SIDE = 512


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slices", type=int, default=16)
    parser.add_argument("--boxes", type=int, default=96)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    device = pick_device("auto")
    if device.type == "cpu":
        torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(0)
    count = args.boxes
    owners = torch.sort(torch.randint(0, args.slices, (count,), generator=generator)).values.to(device)
    corners = torch.randint(0, SIDE - 112, (count, 2), generator=generator)
    boxes = torch.cat([corners, corners + torch.randint(5, 100, (count, 2), generator=generator)], 1).to(device)
    inside = box_regions(boxes, SIDE, SIDE)
    drafts = torch.where(inside, torch.rand(count, SIDE, SIDE, generator=generator).to(device), 0.0)
    shape = (args.slices, SIDE, SIDE)

    def before():
        drawn, covered = torch.zeros(shape, device=device), torch.zeros(shape, device=device)
        where = owners[:, None].expand(-1, SIDE * SIDE)
        drawn.view(-1, SIDE * SIDE).scatter_reduce_(0, where, drafts.view(-1, SIDE * SIDE), "amax")
        covered.view(-1, SIDE * SIDE).scatter_reduce_(0, where, inside.float().view(-1, SIDE * SIDE), "amax")
        return drawn, covered > 0

    def now():
        drawn = torch.zeros(shape, device=device).index_reduce_(0, owners, drafts, "amax")
        return drawn, covered_pixels(boxes, owners, args.slices, SIDE, SIDE)

    same = all(torch.equal(a, b) for a, b in zip(before(), now()))
    print(json.dumps({"device": torch.cuda.get_device_name(device) if device.type == "cuda" else
                      f"{platform.machine()} CPU, one thread", "slices": args.slices, "boxes": count,
                      "same_maps": same, "before_ms": median_ms(before, args.reps),
                      "now_ms": median_ms(now, args.reps)}))


if __name__ == "__main__":
    main()
