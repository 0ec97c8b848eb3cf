"""medsam-lite cross-validation: the bench's box protocol in Python, folds and the sampled training prompts."""

import json

import numpy as np
import pytest
import torch

from lesionlab_trainer.medsam import boxscore
from lesionlab_trainer.medsam.crossval import folds_of, main
from lesionlab_trainer.medsam.finetune import sample_batch
from lesionlab_trainer.medsam.slices import SliceSet


def _mask() -> np.ndarray:
    mask = np.zeros((64, 64), dtype=np.uint8)
    mask[10:20, 30:40] = 1  # 100 px
    mask[40:45, 5:15] = 1  # 50 px: exactly the bench's minimum
    mask[40:41, 50:60] = 1  # 10 px: too small for a box
    mask[20:22, 40:42] = 1  # touches the first one diagonally: the same 8-connected component
    return mask


def test_component_boxes_follow_the_bench_first_and_last_pixel_largest_first():
    assert boxscore.component_boxes(_mask()) == [(30, 10, 41, 21), (5, 40, 14, 44)]


def _components_by_max_propagation(mask: np.ndarray) -> np.ndarray:
    """The definition: every pixel takes the largest 1 + row-major index in its 3x3 neighbourhood until stable."""
    foreground = torch.from_numpy(mask > 0)
    labels = (torch.arange(1, mask.size + 1, dtype=torch.float64).reshape(mask.shape) * foreground)[None, None]
    while True:
        grown = torch.nn.functional.max_pool2d(labels, 3, 1, 1) * foreground
        if torch.equal(grown, labels):
            return labels[0, 0].long().numpy()
        labels = grown


def test_component_labels_match_their_definition_on_random_masks():
    rng = np.random.default_rng(0)
    for _ in range(100):
        mask = (rng.random(rng.integers(1, 30, size=2)) < rng.random()).astype(np.uint8)
        assert np.array_equal(boxscore.components(mask), _components_by_max_propagation(mask))


def test_boxes_map_to_the_network_frame_like_the_api():
    assert boxscore.to_frame((100, 40, 139, 59), 512, 512, 256) == [50.0, 20.0, 69.5, 29.5]


def test_upsampled_logits_keep_their_sign_pattern_on_an_exact_factor():
    logits = torch.full((4, 4), -1.0)
    logits[1:3, 1:3] = 1.0
    up = boxscore.upsample(logits, 8, 8)
    assert up.shape == (8, 8)
    assert torch.equal(up > 0, torch.nn.functional.interpolate((logits > 0)[None, None].float(), size=8)[0, 0] > 0)


def test_dice_of_empty_masks_is_one_and_of_disjoint_masks_zero():
    empty = np.zeros((4, 4), dtype=bool)
    assert boxscore.dice(empty, empty) == 1.0
    a, b = empty.copy(), empty.copy()
    a[0, 0], b[1, 1] = True, True
    assert boxscore.dice(a, b) == 0.0


def test_folds_cover_every_slice_once():
    folds = folds_of(50, 5)
    assert sorted(np.concatenate(folds).tolist()) == list(range(50))
    assert [len(f) for f in folds] == [10] * 5


def test_sampled_prompts_target_the_lesion_inside_their_box_mirrored_with_the_image():
    mask = _mask()
    boxes = boxscore.component_boxes(mask)
    data = SliceSet(np.stack([mask * 200]), np.stack([mask]), np.array(boxes), np.array([0, len(boxes)]))
    seen_mirrored = seen_plain = False
    for seed in range(12):
        batch = sample_batch(data, np.array([0]), torch.Generator().manual_seed(seed))
        images, owner, targets, frame_boxes = batch.images, batch.owner, batch.targets(), batch.frames()
        assert owner.tolist() == [0]
        image, target, box = images[0], targets[0, 0], frame_boxes[0] * (64 / 256)
        mirrored = bool(image[42, 64 - 1 - 5] == 200)  # the 50 px lesion's left column, mirrored
        seen_mirrored |= mirrored
        seen_plain |= not mirrored
        x0, y0, x1, y1 = box.round().long().tolist()
        # the target is the lesion of the (mirrored) slice, inside the box only
        lesion = (image == 200).float()
        inside = torch.zeros_like(lesion)
        inside[y0 : y1 + 1, x0 : x1 + 1] = 1
        assert torch.equal(target, lesion * inside)
        assert target.sum() >= 24  # jitter of at most 1 px a side (1% of 64) keeps the component's inner part
    assert seen_mirrored and seen_plain


def test_loosened_boxes_reach_out_past_the_jitter_and_never_further_than_asked():
    mask = _mask()
    boxes = boxscore.component_boxes(mask)
    data = SliceSet(np.stack([mask * 200]), np.stack([mask]), np.array(boxes), np.array([0, len(boxes)]))
    # a side moves out by at most 1 px of jitter plus 6 of slack (10% of 64), in by at most 1 px
    outward = []
    for seed in range(40):
        batch = sample_batch(data, np.array([0]), torch.Generator().manual_seed(seed), 2, loosen=0.1)
        images, frame_boxes = batch.images, batch.frames()
        mirrored = bool(images[0][42, 64 - 1 - 5] == 200)
        for box in (frame_boxes * (64 / 256)).round().long().tolist():
            x0, y0, x1, y1 = box
            if mirrored:
                x0, x1 = 63 - x1, 63 - x0
            found = min(boxes, key=lambda b: sum(abs(u - v) for u, v in zip(b, (x0, y0, x1, y1))))
            moves = [found[0] - x0, found[1] - y0, x1 - found[2], y1 - found[3]]
            assert all(-1 <= m <= 7 for m in moves), (found, box, moves)
            outward.extend(moves)
    assert max(outward) >= 5


def test_a_run_of_some_folds_scores_only_their_slices(tmp_path):
    side, images, masks, boxes = 256, [], [], []
    rng = np.random.default_rng(0)
    for i in range(4):
        x, y = 40 + 30 * i, 60
        mask = np.zeros((side, side), dtype=np.uint8)
        mask[y : y + 40, x : x + 50] = 1
        images.append(rng.integers(0, 80, (side, side), dtype=np.uint8) + 120 * mask)
        masks.append(mask)
        boxes.append([x, y, x + 49, y + 39])
    np.savez(
        tmp_path / "data.npz",
        names=np.array([f"s{i}" for i in range(4)]),
        splits=np.array(["train"] * 4),
        images=np.stack(images),
        masks=np.stack(masks),
        boxes=np.array(boxes, dtype=np.int32),
        offsets=np.arange(5),
    )
    out = tmp_path / "cv"
    args = ["run", "--data", str(tmp_path / "data.npz"), "--out", str(out), "--folds", "2", "--steps", "1"]
    main([*args, "--batch-size", "2", "--device", "cpu", "--cv-only", "--run-folds", "1"])
    results = json.loads((out / "crossval.json").read_text())
    scored = results["recipes"]["shipped"]["per_slice"]["clip@0"]
    assert results["run_folds"] == [1]
    assert scored[:2] == [None, None] and all(0 <= x <= 1 for x in scored[2:])
    assert results["recipes"]["shipped"]["mean"]["clip@0"] == pytest.approx(np.mean(scored[2:]), abs=1e-4)
    with pytest.raises(ValueError, match="distinct fold indices"):
        main([*args, "--device", "cpu", "--run-folds", "2"])
