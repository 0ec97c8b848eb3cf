"""How fast a split is decoded into the slice cache (`data/cache.load_split`: each file's sha256 checked, decoded,
resized to 512 x 512) on one core and on every core this process may use. `predict`, `evaluate` and `train` build
it before their first batch, so on a large release it is part of every job's time. The slices are infnet-pseudo's
(real CT slices and masks of varied size). Prints one JSON line; medians of --repeats, each into an empty cache.

    PYTHONPATH=apps/trainer python apps/trainer/scripts/cache_build_bench.py --data <infnet-pseudo> [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from lesionlab_trainer.data.adapters import build_manifest
from lesionlab_trainer.data.cache import decode_threads, load_split
from lesionlab_trainer.data.manifest import read_manifest


def build_seconds(records: list, root: Path, cores: set[int], repeats: int) -> float:
    """Median seconds to build the cache of `records` into an empty folder, on `cores` only."""
    everything = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cores)
    try:
        seconds = []
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as cache:
                started = time.perf_counter()
                load_split(records, root, 512, Path(cache))
                seconds.append(time.perf_counter() - started)
        return statistics.median(seconds)
    finally:
        os.sched_setaffinity(0, everything)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cores = os.sched_getaffinity(0)
    with tempfile.TemporaryDirectory() as work:
        manifest = read_manifest(build_manifest("infnet-pseudo", args.data, Path(work), 0, 0.2))
        records = list(manifest.records)
        # once first: the files then sit in the page cache, as a rerun finds them
        load_split(records, manifest.root, 512, Path(work) / "warm")
        one = build_seconds(records, manifest.root, {min(cores)}, args.repeats)
        every = build_seconds(records, manifest.root, cores, args.repeats)
    print(json.dumps({"slices": len(records), "cores": len(cores), "threads": decode_threads(),
                      "one_core_slices_per_s": len(records) / one, "all_cores_slices_per_s": len(records) / every,
                      "speedup": one / every, "repeats": args.repeats}))


if __name__ == "__main__":
    main()
