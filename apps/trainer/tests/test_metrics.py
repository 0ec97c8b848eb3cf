"""Metric functions against cases computed by hand."""

import math

import numpy as np
import pytest
import torch

from lesionlab_trainer.metrics import (
    PatientRule,
    bootstrap_interval,
    classification_summary,
    confusion_counts,
    patient_decisions,
    roc_auc,
    roc_points,
    segmentation_summary,
    slice_scores,
)


def masks(*rows):
    return np.array(rows, dtype=bool)


def test_confusion_and_per_slice_scores_by_hand():
    pred = np.stack([masks([1, 1, 0, 0], [0, 0, 0, 0]), masks([0, 0, 0, 0], [0, 0, 0, 0])])
    truth = np.stack([masks([1, 0, 0, 0], [1, 0, 0, 0]), masks([0, 0, 0, 0], [0, 0, 0, 0])])
    counts = confusion_counts(pred, truth)
    assert counts.tolist() == [[1, 1, 1, 5], [0, 0, 0, 8]]
    scores = slice_scores(counts)
    assert scores["dice"][0] == pytest.approx(2 * 1 / (2 * 1 + 1 + 1))  # 0.5
    assert scores["iou"][0] == pytest.approx(1 / 3)
    assert scores["sensitivity"][0] == pytest.approx(0.5)
    assert scores["specificity"][0] == pytest.approx(5 / 6)
    assert scores["precision"][0] == pytest.approx(0.5)
    # empty prediction on an empty truth is a perfect slice; sensitivity/precision are undefined
    assert scores["dice"][1] == 1.0 and scores["iou"][1] == 1.0
    assert math.isnan(scores["sensitivity"][1]) and math.isnan(scores["precision"][1])
    # tensors are counted where they are, to the same numbers; uint8 truth counts as nonzero
    as_tensors = confusion_counts(torch.from_numpy(pred), torch.from_numpy(truth.astype(np.uint8) * 255))
    assert as_tensors.dtype == np.int64 and as_tensors.tolist() == counts.tolist()


def test_mean_and_global_dice_differ_as_expected():
    counts = np.array([[1, 1, 1, 5], [9, 0, 1, 0]])  # dice 0.5 and 18/19
    summary = segmentation_summary(counts)
    assert summary["dice_mean"] == pytest.approx((0.5 + 18 / 19) / 2)
    assert summary["dice_global"] == pytest.approx(2 * 10 / (2 * 10 + 1 + 2))


def test_auc_with_ties_by_hand():
    # positives 0.8, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4)=1, (0.8>0.1)=1, (0.4=0.4)=0.5, (0.4>0.1)=1
    assert roc_auc(np.array([0.8, 0.4, 0.4, 0.1]), np.array([1, 1, 0, 0])) == pytest.approx(3.5 / 4)
    assert roc_auc(np.array([0.1, 0.9]), np.array([1, 0])) == 0.0
    assert math.isnan(roc_auc(np.array([0.3, 0.4]), np.array([1, 1])))


def test_threshold_sensitivity_specificity_and_confusion():
    result = classification_summary(np.array([0.9, 0.6, 0.2, 0.7, 0.1]), np.array([1, 1, 1, 0, 0]), 0.5)
    assert result["confusion"] == {"tp": 2, "fp": 1, "fn": 1, "tn": 1}
    assert result["sensitivity"] == pytest.approx(2 / 3)
    assert result["specificity"] == pytest.approx(1 / 2)


def test_patient_rules():
    groups = ["a"] * 4 + ["b"] * 2
    probs = np.array([0.9, 0.8, 0.1, 0.2, 0.6, 0.1])
    assert patient_decisions(groups, probs, PatientRule("count", 1)) == {"a": True, "b": False}
    assert patient_decisions(groups, probs, PatientRule("ratio", 0.4)) == {"a": True, "b": True}
    assert patient_decisions(groups, probs, PatientRule.parse("max:0.85")) == {"a": True, "b": False}
    with pytest.raises(ValueError):
        PatientRule.parse("majority")


def test_bootstrap_interval_brackets_the_mean_and_is_seeded():
    values = np.random.default_rng(1).normal(0.7, 0.1, 200)
    low, high = bootstrap_interval(lambda idx: float(values[idx].mean()), len(values), 500, seed=3)
    assert low < values.mean() < high
    assert high - low < 0.06
    assert (low, high) == bootstrap_interval(lambda idx: float(values[idx].mean()), len(values), 500, seed=3)


def test_roc_points_by_hand():
    # scores 0.8(+) 0.4(+) 0.4(-) 0.1(-): thresholds 0.8 -> (0, 1/2); 0.4 -> (1/2, 1); 0.1 -> (1, 1)
    points = roc_points(np.array([0.4, 0.1, 0.8, 0.4]), np.array([1, 0, 1, 0]))
    assert points == [{"fpr": 0.0, "tpr": 0.0, "threshold": None}, {"fpr": 0.0, "tpr": 0.5, "threshold": 0.8},
                      {"fpr": 0.5, "tpr": 1.0, "threshold": 0.4}, {"fpr": 1.0, "tpr": 1.0, "threshold": 0.1}]
    # the trapezoids under the vertices give the rank-sum AUC (ties as half)
    area = sum((b["fpr"] - a["fpr"]) * (a["tpr"] + b["tpr"]) / 2 for a, b in zip(points, points[1:]))
    assert area == pytest.approx(roc_auc(np.array([0.4, 0.1, 0.8, 0.4]), np.array([1, 0, 1, 0])))
    assert roc_points(np.array([0.3, 0.4]), np.array([1, 1])) == []


def test_roc_points_keep_ends_and_order_when_thinned():
    rng = np.random.default_rng(0)
    labels = rng.random(5000) < 0.4
    points = roc_points(rng.random(5000) + labels * 0.3, labels, max_points=50)
    assert len(points) == 50
    assert (points[0]["fpr"], points[0]["tpr"]) == (0.0, 0.0) and (points[-1]["fpr"], points[-1]["tpr"]) == (1.0, 1.0)
    assert all(a["fpr"] <= b["fpr"] and a["tpr"] <= b["tpr"] for a, b in zip(points, points[1:]))
