"""The manifest adapter, the schema, patient-safe splits and input-file errors."""

import json
import subprocess
import sys
from collections import defaultdict

import numpy as np
import pytest
from PIL import Image

from lesionlab_trainer.contracts import MANIFEST_SCHEMA, validator
from lesionlab_trainer.data.adapters import assign_splits, build_manifest
from lesionlab_trainer.data.cache import DECODE_CHUNK, load_split
from lesionlab_trainer.data.imageio import load_grey, load_mask
from lesionlab_trainer.data.manifest import read_manifest
from lesionlab_trainer.events import InputFileError


def lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_medseg_manifest_is_valid_and_complete(medseg_manifest):
    items = lines(medseg_manifest)
    assert len(items) == 50
    for item in items:
        validator(MANIFEST_SCHEMA).validate(item)
        assert item["supervision"] == "pixel" and item["mask"] and (item["width"], item["height"]) == (512, 512)
    splits = {s: sum(i["split"] == s for i in items) for s in ("train", "val", "test")}
    assert splits["train"] > 30 and splits["val"] > 0 and splits["test"] > 0


def test_covid_ct_split_is_patient_safe_and_seeded(tmp_path, covid_ct_dir):
    path = build_manifest("covid-ct", covid_ct_dir, tmp_path / "a", seed=7)
    items = lines(path)
    assert len(items) == 600
    by_patient = defaultdict(set)
    for item in items:
        by_patient[item["patient_id"]].add(item["split"])
    assert all(len(splits) == 1 for splits in by_patient.values())
    kinds = {(i["supervision"], i["label"]) for i in items}
    assert kinds == {("patient", "covid"), ("negative", "negative")}
    again = lines(build_manifest("covid-ct", covid_ct_dir, tmp_path / "b", seed=7))
    assert [i["split"] for i in again] == [i["split"] for i in items]
    other = lines(build_manifest("covid-ct", covid_ct_dir, tmp_path / "c", seed=8))
    assert [i["split"] for i in other] != [i["split"] for i in items]


def test_split_assignment_is_stratified():
    groups = {f"p{i}": ("covid" if i < 60 else "negative") for i in range(100)}
    splits = assign_splits(groups, seed=0, val_fraction=0.1, test_fraction=0.2)
    for label, n in (("covid", 60), ("negative", 40)):
        test = sum(1 for g, s in splits.items() if s == "test" and groups[g] == label)
        assert test == round(n * 0.2)


def test_schema_rejects_pixel_item_without_mask(medseg_manifest):
    item = lines(medseg_manifest)[0]
    item.update(mask=None, mask_sha256=None)
    assert list(validator(MANIFEST_SCHEMA).iter_errors(item))


