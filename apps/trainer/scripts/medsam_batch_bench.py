"""The host's share of a medsam-lite training step: finetune.sample_batch as fit calls it (the preset's batch of 16,
four boxes a slice, the augmentation), on fold 0's training slices of medseg-ct100 as cascade_cv.py packs them.
On a GPU the card trains on one batch while the host samples the next, so this bounds a step from below. Prints
one JSON object (median of --reps calls after 3 warm-ups).

Usage (repo root): PYTHONPATH=apps/trainer python apps/trainer/scripts/medsam_batch_bench.py --data <medseg-ct100> \
    [--threads 1] [--reps 20] [--loosen 0.03]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from cascade_cv import fold_slices

from lesionlab_trainer.medsam import finetune
from lesionlab_trainer.medsam.slices import SliceSet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the medseg-ct100 folder")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--loosen", type=float, default=0.0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as work:
        data = SliceSet.of(fold_slices(args.data, Path(work), 5, 0, "train")[0]).with_boxes()
    generator = torch.Generator().manual_seed(0)
    order = np.random.default_rng(0).permutation(len(data))

    def sample(step: int) -> None:
        pick = np.roll(order, step)[: finetune.BATCH_SIZE]
        finetune.sample_batch(data, pick, generator, finetune.BOXES_PER_SLICE, finetune.AUGMENT, args.loosen)

    times = []
    for step in range(3 + args.reps):
        started = time.perf_counter()
        sample(step)
        times.append((time.perf_counter() - started) * 1e3)
    print(json.dumps({"median_ms": round(statistics.median(times[3:]), 1), "threads": args.threads,
                      "batch": finetune.BATCH_SIZE, "boxes_per_slice": finetune.BOXES_PER_SLICE,
                      "augment": finetune.AUGMENT, "loosen": args.loosen, "side": data.side, "reps": args.reps,
                      "cpu": platform.processor() or platform.machine(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
