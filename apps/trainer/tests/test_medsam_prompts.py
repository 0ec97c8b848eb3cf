"""The medsam-lite fine-tune's inputs and the exported decoder's prompt handling (shipped weights, no training)."""

import numpy as np
import pytest
import torch

from lesionlab_trainer.medsam import network
from lesionlab_trainer.medsam.finetune import SIDE, fit, network_input, score, warmup_share
from lesionlab_trainer.medsam.prompts import MIRROR, ImageEncoder, PromptDecoder
from lesionlab_trainer.medsam.slices import SliceSet


def test_the_network_input_is_what_the_exported_encoder_feeds_its_network():
    images = torch.randint(0, 256, (2, 512, 512), dtype=torch.uint8)
    net = torch.nn.Module()
    net.image_encoder = torch.nn.Identity()
    exported = ImageEncoder(net)(images[:1].unsqueeze(1).float())
    assert network_input(images).shape == (2, 3, SIDE, SIDE)
    assert torch.allclose(network_input(images[:1]), exported)


def test_fit_refuses_slices_without_a_box():
    masks = np.zeros((2, 8, 8), dtype=np.uint8)
    data = SliceSet(masks, masks, np.array([[1, 1, 3, 3]]), np.array([0, 0, 1]))
    with pytest.raises(ValueError, match="at least one box"):
        fit(None, data, torch.device("cpu"), steps=1)


def test_the_learning_rate_schedule_runs_for_any_step_count_and_keeps_a_tenth_for_warm_up():
    assert warmup_share(400) == 0.1
    for steps in range(1, 41):
        optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))])
        schedule = torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=1e-3, total_steps=steps, pct_start=warmup_share(steps)
        )
        for _ in range(steps):
            optimizer.step()
            schedule.step()
        if steps >= 10:  # long enough to warm up and anneal below the starting rate
            assert optimizer.param_groups[0]["lr"] < 1e-3 / 25, steps


def test_the_exported_decoder_widens_the_box_within_the_frame_and_shifts_the_logits_by_the_threshold():
    net = network.build()
    embedding = torch.randn(1, 256, 64, 64)
    no_points = (torch.zeros(1, 0, 2), torch.zeros(1, 0))
    with torch.no_grad():
        widened, _ = PromptDecoder(net, 0.0, 3.0)(embedding, torch.tensor([[1.0, 40.0, 100.0, 254.0]]), *no_points)
        by_hand, _ = PromptDecoder(net)(embedding, torch.tensor([[0.0, 37.0, 103.0, 255.0]]), *no_points)
        shifted, _ = PromptDecoder(net, -1.0, 3.0)(embedding, torch.tensor([[1.0, 40.0, 100.0, 254.0]]), *no_points)
    assert torch.allclose(widened, by_hand)
    assert torch.allclose(shifted, widened + 1.0)


def test_the_left_right_view_mirrors_the_box_so_that_scoring_a_mirrored_slice_gives_the_same_dice():
    generator = np.random.default_rng(3)
    image = (generator.random((256, 256)) * 255).astype(np.uint8)
    mask = np.zeros((256, 256), dtype=np.uint8)
    mask[60:120, 30:90] = 1  # off-centre, so the slice and its mirror image differ
    box = np.array([[28, 58, 92, 123]])
    offsets = np.array([0, 1])
    mirrored_box = np.array([[255 - 92, 58, 255 - 28, 123]])
    plain = SliceSet(image[None], mask[None], box, offsets)
    mirrored = SliceSet(image[None, :, ::-1].copy(), mask[None, :, ::-1].copy(), mirrored_box, offsets)
    net = network.build()
    with torch.no_grad():
        scores = score(net, plain, torch.device("cpu"), hflip=True)
        mirrored_scores = score(net, mirrored, torch.device("cpu"), hflip=True)
    assert set(scores) == {"clip@0", "noclip@0", "hflip-clip@0", "hflip-noclip@0"}
    assert scores["hflip-clip@0"][0] == pytest.approx(mirrored_scores["hflip-clip@0"][0], abs=1e-3)
    assert scores["hflip-clip@0"][0] > 0.5


def test_the_mirrored_encoder_adds_the_view_of_the_mirrored_slice():
    image = torch.randint(0, 256, (1, 1, 512, 512)).float()
    net = torch.nn.Module()
    net.image_encoder = torch.nn.Identity()
    both = ImageEncoder(net, mirrored=True)(image)
    assert both.shape == (2, 3, SIDE, SIDE)
    assert torch.equal(both[:1], ImageEncoder(net)(image))
    assert torch.equal(both[1:], ImageEncoder(net)(image.flip(-1)))


def test_the_mirrored_decoder_answers_a_mirrored_prompt_on_swapped_views_with_the_mirrored_draft():
    decoder = PromptDecoder(network.build(), mirrored=True)
    views = torch.randn(2, 256, 64, 64)
    box, points = torch.tensor([[30.0, 40.0, 120.0, 200.0]]), torch.tensor([[[70.0, 90.0]]])
    labels = torch.tensor([[1.0]])
    mirror = lambda x: MIRROR - x  # noqa: E731
    mirrored_box = torch.stack([mirror(box[:, 2]), box[:, 1], mirror(box[:, 0]), box[:, 3]], dim=1)
    mirrored_points = torch.stack([mirror(points[..., 0]), points[..., 1]], dim=-1)
    with torch.no_grad():
        draft, score = decoder(views, box, points, labels)
        mirrored, mirrored_score = decoder(views.flip(0), mirrored_box, mirrored_points, labels)
        single, _ = PromptDecoder(network.build())(views[:1], box, points, labels)
    assert torch.allclose(draft, mirrored.flip(-1), atol=1e-4)
    assert torch.allclose(score, mirrored_score, atol=1e-5)
    assert not torch.allclose(draft, single, atol=1e-2)  # the second view counts
