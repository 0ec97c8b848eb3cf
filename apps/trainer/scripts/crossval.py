"""K-fold cross-validated segmentation Dice of a model on medseg-ct100 (the 50 Inf-Net training slices).

Usage: python apps/trainer/scripts/crossval.py --data ../shared/data/medseg-ct100 --out /tmp/cv \
           --model jcs --steps 600 --batch-size 16 [--set key=value ...]
Prints one JSON object (per-fold and pooled per-slice Dice) on stdout; training events go to <out>/fold*/events.jsonl.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np

from lesionlab_trainer.config import load_config
from lesionlab_trainer.data.adapters import FILES_LINK, medseg_items
from lesionlab_trainer.data.cache import load_split
from lesionlab_trainer.data.manifest import read_manifest, write_manifest
from lesionlab_trainer.evaluation.evaluate import score_slices
from lesionlab_trainer.events import EventSink, json_safe
from lesionlab_trainer.metrics import segmentation_summary, slice_scores
from lesionlab_trainer.runtime import load_trained_model, pick_device
from lesionlab_trainer.training.trainer import Trainer


def fold_of(slice_id: str, folds: int, seed: int) -> int:
    return int(hashlib.sha256(f"{seed}:{slice_id}".encode()).hexdigest(), 16) % folds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--model", default="jcs")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--image-size", type=int, default=512)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[])
    args = parser.parse_args()
    data = Path(args.data).resolve()
    items = medseg_items(data)
    ordered = sorted(items, key=lambda i: hashlib.sha256(f"{args.seed}:{i['slice_id']}".encode()).hexdigest())
    results, pooled = [], []
    for fold in range(args.folds):
        folder = Path(args.out) / f"fold{fold}"
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / FILES_LINK).exists():
            (folder / FILES_LINK).symlink_to(data, target_is_directory=True)
        test_ids = {i["slice_id"] for n, i in enumerate(ordered) if n % args.folds == fold}
        for item in items:
            item["split"] = "test" if item["slice_id"] in test_ids else "train"
        write_manifest(folder / "manifest.jsonl", items)
        config = load_config(None, args.set, model=args.model, steps=args.steps, batch_size=args.batch_size,
                             image_size=args.image_size, cache_dir=str(Path(args.out) / "cache"))
        started = time.perf_counter()
        with open(folder / "events.jsonl", "w") as events:
            summary = Trainer(config, folder / "manifest.jsonl", folder / "run", EventSink("train", events)).run()
        train_seconds = time.perf_counter() - started
        device = pick_device(config.device)
        model, _, size = load_trained_model(Path(summary["model"]), device)
        manifest = read_manifest(folder / "manifest.jsonl")
        arrays = load_split(manifest.split("test"), manifest.root, size, Path(args.out) / "cache")
        counts, _ = score_slices(model, arrays, device, config.precision, args.batch_size)
        pooled.append(counts)
        results.append({"fold": fold, "test_slices": len(counts), "train_seconds": train_seconds,
                        "final_loss": summary["final_loss"], **segmentation_summary(counts)})
        print(json.dumps(json_safe(results[-1])), flush=True)
    counts = np.concatenate(pooled)
    dice = slice_scores(counts)["dice"]
    report = {"model": args.model, "folds": args.folds, "steps": args.steps, "batch_size": args.batch_size,
              "image_size": args.image_size, "settings": args.set, "per_fold": results,
              "pooled": segmentation_summary(counts),
              "dice_mean_of_folds": float(np.mean([r["dice_mean"] for r in results])),
              "dice_per_slice_std": float(np.nanstd(dice))}
    print(json.dumps(json_safe(report)), flush=True)


if __name__ == "__main__":
    main()
