"""Inference form of a trained network: every BatchNorm folded into the convolution before it.

In eval mode a BatchNorm is a per-channel affine map, so conv -> BN becomes one convolution with a scaled weight
and a bias. On CUDA the bias, the residual addition of a Res2Net block and the ReLU then run in the epilogue of
the cuDNN convolution kernel, instead of a memory-bound pass over the whole activation after every convolution.
The folded network computes the same function (up to rounding) but cannot be trained: fold a copy for
inference only."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from lesionlab_trainer.models.layers import FrozenBatchNorm2d

FOLDABLE_NORMS = (nn.BatchNorm2d, FrozenBatchNorm2d)


def _layout(x: torch.Tensor) -> torch.memory_format:
    return torch.channels_last if x.dim() == 4 and x.is_contiguous(memory_format=torch.channels_last) \
        else torch.contiguous_format


# cuDNN's fused convolutions as custom ops with a shape-and-layout rule, so that torch.compile keeps them in its
# graphs (ATen's own have no fake implementation: each call would break the graph and cost layout copies).
@torch.library.custom_op("lesionlab::conv_bias_relu", mutates_args=())
def conv_bias_relu(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, stride: list[int],
                   padding: list[int], dilation: list[int], groups: int) -> torch.Tensor:
    out = torch.cudnn_convolution_relu(x, weight, bias, stride, padding, dilation, groups)
    return out.contiguous(memory_format=_layout(x))


@torch.library.custom_op("lesionlab::conv_bias_add_relu", mutates_args=())
def conv_bias_add_relu(x: torch.Tensor, weight: torch.Tensor, residual: torch.Tensor, bias: torch.Tensor,
                       stride: list[int], padding: list[int], dilation: list[int], groups: int) -> torch.Tensor:
    out = torch.cudnn_convolution_add_relu(x, weight, residual, 1.0, bias, stride, padding, dilation, groups)
    return out.contiguous(memory_format=_layout(x))


@conv_bias_relu.register_fake
def _conv_bias_relu_fake(x, weight, bias, stride, padding, dilation, groups):
    size = [x.shape[0], weight.shape[0]] + [
        (x.shape[i + 2] + 2 * padding[i] - dilation[i] * (weight.shape[i + 2] - 1) - 1) // stride[i] + 1
        for i in range(2)]
    return torch.empty(size, dtype=x.dtype, device=x.device, memory_format=_layout(x))


@conv_bias_add_relu.register_fake
def _conv_bias_add_relu_fake(x, weight, residual, bias, stride, padding, dilation, groups):
    return _conv_bias_relu_fake(x, weight, bias, stride, padding, dilation, groups)


def norm_scale_shift(norm: nn.Module) -> tuple[torch.Tensor, torch.Tensor]:
    """(scale, shift) with norm(x) == x * scale + shift per channel, in eval mode."""
    weight = norm.weight if norm.weight is not None else torch.ones_like(norm.running_var)
    bias = norm.bias if norm.bias is not None else torch.zeros_like(norm.running_mean)
    scale = weight * torch.rsqrt(norm.running_var + norm.eps)
    return scale, bias - norm.running_mean * scale


class FoldedConv(nn.Module):
    """conv -> norm [-> + residual] [-> ReLU] as one convolution with bias; one cuDNN kernel on CUDA."""

    def __init__(self, conv: nn.Conv2d, norm: nn.Module, relu: bool):
        super().__init__()
        scale, shift = norm_scale_shift(norm)
        bias = shift if conv.bias is None else conv.bias * scale + shift
        self.weight = nn.Parameter((conv.weight * scale.view(-1, 1, 1, 1)).detach(), requires_grad=False)
        self.bias = nn.Parameter(bias.detach(), requires_grad=False)
        self.stride, self.padding, self.dilation = list(conv.stride), list(conv.padding), list(conv.dilation)
        self.groups = conv.groups
        self.relu = relu
        self.memory_format = torch.contiguous_format

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.is_cuda and self.relu:
            # A channel slice (a Res2Net split) is not contiguous. cuDNN would copy it with a slow generic kernel;
            # asked for here, the copy is one the compiler fuses with the producer.
            x = x.contiguous(memory_format=self.memory_format)
            return conv_bias_relu(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
        y = F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
        return F.relu(y) if self.relu else y

    def add_relu(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        """ReLU(conv(x) + bias + residual): a residual block's output convolution and merge."""
        if x.is_cuda:
            x = x.contiguous(memory_format=self.memory_format)
            residual = residual.contiguous(memory_format=self.memory_format)
            return conv_bias_add_relu(x, self.weight, residual, self.bias, self.stride, self.padding,
                                      self.dilation, self.groups)
        return F.relu(F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
                      + residual)

    def finish(self, convolved: torch.Tensor) -> torch.Tensor:
        """Bias and activation for a convolution by `self.weight` computed elsewhere (in parts)."""
        y = convolved + self.bias.view(1, -1, 1, 1).to(convolved.dtype)
        return F.relu(y) if self.relu else y


def _fold_sequential(block: nn.Sequential) -> nn.Module:
    """Replaces conv, foldable norm [, ReLU] runs inside `block`; a block that folds to one layer becomes it."""
    layers = list(block)
    folded: list[nn.Module] = []
    index = 0
    while index < len(layers):
        layer = layers[index]
        norm = layers[index + 1] if index + 1 < len(layers) else None
        if isinstance(layer, nn.Conv2d) and isinstance(norm, FOLDABLE_NORMS):
            relu = index + 2 < len(layers) and isinstance(layers[index + 2], nn.ReLU)
            folded.append(FoldedConv(layer, norm, relu))
            index += 3 if relu else 2
        else:
            folded.append(layer)
            index += 1
    if len(folded) == len(layers):
        return block
    return folded[0] if len(folded) == 1 else nn.Sequential(*folded)


@torch.no_grad()
def fold_for_inference(model: nn.Module) -> nn.Module:
    """Folds `model` in place (eval mode) and returns it."""
    model.eval()
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, nn.Sequential):
                setattr(parent, name, _fold_sequential(child))
    return model

