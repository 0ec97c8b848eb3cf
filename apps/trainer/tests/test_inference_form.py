"""The folded inference form computes the trained network's function, and torch.compile can trace its fused ops."""

import copy

import pytest
import torch
from torch._subclasses.fake_tensor import FakeTensorMode

from lesionlab_trainer.models.folding import FoldedConv, conv_bias_add_relu, conv_bias_relu, fold_for_inference
from lesionlab_trainer.models.inference_form import align_split_width
from lesionlab_trainer.models.registry import build_model, resolve_spec
from lesionlab_trainer.models.res2net import Res2NetBottleneck


def trained_looking(name: str) -> torch.nn.Module:
    """A lite model whose normalisation layers hold running statistics of real activations, as after training."""
    torch.manual_seed(0)
    model = build_model(resolve_spec(name)).train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(4, 1, 96, 96))
    return model.eval()


def assert_same_outputs(a: dict, b: dict) -> None:
    torch.testing.assert_close(a["cls"], b["cls"], atol=1e-5, rtol=1e-4)
    assert len(a["seg"]) == len(b["seg"])
    for side_a, side_b in zip(a["seg"], b["seg"]):
        torch.testing.assert_close(side_a, side_b, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("name", ["jcs-lite", "jcs-seg-lite", "jcs-cls-lite"])
def test_folding_keeps_the_function_and_removes_every_batch_norm(name):
    model = trained_looking(name)
    images = torch.rand(2, 1, 96, 96)
    with torch.no_grad():
        expected = model(images)
        folded = fold_for_inference(copy.deepcopy(model))
        got = folded(images)
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in folded.modules())
    assert sum(isinstance(m, FoldedConv) for m in folded.modules()) > 20
    assert_same_outputs(expected, got)


def test_widened_res2net_splits_keep_the_function():
    model = trained_looking("jcs-lite")
    images = torch.rand(2, 1, 96, 96)
    folded = fold_for_inference(copy.deepcopy(model))
    blocks = [m for m in folded.modules() if isinstance(m, Res2NetBottleneck)]
    assert {b.width for b in blocks} == {3, 6, 13, 26}
    for block in blocks:
        align_split_width(block, 8)
    assert {b.width for b in blocks} == {8, 16, 32}
    with torch.no_grad():
        assert_same_outputs(model(images), folded(images))


def test_fused_ops_report_shape_and_channels_last_layout_to_the_compiler():
    with FakeTensorMode():
        x = torch.empty(2, 8, 16, 16).contiguous(memory_format=torch.channels_last)
        weight = torch.empty(16, 8, 3, 3).contiguous(memory_format=torch.channels_last)
        out = conv_bias_relu(x, weight, torch.empty(16), [2, 2], [1, 1], [1, 1], 1)
        assert out.shape == (2, 16, 8, 8) and out.is_contiguous(memory_format=torch.channels_last)
        residual = torch.empty(2, 16, 8, 8).contiguous(memory_format=torch.channels_last)
        out = conv_bias_add_relu(x, weight, residual, torch.empty(16), [2, 2], [1, 1], [1, 1], 1)
        assert out.shape == (2, 16, 8, 8) and out.is_contiguous(memory_format=torch.channels_last)
