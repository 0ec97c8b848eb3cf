"""medsam-lite's packed slices: the release's masked slices at their own size (or one common side), their boxes."""

import json

import numpy as np
import pytest
from PIL import Image

from conftest import subset_manifest
from lesionlab_trainer.data.imageio import load_grey, load_mask
from lesionlab_trainer.events import InputFileError
from lesionlab_trainer.medsam import boxscore
from lesionlab_trainer.medsam.slices import MAX_SIDE, SliceSet, pack


def test_a_512_release_is_packed_as_stored_with_the_bench_boxes(tmp_path, medseg_manifest):
    manifest = subset_manifest(medseg_manifest, tmp_path / "release", 3)
    items = [json.loads(line) for line in manifest.read_text().splitlines()]
    arrays = pack(manifest, None)
    assert arrays["images"].shape == arrays["masks"].shape == (3, 512, 512)
    assert arrays["images"].dtype == arrays["masks"].dtype == np.uint8
    assert arrays["names"].tolist() == [item["slice_id"] for item in items]
    assert arrays["splits"].tolist() == ["train"] * 3
    for i, item in enumerate(items):
        assert np.array_equal(arrays["images"][i], load_grey(manifest.parent / item["image"]))
        mask = load_mask(manifest.parent / item["mask"])
        assert np.array_equal(arrays["masks"][i], mask)
        a, b = arrays["offsets"][i], arrays["offsets"][i + 1]
        assert [tuple(box) for box in arrays["boxes"][a:b].tolist()] == boxscore.component_boxes(mask)


def _release(tmp_path, medseg_manifest, sizes, mask_sizes=None, splits=None):
    """A release of synthetic slices of the given (width, height), each with one 40x40 lesion at (10, 10)."""
    template = json.loads(medseg_manifest.read_text().splitlines()[0])
    (tmp_path / "files").mkdir()
    lines = []
    for i, (width, height) in enumerate(sizes):
        mask_width, mask_height = (mask_sizes or sizes)[i]
        mask = np.zeros((mask_height, mask_width), dtype=np.uint8)
        mask[10:50, 10:50] = 1
        Image.fromarray(np.full((height, width), 100, dtype=np.uint8)).save(tmp_path / "files" / f"im{i}.png")
        Image.fromarray(mask).save(tmp_path / "files" / f"mask{i}.png")
        item = dict(
            template,
            slice_id=f"s{i}",
            image=f"files/im{i}.png",
            mask=f"files/mask{i}.png",
            width=width,
            height=height,
            split=(splits or ["train"] * len(sizes))[i],
        )
        lines.append(json.dumps(item) + "\n")
    (tmp_path / "manifest.jsonl").write_text("".join(lines))
    return tmp_path / "manifest.jsonl"


def test_slices_of_several_sizes_are_resized_to_the_largest_side(tmp_path, medseg_manifest):
    arrays = pack(_release(tmp_path, medseg_manifest, [(200, 300), (300, 300)]), None)
    assert arrays["images"].shape == (2, 300, 300)
    # the 200-px-wide slice is stretched 1.5x across: its lesion spans 60 columns, still 40 rows
    assert arrays["masks"][0].sum(axis=1).max() == 60 and arrays["masks"][0].sum(axis=0).max() == 40
    assert arrays["boxes"].tolist() == [[15, 10, 74, 49], [10, 10, 49, 49]]


def test_slices_larger_than_the_cap_are_packed_at_the_cap(tmp_path, medseg_manifest):
    arrays = pack(_release(tmp_path, medseg_manifest, [(1024, 1024)]), None)
    assert arrays["images"].shape == (1, MAX_SIDE, MAX_SIDE)
    assert arrays["boxes"].tolist() == [[5, 5, 24, 24]]


def test_only_the_asked_splits_are_packed(tmp_path, medseg_manifest):
    manifest = _release(tmp_path, medseg_manifest, [(64, 64)] * 3, splits=["train", "test", "val"])
    assert pack(manifest, None, ("train", "val"))["names"].tolist() == ["s0", "s2"]


def test_a_mask_of_another_size_than_its_slice_is_refused_naming_the_mask(tmp_path, medseg_manifest):
    manifest = _release(tmp_path, medseg_manifest, [(64, 64)], mask_sizes=[(64, 80)])
    with pytest.raises(InputFileError, match="mask is 64x80 px but its slice 64x64") as error:
        pack(manifest, None)
    assert error.value.path.endswith("mask0.png")


def test_slices_without_a_box_are_left_out_by_with_boxes():
    masks = np.zeros((2, 8, 8), dtype=np.uint8)
    data = SliceSet(masks, masks, np.array([[1, 1, 3, 3]]), np.array([0, 0, 1]))
    kept = data.with_boxes()
    assert len(kept) == 1 and kept.boxes[0].tolist() == [[1.0, 1.0, 3.0, 3.0]]
