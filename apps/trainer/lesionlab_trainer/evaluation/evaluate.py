"""`evaluate`: segmentation and classification metrics with bootstrap intervals, patient-level decisions,
report JSON (with the ROC curve and the worst slices' ground truth, prediction and Grad-CAM PNGs), per-slice CSV."""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

import numpy as np

from lesionlab_trainer.data.cache import SUPERVISION_CODES, SliceArrays, load_split
from lesionlab_trainer.data.manifest import read_manifest
from lesionlab_trainer.evaluation.overlay import PREDICTION_CHANNEL, TRUTH_CHANNEL, heatmap_rgb, mask_rgb, save_png
from lesionlab_trainer.events import EventSink, json_safe
from lesionlab_trainer.inference import predict_batches, score_slices, to_input
from lesionlab_trainer.inference_settings import InferenceSettings, chosen_settings
from lesionlab_trainer.metrics import (
    PatientRule,
    bootstrap_interval,
    classification_summary,
    patient_decisions,
    roc_auc,
    roc_points,
    segmentation_summary,
    slice_scores,
)
from lesionlab_trainer.prediction.gradcam import grad_cam
from lesionlab_trainer.refine import BoxRefiner
from lesionlab_trainer.runtime import for_inference, load_model_file, pick_device

SEG_TRUTH = (SUPERVISION_CODES["pixel"], SUPERVISION_CODES["negative"])


def segmentation_report(counts: np.ndarray, rounds: int, seed: int = 0) -> dict:
    report = segmentation_summary(counts)
    dice = slice_scores(counts)["dice"]
    report["dice_mean_ci95"] = bootstrap_interval(lambda idx: float(np.nanmean(dice[idx])), len(dice), rounds, seed)
    report["dice_global_ci95"] = bootstrap_interval(
        lambda idx: segmentation_summary(counts[idx])["dice_global"], len(counts), rounds, seed)
    report["slices"] = int(len(counts))
    return report


def classification_report(probs: np.ndarray, labels: np.ndarray, groups: list[str], threshold: float,
                          rule: PatientRule, rounds: int) -> dict:
    report = classification_summary(probs, labels, threshold)
    report["auc_ci95"] = bootstrap_interval(lambda idx: roc_auc(probs[idx], labels[idx]), len(probs), rounds)
    report["roc"] = roc_points(probs, labels)
    decisions = patient_decisions(groups, probs, rule)
    truth: dict[str, bool] = {}
    for group, label in zip(groups, labels):
        truth[group] = truth.get(group, False) or bool(label)
    patients = sorted(decisions)
    predicted = np.array([decisions[p] for p in patients], dtype=float)
    actual = np.array([truth[p] for p in patients])
    report["patient"] = {"rule": {"kind": rule.kind, "value": rule.value, "slice_threshold": rule.slice_threshold},
                         **classification_summary(predicted, actual, 0.5)}
    report["patient"].pop("auc")
    report["slices"] = int(len(probs))
    return report


def _safe_name(slice_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", slice_id)


def write_slice_csv(path: Path, arrays: SliceArrays, counts: np.ndarray, probs: np.ndarray) -> None:
    scores = slice_scores(counts)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["slice_id", "patient_id", "supervision", "label", "covid_prob", "dice", "iou",
                         "sensitivity", "specificity", "precision", "true_lesion_px", "pred_lesion_px"])
        for i, record in enumerate(arrays.records):
            has_truth = arrays.supervision[i] in SEG_TRUTH
            row = [f"{scores[k][i]:.6f}" if has_truth and np.isfinite(scores[k][i]) else ""
                   for k in ("dice", "iou", "sensitivity", "specificity", "precision")]
            tp, fp, fn, _ = counts[i]
            writer.writerow([record.slice_id, record.patient_id or "", record.supervision, record.label,
                             f"{probs[i]:.6f}", *row, int(tp + fn) if has_truth else "", int(tp + fp)])


