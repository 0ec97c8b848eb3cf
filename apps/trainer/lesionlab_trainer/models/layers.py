"""Small building blocks shared by the encoders, the context module and the decoder."""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

NORMS = ("bn", "frozen_bn", "gn")


class FrozenBatchNorm2d(nn.Module):
    """BatchNorm with fixed statistics and affine parameters (the reference's choice for pretrained encoders)."""

    def __init__(self, channels: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        for name, init in (("weight", torch.ones), ("bias", torch.zeros),
                           ("running_mean", torch.zeros), ("running_var", torch.ones)):
            self.register_buffer(name, init(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.weight * torch.rsqrt(self.running_var + self.eps)
        shift = self.bias - self.running_mean * scale
        return x * scale.view(1, -1, 1, 1).to(x.dtype) + shift.view(1, -1, 1, 1).to(x.dtype)


def make_norm(kind: str, channels: int) -> nn.Module:
    if kind == "bn":
        return nn.BatchNorm2d(channels)
    if kind == "frozen_bn":
        return FrozenBatchNorm2d(channels)
    if kind == "gn":
        return nn.GroupNorm(math.gcd(32, channels), channels)
    raise ValueError(f"unknown norm {kind!r}; expected one of {NORMS}")


class ConvNormAct(nn.Sequential):
    def __init__(self, cin: int, cout: int, kernel: int = 3, stride: int = 1, dilation: int = 1,
                 groups: int = 1, norm: str = "bn", act: bool = True):
        padding = dilation * (kernel // 2)
        layers: list[nn.Module] = [
            nn.Conv2d(cin, cout, kernel, stride, padding, dilation=dilation, groups=groups, bias=False),
            make_norm(norm, cout),
        ]
        if act:
            layers.append(nn.ReLU(inplace=True))
        super().__init__(*layers)

    @property
    def weight(self) -> torch.Tensor:
        return self[0].weight

    def finish(self, convolved: torch.Tensor) -> torch.Tensor:
        """Normalisation and activation for a convolution by `self.weight` computed elsewhere (in parts)."""
        for layer in list(self)[1:]:
            convolved = layer(convolved)
        return convolved


class SqueezeExcite(nn.Module):
    """Channel gating: global average pool -> bottleneck MLP (reduction r) -> sigmoid scale."""

    def __init__(self, channels: int, reduction: int = 4):
        super().__init__()
        hidden = max(1, channels // reduction)
        self.fc1 = nn.Conv2d(channels, hidden, 1)
        self.fc2 = nn.Conv2d(hidden, channels, 1)

    def gate(self, pooled: torch.Tensor) -> torch.Tensor:
        """(B,C,1,1) channel means -> (B,C,1,1) sigmoid gate."""
        return torch.sigmoid(self.fc2(F.relu(self.fc1(pooled), inplace=True)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gate(F.adaptive_avg_pool2d(x, 1))


def scaled(channels: int, width: float, minimum: int = 8) -> int:
    """Channel count after the width multiplier, rounded to a multiple of 4."""
    return max(minimum, int(round(channels * width / 4.0)) * 4)


def resize(x: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """F.interpolate(x, size, bilinear, align_corners=False) in x's own dtype.

    An exact downsampling by an even integer factor f is the mean of the two middle pixels of each f-window per
    axis, i.e. an average pool (no fp32 round trip). Other sizes interpolate with autocast off, since autocast would
    run the interpolation (and every concatenation downstream) in fp32."""
    height, width = x.shape[-2], x.shape[-1]
    if (height, width) == tuple(size):
        return x
    fy, fx = height // size[0], width // size[1]
    if fy == fx and fy % 2 == 0 and height == fy * size[0] and width == fx * size[1]:
        offset = fy // 2 - 1
        return F.avg_pool2d(x[..., offset:, offset:], kernel_size=2, stride=fy)
    with torch.autocast("cuda" if x.is_cuda else "cpu", enabled=False):
        return F.interpolate(x, size=tuple(size), mode="bilinear", align_corners=False)


def resize_to(x: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    return resize(x, (like.shape[-2], like.shape[-1]))


def interpolation_matrix(size_in: int, size_out: int, like: torch.Tensor) -> torch.Tensor:
    """(size_out, size_in) weights of 1-D linear resizing exactly as F.interpolate(bilinear, align_corners=False)
    applies them along one axis (bilinear resizing is separable)."""
    dtype = torch.float64 if like.dtype == torch.float64 else torch.float32
    eye = torch.eye(size_in, device=like.device, dtype=dtype).unsqueeze(1)
    weights = F.interpolate(eye, size=size_out, mode="linear", align_corners=False)[:, 0].t()
    return weights.to(like.dtype)


def resized_mean(x: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """(B,C,1,1) channel means of F.interpolate(x, size, bilinear) without materialising the resized tensor."""
    if x.shape[-2:] == size:
        return x.mean((2, 3), keepdim=True)
    wy = interpolation_matrix(x.shape[-2], size[0], x).sum(0) / size[0]
    wx = interpolation_matrix(x.shape[-1], size[1], x).sum(0) / size[1]
    return torch.einsum("bcij,i,j->bc", x, wy, wx)[:, :, None, None]


def resized_conv3x3(x: torch.Tensor, weight: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """conv2d(F.interpolate(x, size, bilinear), weight, padding=1) for a 3x3 `weight`, computed on the coarse x.

    Both operators are linear, so each tap's channel mixing runs at the coarse resolution and the tap's shifted,
    zero-padded interpolation matrices carry it to `size`: out[p,q] = sum_{ky,kx} Ay_ky[p] Z_{ky,kx} Ax_kx[q]^T.
    Never builds the (B, C, *size) resized input; returns (B, O, *size) in channels_last layout."""
    batch, height, width, out = x.shape[0], size[0], size[1], weight.shape[0]
    ay = F.pad(interpolation_matrix(x.shape[-2], height, x), (0, 0, 1, 1))  # zero rows = the conv's padding
    ax = F.pad(interpolation_matrix(x.shape[-1], width, x), (0, 0, 1, 1))
    ay = torch.stack([ay[k:k + height] for k in range(3)])  # (3, H, h): tap ky reads row p + ky - 1
    ax = torch.stack([ax[k:k + width] for k in range(3)])  # (3, W, w)
    taps = torch.einsum("ocyx,bcij->byioxj", weight.to(x.dtype), x)  # channel mixing at the coarse size
    rows = torch.einsum("byioxj,xqj->byiqo", taps, ax).reshape(batch, 3 * x.shape[-2], width * out)
    full = torch.matmul(ay.permute(1, 0, 2).reshape(height, 3 * x.shape[-2]), rows)  # (B, H, W*O)
    return full.view(batch, height, width, out).permute(0, 3, 1, 2)


class GreyToImageNet(nn.Module):
    """Turns a (B,1,H,W) grey image in [0,1] into the 3-channel ImageNet-normalised input the encoders expect."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.to(self.mean.dtype)  # a model cast to bf16 for inference takes fp32 images
        if x.shape[1] == 1:
            x = x.expand(-1, 3, -1, -1)
        return (x - self.mean) / self.std
