"""SE-gated top-down decoder with deep supervision: one side output for the context feature and one per level."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from lesionlab_trainer.models.layers import ConvNormAct, SqueezeExcite, resize_to


class GatedFusion(nn.Module):
    """lateral + global context: concat -> SE -> 3x3; then concat with the top-down feature -> SE -> 1x1 -> 3x3."""

    def __init__(self, lateral: int, top_down: int, context: int, norm: str):
        super().__init__()
        self.context_gate = SqueezeExcite(lateral + context)
        self.context_conv = ConvNormAct(lateral + context, lateral, norm=norm)
        self.top_down_gate = SqueezeExcite(lateral + top_down)
        self.squeeze = ConvNormAct(lateral + top_down, lateral, kernel=1, norm=norm)
        self.refine = ConvNormAct(lateral, lateral, norm=norm)

    def forward(self, lateral: torch.Tensor, top_down: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        x = self.context_conv(self.context_gate(torch.cat([lateral, resize_to(context, lateral)], dim=1)))
        x = torch.cat([x, resize_to(top_down, x)], dim=1)
        return self.refine(self.squeeze(self.top_down_gate(x)))


class TopDownDecoder(nn.Module):
    """Starts from the context feature of the deepest level and fuses the shallower laterals one by one.

    Returns the side-output logits at `out_size`, finest first: one per lateral level plus one for the top.
    """

    def __init__(self, lateral_channels: list[int], top_channels: int, context_channels: int, norm: str):
        super().__init__()
        fusions = []
        above = top_channels
        for lateral in reversed(lateral_channels):
            fusions.append(GatedFusion(lateral, above, context_channels, norm))
            above = lateral
        self.fusions = nn.ModuleList(fusions)  # coarsest first
        self.top_head = nn.Conv2d(top_channels, 1, 1)
        self.heads = nn.ModuleList(nn.Conv2d(c, 1, 1) for c in reversed(lateral_channels))

    def forward(self, laterals: list[torch.Tensor], top: torch.Tensor, context: torch.Tensor,
                out_size: tuple[int, int]) -> list[torch.Tensor]:
        def side(head: nn.Module, feature: torch.Tensor) -> torch.Tensor:
            return F.interpolate(head(feature), size=out_size, mode="bilinear", align_corners=False)

        sides = [side(self.top_head, top)]
        x = top
        for fusion, head, lateral in zip(self.fusions, self.heads, reversed(laterals)):
            x = fusion(lateral, x, context)
            sides.append(side(head, x))
        return sides[::-1]
