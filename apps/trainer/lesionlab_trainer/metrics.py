"""Segmentation and classification metrics, patient-level decisions and bootstrap intervals (NumPy only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def confusion_counts(pred, target) -> np.ndarray:
    """pred/target: (N,H,W) boolean arrays, or tensors on one device (counted there: only the counts reach the
    host) -> (N,4) int64 counts [tp, fp, fn, tn] per slice."""
    pred, target = pred.reshape(len(pred), -1) != 0, target.reshape(len(target), -1) != 0
    sums = [(pred & target).sum(1), pred.sum(1), target.sum(1)]
    tp, predicted, actual = (np.asarray(s.cpu() if hasattr(s, "cpu") else s, dtype=np.int64) for s in sums)
    pixels = pred.shape[1]
    return np.stack([tp, predicted - tp, actual - tp, pixels - predicted - actual + tp], axis=1)


def _ratio(num: np.ndarray, den: np.ndarray, empty: float = np.nan) -> np.ndarray:
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, empty, dtype=np.float64)
    np.divide(num, den, out=out, where=den > 0)
    return out


def slice_scores(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Per-slice Dice, IoU, sensitivity, specificity, precision. Dice/IoU of an empty prediction on an
    empty target are 1 (a correct 'no lesion'); ratios with a zero denominator otherwise are NaN."""
    tp, fp, fn, tn = counts.T
    both_empty = (tp + fp + fn) == 0
    dice = np.where(both_empty, 1.0, _ratio(2 * tp, 2 * tp + fp + fn))
    iou = np.where(both_empty, 1.0, _ratio(tp, tp + fp + fn))
    return {"dice": dice, "iou": iou, "sensitivity": _ratio(tp, tp + fn), "specificity": _ratio(tn, tn + fp),
            "precision": _ratio(tp, tp + fp)}


def segmentation_summary(counts: np.ndarray) -> dict[str, float]:
    """Mean of per-slice scores (NaN-skipping) and global scores over the summed counts."""
    per_slice = slice_scores(counts)
    global_scores = slice_scores(counts.sum(0, keepdims=True))
    summary = {f"{k}_mean": float(np.nanmean(v)) if np.isfinite(v).any() else float("nan")
               for k, v in per_slice.items()}
    summary.update({f"{k}_global": float(v[0]) for k, v in global_scores.items()})
    return summary


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve via the rank-sum statistic (ties get average ranks). NaN with one class."""
    scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels).astype(bool)
    n_pos, n_neg = labels.sum(), (~labels).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = scores[order]
    ranks = np.empty(len(scores), dtype=np.float64)
    start = 0
    while start < len(scores):
        end = start
        while end + 1 < len(scores) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start:end + 1]] = (start + end) / 2.0 + 1.0
        start = end + 1
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def roc_points(scores: np.ndarray, labels: np.ndarray, max_points: int = 200) -> list[dict]:
    """The ROC curve's vertices, (0,0) first and (1,1) last, one per distinct score (a slice is positive at
    score >= threshold; the first point's threshold is None: nothing is positive). Longer curves keep
    `max_points` vertices spread evenly along them. Empty with one class only."""
    scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels).astype(bool)
    n_pos, n_neg = int(labels.sum()), int((~labels).sum())
    if n_pos == 0 or n_neg == 0:
        return []
    order = np.argsort(-scores, kind="mergesort")
    scores, labels = scores[order], labels[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(scores) != 0), len(scores) - 1]
    tpr = np.r_[0.0, np.cumsum(labels)[last_of_tie] / n_pos]
    fpr = np.r_[0.0, np.cumsum(~labels)[last_of_tie] / n_neg]
    thresholds = [None, *scores[last_of_tie].tolist()]
    keep = np.unique(np.linspace(0, len(tpr) - 1, min(len(tpr), max_points)).round().astype(int))
    return [{"fpr": float(fpr[i]), "tpr": float(tpr[i]), "threshold": thresholds[i]} for i in keep]


def classification_summary(probs: np.ndarray, labels: np.ndarray, threshold: float) -> dict:
    labels = np.asarray(labels).astype(bool)
    pred = np.asarray(probs) >= threshold
    tp, fp = int((pred & labels).sum()), int((pred & ~labels).sum())
    fn, tn = int((~pred & labels).sum()), int((~pred & ~labels).sum())
    return {
        "auc": roc_auc(probs, labels),
        "threshold": threshold,
        "sensitivity": float(_ratio(tp, tp + fn)),
        "specificity": float(_ratio(tn, tn + fp)),
        "accuracy": float(_ratio(tp + tn, len(labels))),
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
    }


@dataclass(frozen=True)
class PatientRule:
    """count: positive when more than `value` slices are positive; ratio: when the positive fraction
    exceeds `value`; max: when the highest slice probability exceeds `value`."""

    kind: str = "count"
    value: float = 18
    slice_threshold: float = 0.5

    def decide(self, probs: np.ndarray) -> bool:
        positives = int((probs >= self.slice_threshold).sum())
        if self.kind == "count":
            return positives > self.value
        if self.kind == "ratio":
            return positives / max(1, len(probs)) > self.value
        if self.kind == "max":
            return float(probs.max(initial=0.0)) > self.value
        raise ValueError(f"unknown patient rule {self.kind!r} (count, ratio or max)")

    @classmethod
    def parse(cls, text: str, slice_threshold: float = 0.5) -> PatientRule:
        """'count:18', 'ratio:0.1' or 'max:0.9'."""
        kind, _, value = text.partition(":")
        if kind not in ("count", "ratio", "max") or not value:
            raise ValueError(f"patient rule {text!r} must look like count:18, ratio:0.1 or max:0.9")
        return cls(kind, float(value), slice_threshold)


def patient_decisions(groups: list[str], probs: np.ndarray, rule: PatientRule) -> dict[str, bool]:
    by_patient: dict[str, list[float]] = {}
    for group, prob in zip(groups, probs):
        by_patient.setdefault(group, []).append(float(prob))
    return {g: rule.decide(np.asarray(p)) for g, p in by_patient.items()}


def bootstrap_interval(statistic: Callable[[np.ndarray], float], n_units: int, rounds: int = 1000,
                       seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of statistic(indices) over resamples of the units with replacement."""
    if n_units == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    values = np.array([statistic(rng.integers(0, n_units, n_units)) for _ in range(rounds)], dtype=np.float64)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return float("nan"), float("nan")
    alpha = (1.0 - level) / 2.0
    return float(np.quantile(values, alpha)), float(np.quantile(values, 1.0 - alpha))
