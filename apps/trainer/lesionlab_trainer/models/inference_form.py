"""The network as inference runs it: normalisation folded into fused convolutions (folding.py), Res2Net splits
widened to whole tensor-core tiles, and weights in the compute dtype."""

from __future__ import annotations

import copy

import torch
from torch import nn

from lesionlab_trainer.models.folding import FoldedConv, fold_for_inference
from lesionlab_trainer.models.res2net import Res2NetBottleneck


def _pad_rows(tensor: torch.Tensor, size: int, pieces: int, dim: int) -> torch.Tensor:
    """Splits `tensor` along `dim` into `pieces` equal parts and zero-pads each part to `size`."""
    parts = []
    for part in tensor.chunk(pieces, dim):
        shape = list(part.shape)
        shape[dim] = size - part.shape[dim]
        parts += [part, part.new_zeros(shape)]
    return torch.cat(parts, dim)


@torch.no_grad()
def align_split_width(block: Res2NetBottleneck, multiple: int) -> None:
    """Widens each split of a folded Res2Net block to a multiple of `multiple` channels with zero filters.

    cuDNN's bf16 NHWC kernels want channel counts in multiples of 8; the 26 and 52 channels of the first two
    stages otherwise cost a padding pass per convolution. The added channels stay zero through every conv
    (zero weights and bias, ReLU(0) = 0, pooling of zeros) and the output convolution ignores them, so the
    block computes the same function."""
    width, scale = block.width, block.scale
    padded = -(-width // multiple) * multiple
    if padded == width:
        return
    block.reduce.weight = nn.Parameter(_pad_rows(block.reduce.weight, padded, scale, 0), requires_grad=False)
    block.reduce.bias = nn.Parameter(_pad_rows(block.reduce.bias, padded, scale, 0), requires_grad=False)
    for conv in block.convs:
        weight = _pad_rows(_pad_rows(conv.weight, padded, 1, 0), padded, 1, 1)
        conv.weight = nn.Parameter(weight, requires_grad=False)
        conv.bias = nn.Parameter(_pad_rows(conv.bias, padded, 1, 0), requires_grad=False)
    block.expand.weight = nn.Parameter(_pad_rows(block.expand.weight, padded, scale, 1), requires_grad=False)
    block.width = padded


def inference_form(model: nn.Module, precision: str, fmt: torch.memory_format, channel_multiple: int = 8
                   ) -> nn.Module:
    """A folded copy of an uncompiled `model` for inference. On CUDA with bf16 the weights are cast to bf16: the
    fused cuDNN kernels take one dtype and autocast does not reach them."""
    folded = fold_for_inference(copy.deepcopy(model))
    device = next(folded.parameters()).device
    for module in folded.modules():
        if isinstance(module, Res2NetBottleneck) and isinstance(module.reduce, FoldedConv) and device.type == "cuda":
            align_split_width(module, channel_multiple)
    dtype = torch.bfloat16 if device.type == "cuda" and precision == "bf16" else None
    folded = folded.to(dtype=dtype, memory_format=fmt)
    for module in folded.modules():
        if isinstance(module, FoldedConv):
            module.memory_format = fmt
    return folded
