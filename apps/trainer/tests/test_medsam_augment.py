"""medsam-lite training prompts: several boxes per slice, and the zoom/shift/shading augmentation keeping every
box the tight extent of its lesion."""

import numpy as np
import torch

from lesionlab_trainer.medsam import augment, boxscore
from lesionlab_trainer.medsam.finetune import sample_batch
from lesionlab_trainer.medsam.slices import SliceSet

SIDE = 128


def _slice_set() -> SliceSet:
    mask = np.zeros((SIDE, SIDE), dtype=np.uint8)
    mask[30:50, 60:84] = 1
    mask[80:100, 20:36] = 1
    boxes = boxscore.component_boxes(mask)
    return SliceSet(np.stack([mask * 200]), np.stack([mask]), np.array(boxes), np.array([0, len(boxes)]))


def _inside(box: torch.Tensor) -> torch.Tensor:
    x0, y0, x1, y1 = box.round().long().tolist()
    region = torch.zeros(SIDE, SIDE)
    region[y0 : y1 + 1, x0 : x1 + 1] = 1
    return region


def test_several_boxes_per_slice_are_distinct_components_sharing_their_slice():
    data = _slice_set()
    for seed in range(6):
        batch = sample_batch(data, np.array([0, 0]), torch.Generator().manual_seed(seed), 3)
        images, owner, targets, boxes = batch.images, batch.owner, batch.targets(), batch.frames()
        assert images.shape == (2, SIDE, SIDE) and owner.tolist() == [0, 0, 1, 1]  # two components, not three
        for slot, target, box in zip(owner, targets[:, 0], boxes * (SIDE / 256)):
            lesion = (images[slot] == 200).float()
            assert torch.equal(target, lesion * _inside(box))
        assert not torch.equal(targets[0], targets[1])


def test_zoom_and_shift_keeps_each_box_the_tight_extent_of_its_warped_lesion():
    data = _slice_set()
    widths = []
    for seed in range(20):
        image, mask, boxes = augment.zoom_and_shift(
            data.images[0], data.masks[0], data.boxes[0], torch.Generator().manual_seed(seed)
        )
        assert image.dtype == torch.uint8 and mask.shape == (SIDE, SIDE)
        # the image moved with its mask (bilinear against nearest: edges may differ)
        bright, lesion = image > 100, mask.bool()
        assert (bright & lesion).sum() >= 0.9 * lesion.sum() and (bright & ~lesion).sum() <= 0.1 * lesion.sum()
        for box in boxes:
            x0, y0, x1, y1 = box.long().tolist()
            inside = mask[y0 : y1 + 1, x0 : x1 + 1]
            assert inside[0].any() and inside[-1].any() and inside[:, 0].any() and inside[:, -1].any()
        widths.append((boxes[0, 2] - boxes[0, 0] + 1).item() / 24)  # the first box is the 24-px-wide lesion
    assert min(widths) >= augment.ZOOM[0] - 0.1 and max(widths) <= augment.ZOOM[1] + 0.1
    assert max(widths) - min(widths) > 0.1  # it does zoom


def test_a_lesion_pushed_out_of_the_slice_leaves_the_slice_unwarped():
    mask = np.zeros((SIDE, SIDE), dtype=np.uint8)
    mask[0:2, 0:2] = 1
    image, lesion, box = torch.from_numpy(mask * 200), torch.from_numpy(mask), torch.tensor([[0.0, 0.0, 1.0, 1.0]])
    outcomes = [augment.zoom_and_shift(image, lesion, box, torch.Generator().manual_seed(s)) for s in range(20)]
    assert any(o is None for o in outcomes) and any(o is not None for o in outcomes)


def test_shading_keeps_the_order_of_grey_values():
    ramp = torch.arange(256, dtype=torch.uint8).reshape(16, 16)
    for seed in range(10):
        shaded = augment.shade(ramp, torch.Generator().manual_seed(seed)).flatten()
        assert shaded.dtype == torch.uint8 and bool((shaded[1:] >= shaded[:-1]).all())
        assert not torch.equal(shaded, ramp.flatten())


def test_augmented_targets_are_the_warped_lesion_inside_each_box():
    data = _slice_set()
    for seed in range(10):
        batch = sample_batch(data, np.array([0]), torch.Generator().manual_seed(seed), 2, augment=True)
        images, owner, targets, boxes = batch.images, batch.owner, batch.targets(), batch.frames()
        for slot, target, box in zip(owner, targets[:, 0], boxes * (SIDE / 256)):
            region = _inside(box)
            assert target.sum() > 0 and torch.equal(target * region, target)
            bright = (images[slot] > 100).float() * region
            assert (bright * target).sum() >= 0.8 * max(bright.sum(), target.sum())


def test_the_zoom_grid_is_affine_grids():
    for side, scale, shift in ((128, 0.8, [0.2, -0.1]), (512, 1.25, [-0.2, 0.05]), (97, 1.07, [0.0, 0.13])):
        theta = torch.tensor([[1 / scale, 0.0, -shift[0] / scale], [0.0, 1 / scale, -shift[1] / scale]])
        expected = torch.nn.functional.affine_grid(theta[None], [1, 1, side, side], align_corners=False)
        torch.testing.assert_close(augment.zoom_grid(scale, shift, side), expected, atol=1e-6, rtol=0)


def test_shading_by_lookup_shades_each_pixel_as_computing_it_would():
    image = torch.from_numpy(np.random.default_rng(0).integers(0, 256, (SIDE, SIDE), dtype=np.uint8))
    for seed in range(5):
        draws = torch.Generator().manual_seed(seed)
        gamma = augment._log_uniform(draws, *augment.GAMMA)
        contrast = augment._uniform(draws, *augment.CONTRAST)
        brightness = augment._uniform(draws, -augment.BRIGHTNESS, augment.BRIGHTNESS)
        grey = ((image.float() / 255) ** gamma) * contrast + brightness
        expected = (grey.clamp(0, 1) * 255).round().to(torch.uint8)
        assert torch.equal(augment.shade(image, torch.Generator().manual_seed(seed)), expected)
