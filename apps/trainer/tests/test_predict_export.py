"""COCO RLE, predict outputs, Grad-CAM and ONNX parity on a small trained-from-init model."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from lesionlab_trainer.cli import main
from lesionlab_trainer.contracts import PREDICTION_SCHEMA, REPORT_SCHEMA, validator
from lesionlab_trainer.models.registry import build_model, resolve_spec
from lesionlab_trainer.prediction.gradcam import grad_cam
from lesionlab_trainer.prediction.predict import entropy_bits
from lesionlab_trainer.prediction.rle import decode, encode, mask_to_counts


def test_rle_hand_computed_cases():
    # column-major [0,1,1,1] -> runs [1,3] -> '1' and '3' (small counts are chr(48 + n))
    assert encode(np.array([[0, 1], [1, 1]], dtype=bool)) == {"size": [2, 2], "counts": "13"}
    # a mask starting with lesion begins with a zero-length background run
    assert mask_to_counts(np.array([[1, 0], [1, 0]])) == [0, 2, 2]


def test_rle_round_trips_random_masks():
    rng = np.random.default_rng(0)
    for shape in ((7, 5), (64, 48), (512, 512)):
        mask = rng.random(shape) < 0.3
        assert np.array_equal(decode(encode(mask)), mask)
    blob = np.zeros((100, 100), dtype=bool)
    blob[20:70, 30:90] = True  # long runs exercise multi-group and negative-delta encodings
    assert np.array_equal(decode(encode(blob)), blob)


@pytest.fixture(scope="module")
def lite_checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    model = build_model(resolve_spec("jcs-lite"))
    path = tmp_path_factory.mktemp("model") / "model.pt"
    torch.save({"model": model.state_dict(), "spec": resolve_spec("jcs-lite").to_dict(), "image_size": 64}, path)
    return path


def test_uncertainty_is_the_mean_binary_entropy_in_bits():
    seg = torch.tensor([[[0.5, 0.5], [0.5, 0.5]], [[0.0, 1.0], [0.25, 0.75]]])
    quarter = -(0.25 * np.log2(0.25) + 0.75 * np.log2(0.75))  # 0.811 bits
    assert entropy_bits(seg).tolist() == pytest.approx([1.0, quarter / 2], abs=1e-5)


def test_gradcam_maps_are_normalised_and_sized():
    model = build_model(resolve_spec("jcs-lite"))
    cams = grad_cam(model, torch.rand(2, 1, 64, 64))
    assert cams.shape == (2, 64, 64)
    assert float(cams.min()) >= 0.0 and float(cams.max()) <= 1.0 + 1e-6


def test_predict_writes_rle_probabilities_uncertainty_and_gradcam(lite_checkpoint, medseg_manifest, tmp_path,
                                                                  capsys):
    code = main(["predict", "--checkpoint", str(lite_checkpoint), "--manifest", str(medseg_manifest), "--out",
                 str(tmp_path), "--device", "cpu", "--precision", "fp32", "--gradcam", "--split", "val"])
    assert code == 0
    rows = [json.loads(line) for line in (tmp_path / "predictions.jsonl").read_text().splitlines()]
    assert rows and all(0.0 <= r["covid_probability"] <= 1.0 for r in rows)
    for row in rows:
        validator(PREDICTION_SCHEMA).validate(row)  # what the worker's predict job checks each line against
        mask = decode(row["mask_rle"])
        assert mask.shape == (512, 512)  # back at the slice's own size
        assert row["lesion_fraction"] == pytest.approx(mask.mean())
        assert 0.0 <= row["uncertainty"] <= 1.0
        assert Path(row["gradcam"]).is_file()
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert events[-1]["type"] == "done"


def test_evaluate_writes_report_csv_and_overlays(lite_checkpoint, medseg_manifest, tmp_path, capsys):
    code = main(["evaluate", "--checkpoint", str(lite_checkpoint), "--manifest", str(medseg_manifest), "--out",
                 str(tmp_path), "--device", "cpu", "--precision", "fp32", "--bootstrap", "50", "--worst", "2"])
    assert code == 0
    report = json.loads((tmp_path / "report.json").read_text())
    validator(REPORT_SCHEMA).validate(report)  # what the worker's evaluate job checks it against
    seg = report["segmentation_lesion_slices"]
    assert 0.0 <= seg["dice_mean"] <= 1.0 and len(seg["dice_mean_ci95"]) == 2
    assert report["classification"]["patient"]["rule"]["kind"] == "ratio"
    assert len((tmp_path / "slices.csv").read_text().splitlines()) == 1 + report["segmentation"]["slices"]
    labels = {row["label"] for row in csv.DictReader((tmp_path / "slices.csv").open())}
    assert labels == {"covid"} and report["classification"]["roc"] == []  # medseg is COVID only: no ROC curve
    worst = report["worst_slices"]
    assert len(worst) == 2 and worst[0]["dice"] <= worst[1]["dice"]
    dice = {row["slice_id"]: row["dice"] for row in csv.DictReader((tmp_path / "slices.csv").open())}
    for entry in worst:
        assert float(dice[entry["slice_id"]]) == pytest.approx(entry["dice"], abs=1e-6)
        assert set(entry["images"]) == {"truth", "prediction", "gradcam"}
        drawings = [np.asarray(Image.open(tmp_path / name)) for name in entry["images"].values()]
        assert all(d.shape == (64, 64, 3) for d in drawings)  # at the model's image size
        assert not np.array_equal(drawings[2], drawings[0])  # the heat map tints every pixel
    assert len(list((tmp_path / "worst").glob("*.png"))) == 6


def test_evaluation_gradcam_is_the_evaluated_models_own(lite_checkpoint, medseg_manifest, tmp_path, capsys):
    """Two checkpoints of one architecture draw different Grad-CAMs of the same worst slice."""
    torch.manual_seed(1)
    other = tmp_path / "other.pt"
    torch.save({"model": build_model(resolve_spec("jcs-lite")).state_dict(), "spec": resolve_spec("jcs-lite").to_dict(),
                "image_size": 64}, other)
    cams = []
    for name, checkpoint in (("a", lite_checkpoint), ("b", other)):
        assert main(["evaluate", "--checkpoint", str(checkpoint), "--manifest", str(medseg_manifest), "--out",
                     str(tmp_path / name), "--device", "cpu", "--precision", "fp32", "--bootstrap", "10",
                     "--worst", "1000"]) == 0  # every pixel slice, in each model's own order
        report = json.loads((tmp_path / name / "report.json").read_text())
        cams.append({e["slice_id"]: np.asarray(Image.open(tmp_path / name / e["images"]["gradcam"]))
                     for e in report["worst_slices"]})
    assert cams[0].keys() == cams[1].keys() and cams[0]
    assert all(not np.array_equal(cams[0][slice_id], cams[1][slice_id]) for slice_id in cams[0])


def test_onnx_export_matches_pytorch(lite_checkpoint, tmp_path, capsys):
    code = main(["export", "--checkpoint", str(lite_checkpoint), "--out", str(tmp_path / "m.onnx"),
                 "--tolerance", "1e-4"])
    assert code == 0
    done = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert done["summary"]["max_abs_error"] < 1e-4
    assert done["summary"]["outputs"] == ["lesion_prob", "covid_prob"]
