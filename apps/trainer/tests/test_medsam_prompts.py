"""Box prompts of the medsam-lite fine-tune: components, boxes and targets (no weights needed)."""

import torch

from lesionlab_trainer.medsam.finetune import MIN_COMPONENT_PX, SIDE, box_prompts, component_labels


def _masks() -> torch.Tensor:
    masks = torch.zeros(2, SIDE, SIDE, dtype=torch.uint8)
    masks[0, 10:20, 30:40] = 1  # a 100 px lesion
    masks[0, 100:102, 100:102] = 1  # a 4 px speck, below MIN_COMPONENT_PX
    masks[1, 50:60, 50:60] = 1
    masks[1, 60:70, 60:70] = 1  # touches the first one diagonally: one 8-connected component
    return masks


def test_component_labels_are_8_connected():
    labels = component_labels(_masks())
    assert len(torch.unique(labels[0][labels[0] > 0])) == 2
    assert len(torch.unique(labels[1][labels[1] > 0])) == 1
    assert torch.equal(labels > 0, _masks() > 0)


def test_box_prompts_pick_a_large_component_and_target_the_lesion_inside_the_box():
    assert MIN_COMPONENT_PX > 4
    boxes, targets = box_prompts(_masks(), torch.Generator().manual_seed(0), jitter=0)
    assert boxes[0].tolist() == [30.0, 10.0, 39.0, 19.0]
    assert boxes[1].tolist() == [50.0, 50.0, 69.0, 69.0]
    assert targets.shape == (2, 1, SIDE, SIDE)
    assert targets[0].sum() == 100  # the speck lies outside the box
    assert targets[1].sum() == 200


def test_jittered_boxes_stay_around_the_component_and_inside_the_frame():
    masks = torch.zeros(1, SIDE, SIDE, dtype=torch.uint8)
    masks[0, 0:10, 0:10] = 1
    boxes, _ = box_prompts(masks, torch.Generator().manual_seed(1), jitter=3)
    x0, y0, x1, y1 = boxes[0].tolist()
    assert 0 <= x0 <= 3 and 0 <= y0 <= 3 and 6 <= x1 <= 12 and 6 <= y1 <= 12


def test_the_exported_decoder_widens_the_box_within_the_frame_and_shifts_the_logits_by_the_threshold():
    from lesionlab_trainer.medsam import network
    from lesionlab_trainer.medsam.prompts import PromptDecoder

    net = network.build()
    embedding = torch.randn(1, 256, 64, 64)
    no_points = (torch.zeros(1, 0, 2), torch.zeros(1, 0))
    with torch.no_grad():
        widened, _ = PromptDecoder(net, 0.0, 3.0)(embedding, torch.tensor([[1.0, 40.0, 100.0, 254.0]]), *no_points)
        by_hand, _ = PromptDecoder(net)(embedding, torch.tensor([[0.0, 37.0, 103.0, 255.0]]), *no_points)
        shifted, _ = PromptDecoder(net, -1.0, 3.0)(embedding, torch.tensor([[1.0, 40.0, 100.0, 254.0]]), *no_points)
    assert torch.allclose(widened, by_hand)
    assert torch.allclose(shifted, widened + 1.0)