def worst_slices(fast, model, arrays: SliceArrays, counts: np.ndarray, device, precision: str, worst: int,
                 out: Path, settings: InferenceSettings, refiner: BoxRefiner | None = None) -> list[dict]:
    """The `worst` pixel-supervised slices by dice (worst first), each drawn three times under out/worst: its
    ground truth, the prediction of `fast` and the Grad-CAM of `model` (the same weights, unfolded: Grad-CAM
    needs gradients). File names are relative to `out`."""
    pixel = np.flatnonzero(arrays.supervision == SUPERVISION_CODES["pixel"])
    if worst <= 0 or len(pixel) == 0:
        return []
    dice = slice_scores(counts)["dice"]
    chosen = pixel[np.argsort(dice[pixel], kind="stable")[:worst]]
    _, seg, _ = next(predict_batches(fast, arrays.images[chosen], device, precision, len(chosen), settings.tta,
                                     refiner))
    if seg is None:
        return []
    cams = grad_cam(model, to_input(arrays.images[chosen], device)).cpu().numpy()
    entries = []
    for j, index in enumerate(chosen):
        image, stem = arrays.images[index], f"worst/{j:02d}_{_safe_name(arrays.records[index].slice_id)}"
        drawings = {"truth": mask_rgb(image, arrays.masks[index], TRUTH_CHANNEL),
                    "prediction": mask_rgb(image, seg[j] > settings.threshold, PREDICTION_CHANNEL),
                    "gradcam": heatmap_rgb(image, cams[j])}
        images = {kind: str(save_png(drawing, out / f"{stem}_{kind}.png").relative_to(out))
                  for kind, drawing in drawings.items()}
        entries.append({"slice_id": arrays.records[index].slice_id, "dice": float(dice[index]), "images": images})
    return entries


def run_evaluation(args: argparse.Namespace, sink: EventSink) -> dict:
    device = pick_device(args.device)
    model, spec, size, stored, refiner_state = load_model_file(Path(args.checkpoint), device)
    settings = chosen_settings(stored, args)
    refiner = BoxRefiner.of(refiner_state, settings, device, args.compile)
    fast = for_inference(model, device, args.precision, args.compile)
    manifest = read_manifest(args.manifest, args.data_root)
    records = manifest.split(args.split)
    if not records:
        raise ValueError(f"split {args.split!r} of {args.manifest} is empty")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    arrays = load_split(records, manifest.root, size, Path(args.cache_dir or out / "cache"))
    counts, probs = score_slices(fast, arrays.images, arrays.masks, device, args.precision, args.batch_size, settings,
                                 refiner)
    report: dict = {"checkpoint": str(args.checkpoint), "model": spec.to_dict(), "split": args.split,
                    "image_size": size}
    seg_rows = np.isin(arrays.supervision, SEG_TRUTH)
    if counts is not None and seg_rows.any():
        report["segmentation"] = segmentation_report(counts[seg_rows], args.bootstrap)
        pixel_rows = arrays.supervision == SUPERVISION_CODES["pixel"]
        if pixel_rows.any():
            report["segmentation_lesion_slices"] = segmentation_report(counts[pixel_rows], args.bootstrap)
    known = arrays.labels >= 0
    if known.any():
        groups = [r.group for r, k in zip(arrays.records, known) if k]
        rule = PatientRule.parse(args.patient_rule, args.threshold)
        report["classification"] = classification_report(probs[known], arrays.labels[known], groups,
                                                         args.threshold, rule, args.bootstrap)
    for section, keys in (("segmentation_lesion_slices", ("dice_mean", "dice_global", "iou_mean",
                                                          "sensitivity_mean", "specificity_mean", "precision_mean")),
                          ("classification", ("auc", "sensitivity", "specificity", "accuracy"))):
        for key in keys:
            if section in report:
                sink.metric(f"{section.split('_')[0]}/{key}", report[section][key], args.split)
    if counts is not None:
        report["worst_slices"] = worst_slices(fast, model, arrays, counts, device, args.precision, args.worst, out,
                                              settings, refiner)
    report_path = out / "report.json"
    report_path.write_text(json.dumps(json_safe(report), indent=2))
    sink.artifact("report", str(report_path))
    csv_path = out / "slices.csv"
    write_slice_csv(csv_path, arrays, counts, probs)
    sink.artifact("slices-csv", str(csv_path))
    return {"report": str(report_path), "inference": settings.to_dict()}
