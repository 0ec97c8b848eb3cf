"""`predict`: per slice a COCO RLE lesion mask (at the slice's own size), lesion and COVID probabilities,
an uncertainty score (mean binary entropy of the lesion map, in bits) and optional Grad-CAM PNGs."""

from __future__ import annotations

import argparse
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple, TextIO

import numpy as np
import torch
from PIL import Image

from lesionlab_trainer.data.cache import SliceArrays, load_split
from lesionlab_trainer.data.manifest import read_manifest
from lesionlab_trainer.evaluation.overlay import heatmap_rgb, save_png
from lesionlab_trainer.events import EventSink, json_safe
from lesionlab_trainer.inference import predict_tensors, to_input
from lesionlab_trainer.inference_settings import chosen_settings
from lesionlab_trainer.prediction.gradcam import grad_cam
from lesionlab_trainer.prediction.rle import encode
from lesionlab_trainer.refine import BoxRefiner
from lesionlab_trainer.runtime import for_inference, load_model_file, pick_device


def entropy_bits(seg: torch.Tensor) -> torch.Tensor:
    """Each lesion map's [B, H, W] mean binary entropy in bits (its uncertainty), on the maps' device."""
    p = seg.float().clamp(1e-7, 1 - 1e-7)
    return -(p * torch.log2(p) + (1 - p) * torch.log2(1 - p)).mean((1, 2))


def resize_mask(mask: np.ndarray, width: int, height: int) -> np.ndarray:
    if mask.shape == (height, width):
        return mask
    return np.asarray(Image.fromarray(mask.astype(np.uint8) * 255).resize((width, height), Image.NEAREST)) > 0


class BatchOutputs(NamedTuple):
    """One batch's outputs on the host: masks (B, H, W) and uncertainties (B,) are None without a lesion map,
    Grad-CAM maps (B, H, W) None unless asked for."""

    window: slice
    covid: np.ndarray
    masks: np.ndarray | None
    uncertainty: np.ndarray | None
    cams: np.ndarray | None


def write_rows(handle: TextIO, arrays: SliceArrays, batch: BatchOutputs, out: Path) -> list[str]:
    """Writes one predictions.jsonl line per slice of the batch (and its Grad-CAM PNG); returns the PNGs' paths."""
    written = []
    for j, index in enumerate(range(batch.window.start, batch.window.stop)):
        record = arrays.records[index]
        row = {"slice_id": record.slice_id, "covid_probability": float(batch.covid[j])}
        if batch.masks is not None:
            mask = resize_mask(batch.masks[j], record.width, record.height)
            row.update(mask_rle=encode(mask), lesion_fraction=float(mask.mean()),
                       uncertainty=float(batch.uncertainty[j]))
        if batch.cams is not None:
            name = re.sub(r"[^A-Za-z0-9._-]+", "_", record.slice_id) + ".png"
            row["gradcam"] = str(save_png(heatmap_rgb(arrays.images[index], batch.cams[j]), out / "gradcam" / name))
            written.append(row["gradcam"])
        handle.write(json.dumps(json_safe(row)) + "\n")
    return written


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
    # the rows of one batch are encoded and written on a second thread while the device runs the next batch
    started, first_batch_seconds = time.perf_counter(), None
    with open(predictions_path, "w") as handle, ThreadPoolExecutor(max_workers=1) as writer:
        pending = None
        for window, seg, cls in predict_tensors(fast, arrays.images, device, args.precision, args.batch_size,
                                                settings.tta, refiner):
            cams = grad_cam(model, to_input(arrays.images[window], device)).cpu().numpy() if args.gradcam else None
            masks = (seg > settings.threshold).cpu().numpy() if seg is not None else None
            uncertainty = entropy_bits(seg).cpu().numpy() if seg is not None else None
            batch = BatchOutputs(window, cls.cpu().numpy(), masks, uncertainty, cams)
            if pending is not None:
                for path in pending.result():
                    sink.artifact("gradcam", path)
            pending = writer.submit(write_rows, handle, arrays, batch, out)
            first_batch_seconds = first_batch_seconds or time.perf_counter() - started
        for path in pending.result() if pending is not None else ():
            sink.artifact("gradcam", path)
    sink.artifact("predictions", str(predictions_path))
    # the first batch's seconds include compiling (--compile)
    summary = {"predictions": str(predictions_path), "slices": len(records), "model": spec.arch,
               "inference": settings.to_dict(), "seconds": time.perf_counter() - started,
               "first_batch_seconds": first_batch_seconds}
    if device.type == "cuda":
        summary["peak_device_memory_gib"] = torch.cuda.max_memory_allocated(device) / 2**30
    return summary
