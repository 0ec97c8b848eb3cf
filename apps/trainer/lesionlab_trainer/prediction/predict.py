"""`predict`: per slice a COCO RLE lesion mask (at the slice's own size), lesion and COVID probabilities,
an uncertainty score (mean binary entropy of the lesion map, in bits) and optional Grad-CAM PNGs."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np
from PIL import Image

from lesionlab_trainer.data.cache import load_split
from lesionlab_trainer.data.manifest import read_manifest
from lesionlab_trainer.evaluation.overlay import heatmap_rgb, save_png
from lesionlab_trainer.events import EventSink, json_safe
from lesionlab_trainer.inference import predict_batches, to_input
from lesionlab_trainer.inference_settings import chosen_settings
from lesionlab_trainer.prediction.gradcam import grad_cam
from lesionlab_trainer.prediction.rle import encode
from lesionlab_trainer.refine import BoxRefiner
from lesionlab_trainer.runtime import for_inference, load_model_file, pick_device


def mean_entropy_bits(prob: np.ndarray) -> float:
    p = np.clip(prob.astype(np.float64), 1e-7, 1 - 1e-7)
    return float(np.mean(-(p * np.log2(p) + (1 - p) * np.log2(1 - p))))


def resize_mask(mask: np.ndarray, width: int, height: int) -> np.ndarray:
    if mask.shape == (height, width):
        return mask
    return np.asarray(Image.fromarray(mask.astype(np.uint8) * 255).resize((width, height), Image.NEAREST)) > 0


def run_prediction(args: argparse.Namespace, sink: EventSink) -> dict:
    device = pick_device(args.device)
    model, spec, size, stored, refiner_state = load_model_file(Path(args.checkpoint), device)
    settings = chosen_settings(stored, args)
    refiner = BoxRefiner.of(refiner_state, settings, device, args.compile)
    fast = for_inference(model, device, args.precision, args.compile)  # Grad-CAM needs gradients: it runs on `model`
    manifest = read_manifest(args.manifest, args.data_root)
    records = manifest.split(args.split)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    arrays = load_split(records, manifest.root, size, Path(args.cache_dir or out / "cache"))
    predictions_path = out / "predictions.jsonl"
    with open(predictions_path, "w") as handle:
        for window, seg, cls in predict_batches(fast, arrays.images, device, args.precision, args.batch_size,
                                                  settings.tta, refiner):
            cams = grad_cam(model, to_input(arrays.images[window], device)).cpu().numpy() if args.gradcam else None
            for j, index in enumerate(range(window.start, window.stop)):
                record = arrays.records[index]
                row = {"slice_id": record.slice_id, "covid_probability": float(cls[j])}
                if seg is not None:
                    mask = resize_mask(seg[j] > settings.threshold, record.width, record.height)
                    row.update(mask_rle=encode(mask), lesion_fraction=float(mask.mean()),
                               uncertainty=mean_entropy_bits(seg[j]))
                if cams is not None:
                    name = re.sub(r"[^A-Za-z0-9._-]+", "_", record.slice_id) + ".png"
                    path = save_png(heatmap_rgb(arrays.images[index], cams[j]), out / "gradcam" / name)
                    row["gradcam"] = str(path)
                    sink.artifact("gradcam", str(path))
                handle.write(json.dumps(json_safe(row)) + "\n")
    sink.artifact("predictions", str(predictions_path))
    return {"predictions": str(predictions_path), "slices": len(records), "model": spec.arch,
            "inference": settings.to_dict()}
