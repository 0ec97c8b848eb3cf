"""Decode a manifest split once into uint8 memory-mapped arrays (images and masks at a fixed size).

The cache folder is keyed by the content hashes of the files and the size, written to a temporary
folder and renamed into place, so a crashed build never leaves a half-written cache behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lesionlab_trainer.data.imageio import load_grey, load_mask, sha256_file
from lesionlab_trainer.data.manifest import SliceRecord
from lesionlab_trainer.events import InputFileError

CACHE_VERSION = 1
SUPERVISION_CODES = {"pixel": 0, "patient": 1, "negative": 2, "none": 3}
# `unknown` (-1) adds no classification loss. The release builder writes it for a patient nobody labelled
# whose masks are all empty (an empty mask is no evidence of health); such `pixel` slices teach segmentation only.
LABEL_CODES = {"negative": 0, "covid": 1, "unknown": -1}


@dataclass
class SliceArrays:
    images: np.ndarray  # (N, S, S) uint8, memory-mapped
    masks: np.ndarray  # (N, S, S) uint8 {0,1}, memory-mapped
    supervision: np.ndarray  # (N,) int64 codes of SUPERVISION_CODES
    labels: np.ndarray  # (N,) int64 codes of LABEL_CODES
    records: list[SliceRecord]

    def __len__(self) -> int:
        return len(self.records)


DECODE_CHUNK = 32


def decode_threads() -> int:
    """One decoding thread per core this process may use, at most 16."""
    return max(1, min(16, len(os.sched_getaffinity(0))))


def cache_key(records: list[SliceRecord], size: int) -> str:
    content = [(r.slice_id, r.image_sha256, r.mask_sha256) for r in records]
    blob = json.dumps({"v": CACHE_VERSION, "size": size, "items": content}).encode()
    return hashlib.sha256(blob).hexdigest()[:24]


def _checked(root: Path, relative: str, expected: str) -> Path:
    path = root / relative
    if not path.is_file():
        raise InputFileError(str(path), "file not found")
    actual = sha256_file(path)
    if actual != expected:
        raise InputFileError(str(path), f"sha256 mismatch (manifest {expected[:12]}..., file {actual[:12]}...)")
    return path


def _decode_into(images: np.ndarray, masks: np.ndarray, records: list[SliceRecord], root: Path, size: int,
                 indices: range) -> None:
    for index in indices:
        record = records[index]
        images[index] = load_grey(_checked(root, record.image, record.image_sha256), size)
        if record.mask is not None:
            masks[index] = load_mask(_checked(root, record.mask, record.mask_sha256), size)
        else:
            masks[index] = 0


def _build(records: list[SliceRecord], root: Path, size: int, target: Path) -> None:
    staging = target.parent / f".{target.name}.{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    try:
        shape = (len(records), size, size)
        images = np.lib.format.open_memmap(staging / "images.npy", mode="w+", dtype=np.uint8, shape=shape)
        masks = np.lib.format.open_memmap(staging / "masks.npy", mode="w+", dtype=np.uint8, shape=shape)
        # hashing, decoding and resizing mostly run outside the GIL: threads scale with the cores
        starts = range(0, len(records), DECODE_CHUNK)
        with ThreadPoolExecutor(max_workers=decode_threads()) as pool:
            decoded = [pool.submit(_decode_into, images, masks, records, root, size,
                                   range(start, min(start + DECODE_CHUNK, len(records)))) for start in starts]
            try:
                for chunk in decoded:
                    chunk.result()
            finally:
                for chunk in decoded:
                    chunk.cancel()
        images.flush()
        masks.flush()
        del images, masks
        (staging / "meta.json").write_text(json.dumps({"count": len(records), "size": size}))
        try:
            os.rename(staging, target)
        except OSError:  # another process finished the same cache first
            if not (target / "meta.json").is_file():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def load_split(records: list[SliceRecord], root: Path, size: int, cache_dir: Path) -> SliceArrays:
    """Returns the decoded arrays of `records`, building the cache on first use."""
    target = Path(cache_dir) / cache_key(records, size)
    if not (target / "meta.json").is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        _build(records, Path(root), size, target)
    return SliceArrays(
        images=np.load(target / "images.npy", mmap_mode="r"),
        masks=np.load(target / "masks.npy", mmap_mode="r"),
        supervision=np.array([SUPERVISION_CODES[r.supervision] for r in records], dtype=np.int64),
        labels=np.array([LABEL_CODES[r.label] for r in records], dtype=np.int64),
        records=list(records),
    )
