"""The host's share of `predict`, per slice: what its writer thread does for each slice (resize the mask to the
slice's size, COCO RLE, one JSON line), and, for comparison, the uncertainty as predict computed it on the host
before it moved to the device (float64 numpy binary entropy of the 512 x 512 map). The lesion maps are the slices'
own masks, blurred (lesion-like borders, so the RLE has real runs). Prints one JSON line; medians of --repeats.

    PYTHONPATH=apps/trainer python apps/trainer/scripts/predict_host_bench.py --data <medseg-ct100> [--repeats 5]
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from lesionlab_trainer.data.adapters import build_manifest
from lesionlab_trainer.data.cache import load_split
from lesionlab_trainer.data.manifest import read_manifest
from lesionlab_trainer.prediction.predict import BatchOutputs, entropy_bits, write_rows


def host_entropy_bits(prob: np.ndarray) -> float:
    p = np.clip(prob.astype(np.float64), 1e-7, 1 - 1e-7)
    return float(np.mean(-(p * np.log2(p) + (1 - p) * np.log2(1 - p))))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as work:
        manifest = read_manifest(build_manifest("medseg-ct100", args.data, Path(work), 0, 0.2))
        records = manifest.split("train") + manifest.split("val") + manifest.split("test")
        arrays = load_split(records, manifest.root, 512, Path(work) / "cache")
        truth = torch.from_numpy(np.array(arrays.masks, dtype=np.float32))[:, None]
        maps = F.avg_pool2d(truth, 9, 1, 4)[:, 0]  # borders ramp over 9 px
        masks = (maps > 0.5).numpy()
        batch = BatchOutputs(slice(0, len(records)), np.zeros(len(records)), masks,
                             entropy_bits(maps).numpy(), None)
        rows, entropy = [], []
        for _ in range(args.repeats):
            started = time.perf_counter()
            write_rows(io.StringIO(), arrays, batch, Path(work))
            rows.append((time.perf_counter() - started) / len(records) * 1e3)
            started = time.perf_counter()
            for prob in maps.numpy():
                host_entropy_bits(prob)
            entropy.append((time.perf_counter() - started) / len(records) * 1e3)
    print(json.dumps({"slices": len(records), "cpu": platform.processor() or platform.machine(),
                      "writer_ms_per_slice": statistics.median(rows),
                      "host_entropy_ms_per_slice_before": statistics.median(entropy), "repeats": args.repeats}))


if __name__ == "__main__":
    main()
