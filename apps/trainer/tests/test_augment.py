import math

import torch

from lesionlab_trainer.config import TrainConfig
from lesionlab_trainer.data.augment import Augmentation, AugmentSettings, apply_augmentation, augmentation_params


def test_defaults_draw_the_crop_and_up_down_flip_they_always_drew():
    # the matrices of the original crop + flip augmentation for seed 3, step 7 (the generator's first draws)
    generator = torch.Generator().manual_seed(3 * 1_000_003 + 7)
    do_crop = torch.rand(4, generator=generator) < 0.5
    borders = torch.rand(4, 4, generator=generator) * 16 * do_crop.unsqueeze(1)
    flip = torch.rand(4, generator=generator) < 0.5
    left, right, top, bottom = borders.unbind(1)
    theta = augmentation_params(4, 512, 3, 7, AugmentSettings.of(TrainConfig())).theta
    assert torch.allclose(theta[:, 0, 0], (512 - left - right) / 512)
    assert torch.allclose(theta[:, 0, 2], (left - right) / 512)
    assert torch.allclose(theta[:, 1, 1], torch.where(flip, -1.0, 1.0) * (512 - top - bottom) / 512)
    assert torch.allclose(theta[:, 1, 2], (top - bottom) / 512)
    assert torch.all(theta[:, 0, 1] == 0) and torch.all(theta[:, 1, 0] == 0)


def test_a_quarter_turn_and_a_left_right_flip_move_a_marked_pixel_where_expected():
    image = torch.zeros(1, 1, 8, 8)
    image[0, 0, 1, 6] = 1.0  # row 1, column 6: top right
    settings = AugmentSettings(crop_p=0.0, flip_p=0.0)
    turn = -math.pi / 2
    theta = torch.tensor([[[math.cos(turn), -math.sin(turn), 0.0], [math.sin(turn), math.cos(turn), 0.0]]])
    turned, _ = apply_augmentation(image, image.clone(), Augmentation(theta, torch.ones(1), torch.zeros(1)))
    assert turned[0, 0].argmax().item() == 6 * 8 + 6  # the top-right pixel lands bottom right

    flipped = augmentation_params(1, 8, 0, 0, AugmentSettings(**{**settings.__dict__, "hflip_p": 1.0}))
    out, mask = apply_augmentation(image, image.clone(), flipped)
    assert out[0, 0].argmax().item() == 1 * 8 + 1  # top left
    assert mask[0, 0, 1, 1] == 1 and mask.sum() == 1


def test_rotation_zoom_and_intensity_stay_within_their_settings():
    settings = AugmentSettings(crop_p=0.0, flip_p=0.0, rotate_deg=15.0, scale_jitter=0.1, intensity_jitter=0.2)
    aug = augmentation_params(256, 512, 1, 2, settings)
    linear = aug.theta[:, :, :2]
    zoom = 1 / torch.sqrt(torch.det(linear))
    angle = torch.rad2deg(torch.atan2(linear[:, 1, 0], linear[:, 1, 1]))
    assert zoom.min() >= 0.9 - 1e-5 and zoom.max() <= 1.1 + 1e-5 and zoom.std() > 0.02
    assert angle.abs().max() <= 15.0 + 1e-4 and angle.std() > 3
    assert aug.contrast.min() >= 0.8 and aug.contrast.max() <= 1.2
    assert aug.brightness.abs().max() <= 0.1

    images = torch.rand(256, 1, 16, 16)
    out, _ = apply_augmentation(images, torch.zeros_like(images), aug)
    assert out.min() >= 0 and out.max() <= 1
