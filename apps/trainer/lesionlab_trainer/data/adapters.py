"""Builds a release manifest from the public test datasets in ../shared/data (stand-in for the platform's
release builder). Splits are patient-safe, stratified by label and seeded."""

from __future__ import annotations

import csv
import hashlib
import os
from collections import defaultdict
from pathlib import Path

import numpy as np
from PIL import Image

from lesionlab_trainer.data.imageio import sha256_file
from lesionlab_trainer.data.manifest import write_manifest
from lesionlab_trainer.events import InputFileError

SOURCES = ("medseg-ct100", "covid-ct", "infnet-pseudo")
FILES_LINK = "files"
PSEUDO_MASKS = "pseudo-masks"
PSEUDO_THRESHOLD = 128  # soft pseudo masks (0-255) are lesion from probability 0.5 up


def assign_splits(groups: dict[str, str], seed: int, val_fraction: float, test_fraction: float) -> dict[str, str]:
    """groups: patient group -> label. Returns group -> split; each label's groups are ordered by a seeded
    hash and cut into test / val / train so that every patient lands in exactly one split."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for group, label in groups.items():
        by_label[label].append(group)
    splits = {}
    for label in sorted(by_label):
        ordered = sorted(by_label[label], key=lambda g: hashlib.sha256(f"{seed}:{g}".encode()).hexdigest())
        n_test = round(len(ordered) * test_fraction)
        n_val = round(len(ordered) * val_fraction)
        for index, group in enumerate(ordered):
            splits[group] = "test" if index < n_test else "val" if index < n_test + n_val else "train"
    return splits


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise InputFileError(str(path), "dataset manifest.csv not found")
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def _size(path: Path) -> tuple[int, int]:
    try:
        with Image.open(path) as image:
            return image.size
    except FileNotFoundError as exc:
        raise InputFileError(str(path), "file not found") from exc
    except OSError as exc:
        raise InputFileError(str(path), f"cannot decode image ({exc})") from exc


def _item(data: Path, image: str, mask: str | None, **fields) -> dict:
    width, height = _size(data / image)
    return {
        "image": f"{FILES_LINK}/{image}",
        "image_sha256": sha256_file(data / image),
        "mask": f"{FILES_LINK}/{mask}" if mask else None,
        "mask_sha256": sha256_file(data / mask) if mask else None,
        "width": width,
        "height": height,
        **fields,
    }


def medseg_items(data: Path) -> list[dict]:
    """50 pixel-labelled slices of COVID-19 patients; patient ids are unknown."""
    items = []
    for row in _read_csv(data / "manifest.csv"):
        stem = Path(row["image"]).stem
        items.append(_item(data, row["image"], row["mask"], slice_id=f"medseg-ct100/{stem}", patient_id=None,
                           supervision="pixel", label="covid", mask_revision_id=None,
                           slice_index=int(row["slice_index"]), source="medseg-ct100"))
    return items


def covid_ct_items(data: Path) -> list[dict]:
    """Slice images with patient ids: COVID patients give patient-level positives, the others negatives."""
    items = []
    for row in _read_csv(data / "manifest.csv"):
        positive = row["label"] == "covid"
        items.append(_item(data, row["image"], None, slice_id=f"covid-ct/{row['image']}",
                           patient_id=f"covid-ct/{row['patient_id']}",
                           supervision="patient" if positive else "negative",
                           label="covid" if positive else "negative", mask_revision_id=None,
                           slice_index=None, source="covid-ct"))
    return items


def infnet_pseudo_items(data: Path, out: Path) -> list[dict]:
    """1,600 COVID-19 slices with soft pseudo masks, binarised at 0.5 into <out>/pseudo-masks (the manifest's
    masks are binary). Slices are grouped into patients by their volume prefix (`<volume>_<slice>`)."""
    images = sorted((data / "images").glob("*.jpg"))
    if not images:
        raise InputFileError(str(data / "images"), "no .jpg slices found")
    (out / PSEUDO_MASKS).mkdir(parents=True, exist_ok=True)
    items = []
    for image in images:
        soft = data / "soft-masks" / f"{image.stem}.png"
        try:
            with Image.open(soft) as mask:
                binary = (np.asarray(mask.convert("L")) >= PSEUDO_THRESHOLD).astype(np.uint8) * 255
        except OSError as exc:
            raise InputFileError(str(soft), f"cannot read the soft mask ({exc})") from exc
        mask_path = out / PSEUDO_MASKS / soft.name
        Image.fromarray(binary).save(mask_path)
        volume, index = image.stem.rsplit("_", 1)
        item = _item(data, f"images/{image.name}", None, slice_id=f"infnet-pseudo/{image.stem}",
                     patient_id=f"infnet-pseudo/{volume}", supervision="pixel", label="covid",
                     mask_revision_id=None, slice_index=int(index) if index.isdigit() else None,
                     source="infnet-pseudo")
        item["mask"] = f"{PSEUDO_MASKS}/{soft.name}"
        item["mask_sha256"] = sha256_file(mask_path)
        items.append(item)
    return items


def build_manifest(source: str, data: Path, out: Path, seed: int = 0, val_fraction: float = 0.15,
                   test_fraction: float = 0.15) -> Path:
    """Writes <out>/manifest.jsonl and a link <out>/files -> <data>; returns the manifest path."""
    data = Path(data).resolve()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if source == "medseg-ct100":
        items = medseg_items(data)
    elif source == "covid-ct":
        items = covid_ct_items(data)
    elif source == "infnet-pseudo":
        items = infnet_pseudo_items(data, out)
    else:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    groups = {(i["patient_id"] or f"slice:{i['slice_id']}"): i["label"] for i in items}
    splits = assign_splits(groups, seed, val_fraction, test_fraction)
    for item in items:
        item["split"] = splits[item["patient_id"] or f"slice:{item['slice_id']}"]
    link = out / FILES_LINK
    if link.is_symlink() or link.exists():
        if not link.is_symlink() or Path(os.readlink(link)) != data:
            raise FileExistsError(f"{link} exists and does not point to {data}")
    else:
        link.symlink_to(data, target_is_directory=True)
    manifest = out / "manifest.jsonl"
    write_manifest(manifest, items)
    return manifest