def test_masked_slices_of_unlabelled_and_negative_patients_teach_segmentation_only(medseg_manifest, tmp_path):
    """The release builder's rule: an empty mask of an unlabelled patient is `pixel` with label `unknown`
    (and of a negative patient `pixel`/`negative`); the trainer reads both, and an unknown label adds no
    classification loss while the mask still adds segmentation loss."""
    import torch

    from lesionlab_trainer.data.cache import LABEL_CODES, SUPERVISION_CODES
    from lesionlab_trainer.training.losses import LossWeights, mixed_loss

    items = lines(medseg_manifest)[:2]
    items[0]["label"], items[1]["label"] = "unknown", "negative"
    (tmp_path / "files").symlink_to((medseg_manifest.parent / "files").resolve())
    (tmp_path / "manifest.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items))
    records = read_manifest(tmp_path / "manifest.jsonl").records
    assert [(r.supervision, r.label) for r in records] == [("pixel", "unknown"), ("pixel", "negative")]
    patient_unknown = {**items[0], "supervision": "patient", "mask": None, "mask_sha256": None}
    assert [e.message for e in validator(MANIFEST_SCHEMA).iter_errors(patient_unknown)]

    outputs = {"seg": [torch.full((1, 1, 8, 8), 2.0)], "cls": torch.tensor([[0.0, 3.0]])}
    masks = torch.zeros((1, 1, 8, 8))
    pixel = torch.tensor([SUPERVISION_CODES["pixel"]])
    _, parts = mixed_loss(outputs, masks, pixel, torch.tensor([LABEL_CODES["unknown"]]), LossWeights())
    assert parts["loss_cls"].item() == 0 and parts["loss_seg"].item() > 0
    _, parts = mixed_loss(outputs, masks, pixel, torch.tensor([LABEL_CODES["negative"]]), LossWeights())
    assert parts["loss_cls"].item() > 0


def test_cache_decodes_images_and_binary_masks(medseg_manifest, tmp_path):
    manifest = read_manifest(medseg_manifest)
    records = manifest.split("train")[:3]
    arrays = load_split(records, manifest.root, 64, tmp_path / "cache")
    assert arrays.images.shape == (3, 64, 64) and arrays.images.dtype == np.uint8
    assert set(np.unique(arrays.masks)) <= {0, 1} and arrays.masks.sum() > 0
    again = load_split(records, manifest.root, 64, tmp_path / "cache")  # served from the cache
    assert np.array_equal(again.images, arrays.images)


def test_cache_decoded_by_several_threads_holds_each_slice_in_its_place(medseg_manifest, tmp_path):
    manifest = read_manifest(medseg_manifest)
    records = list(manifest.records)
    assert len(records) > DECODE_CHUNK  # more than one thread's share
    arrays = load_split(records, manifest.root, 48, tmp_path / "cache")
    for index, record in enumerate(records):
        assert np.array_equal(arrays.images[index], load_grey(manifest.root / record.image, 48))
        assert np.array_equal(arrays.masks[index], load_mask(manifest.root / record.mask, 48))


def test_a_bad_file_in_a_later_share_leaves_no_cache_behind(medseg_manifest, tmp_path):
    from dataclasses import replace

    manifest = read_manifest(medseg_manifest)
    records = list(manifest.records)
    records[-1] = replace(records[-1], mask_sha256="f" * 64)
    with pytest.raises(InputFileError, match="sha256 mismatch") as error:
        load_split(records, manifest.root, 32, tmp_path / "cache")
    assert error.value.path.endswith(records[-1].mask)
    assert list((tmp_path / "cache").iterdir()) == []


def _train_cli(manifest, out):
    return subprocess.run([sys.executable, "-m", "lesionlab_trainer", "train", "--manifest", str(manifest),
                           "--out", str(out), "--model", "jcs-lite", "--steps", "1", "--batch-size", "2",
                           "--image-size", "64", "--device", "cpu"], capture_output=True, text=True)


def test_missing_file_gives_error_event_naming_it(medseg_manifest, tmp_path):
    items = lines(medseg_manifest)
    next(i for i in items if i["split"] == "train")["image"] = "files/images/does-not-exist.png"
    broken = tmp_path / "manifest.jsonl"
    (tmp_path / "files").symlink_to((medseg_manifest.parent / "files").resolve())
    broken.write_text("".join(json.dumps(i) + "\n" for i in items))
    result = _train_cli(broken, tmp_path / "run")
    assert result.returncode == 1
    event = json.loads(result.stdout.splitlines()[-1])
    assert event["type"] == "error" and event["file"].endswith("does-not-exist.png")
    validator("trainer-events.schema.json").validate(event)


def test_corrupt_file_gives_error_event_naming_it(medseg_manifest, tmp_path):
    import hashlib

    items = lines(medseg_manifest)
    train = next(i for i in items if i["split"] == "train")
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\nnot really a png")
    train["image"] = "corrupt.png"
    train["image_sha256"] = hashlib.sha256(corrupt.read_bytes()).hexdigest()
    (tmp_path / "files").symlink_to((medseg_manifest.parent / "files").resolve())
    (tmp_path / "manifest.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items))
    result = _train_cli(tmp_path / "manifest.jsonl", tmp_path / "run")
    event = json.loads(result.stdout.splitlines()[-1])
    assert result.returncode == 1 and event["type"] == "error" and event["file"].endswith("corrupt.png")


def test_checksum_mismatch_is_reported(medseg_manifest, tmp_path):
    manifest = read_manifest(medseg_manifest)
    record = manifest.split("train")[0]
    from dataclasses import replace

    wrong = replace(record, image_sha256="0" * 64)
    with pytest.raises(InputFileError, match="sha256 mismatch"):
        load_split([wrong], manifest.root, 32, tmp_path / "cache")


def test_infnet_pseudo_masks_are_binarised_at_half_and_grouped_by_volume(tmp_path):
    data = tmp_path / "pseudo"
    (data / "images").mkdir(parents=True)
    (data / "soft-masks").mkdir()
    soft = np.array([[0, 60, 127], [128, 200, 255]], dtype=np.uint8)
    for stem in ("Data-1_case_org_001_7", "Data-1_case_org_001_8", "Data-2_other_org_002_3"):
        Image.fromarray(np.full((2, 3), 90, dtype=np.uint8)).save(data / "images" / f"{stem}.jpg")
        Image.fromarray(soft).save(data / "soft-masks" / f"{stem}.png")
    out = tmp_path / "manifest"
    items = lines(build_manifest("infnet-pseudo", data, out, val_fraction=0, test_fraction=0))
    assert [i["patient_id"] for i in items] == ["infnet-pseudo/Data-1_case_org_001"] * 2 + [
        "infnet-pseudo/Data-2_other_org_002"]
    assert [i["slice_index"] for i in items] == [7, 8, 3]
    for item in items:
        validator(MANIFEST_SCHEMA).validate(item)
        assert item["supervision"] == "pixel" and item["split"] == "train"
        mask = np.asarray(Image.open(out / item["mask"]))
        assert (mask > 0).tolist() == [[False, False, False], [True, True, True]]
