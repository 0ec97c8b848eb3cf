"""Reading slices and masks from disk into 8-bit arrays, with checksums."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from lesionlab_trainer.events import InputFileError

# 16-bit PNGs hold HU + 32768; shown through the lung window (W1500 / L-600)
HU_OFFSET = 32768
LUNG_WINDOW = (-600.0, 1500.0)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError as exc:
        raise InputFileError(str(path), "file not found") from exc
    return digest.hexdigest()


def _open(path: Path) -> Image.Image:
    try:
        image = Image.open(path)
        image.load()
        return image
    except FileNotFoundError as exc:
        raise InputFileError(str(path), "file not found") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise InputFileError(str(path), f"cannot decode image ({exc})") from exc


def hu_to_uint8(hu: np.ndarray) -> np.ndarray:
    level, window = LUNG_WINDOW
    low = level - window / 2
    scaled = (hu.astype(np.float32) - low) / window
    return (np.clip(scaled, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def load_grey(path: Path, size: int | None = None) -> np.ndarray:
    """Returns an (H, W) uint8 grey image, optionally resized to size x size."""
    image = _open(path)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = hu_to_uint8(np.asarray(image, dtype=np.int64) - HU_OFFSET)
        image = Image.fromarray(array)
    elif image.mode != "L":
        image = image.convert("L")
    if size is not None and image.size != (size, size):
        image = image.resize((size, size), Image.BILINEAR)
    return np.asarray(image, dtype=np.uint8)


def load_mask(path: Path, size: int | None = None) -> np.ndarray:
    """Returns an (H, W) uint8 {0,1} mask; any non-zero value (or palette index) is lesion."""
    image = _open(path)
    if image.mode in ("RGB", "RGBA", "LA"):
        image = image.convert("L")
    array = (np.asarray(image) != 0).astype(np.uint8)
    if size is not None and array.shape != (size, size):
        array = np.asarray(Image.fromarray(array * 255).resize((size, size), Image.NEAREST)) // 255
    return array.astype(np.uint8)
