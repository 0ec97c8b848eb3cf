"""GPD context module: grouped, multi-dilation pyramid with squeeze-and-excitation."""

from __future__ import annotations

import torch
from torch import nn

from lesionlab_trainer.models.layers import ConvNormAct, SqueezeExcite


class GroupPyramidContext(nn.Module):
    """1x1 expansion to 4x channels, split into 4 groups, one dilated 3x3 (grouped) conv per group, ReLU,
    SE (r=4), 1x1 back to the input width, then a 3x3 conv."""

    def __init__(self, channels: int, dilations: tuple[int, ...], group_width: int, norm: str = "bn"):
        super().__init__()
        branches = len(dilations)
        expanded = channels * branches
        self.split = channels
        self.expand = ConvNormAct(channels, expanded, kernel=1, norm=norm)
        groups = max(1, channels // group_width)
        self.branches = nn.ModuleList(
            ConvNormAct(channels, channels, kernel=3, dilation=d, groups=groups, norm=norm) for d in dilations
        )
        self.se = SqueezeExcite(expanded, reduction=4)
        self.project = ConvNormAct(expanded, channels, kernel=1, norm=norm)
        self.refine = ConvNormAct(channels, channels, kernel=3, norm=norm)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = torch.split(self.expand(x), self.split, dim=1)
        y = torch.cat([branch(part) for branch, part in zip(self.branches, parts)], dim=1)
        return self.refine(self.project(self.se(y)))
