"""SE-gated top-down decoder with deep supervision: one side output for the context feature and one per level."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from lesionlab_trainer.models.layers import ConvNormAct, SqueezeExcite, resize_to, resized_conv3x3, resized_mean


class GatedFusion(nn.Module):
    """lateral + global context: concat -> SE -> 3x3; then concat with the top-down feature -> SE -> 1x1 -> 3x3.

    Computed without materialising either concatenation at the lateral's resolution (the upsampled 512-channel
    context alone was 8x the lateral's bytes at the finest level): a per-channel gate followed by a convolution
    over a concatenation is the sum of the convolutions over the gated parts; the SE means of an upsampled part are
    a weighted mean of the coarse tensor; a 1x1 convolution commutes with bilinear resizing, and a 3x3 one over a
    resized input runs on the coarse input (`resized_conv3x3`). Same parameters and function as the concatenated
    form, up to rounding."""

    def __init__(self, lateral: int, top_down: int, context: int, norm: str):
        super().__init__()
        self.context_gate = SqueezeExcite(lateral + context)
        self.context_conv = ConvNormAct(lateral + context, lateral, norm=norm)
        self.top_down_gate = SqueezeExcite(lateral + top_down)
        self.squeeze = ConvNormAct(lateral + top_down, lateral, kernel=1, norm=norm)
        self.refine = ConvNormAct(lateral, lateral, norm=norm)

    def forward(self, lateral: torch.Tensor, top_down: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        size = (lateral.shape[-2], lateral.shape[-1])
        width = lateral.shape[1]
        # concat(lateral, up(context)) -> SE -> 3x3 conv-norm-ReLU
        pooled = torch.cat([lateral.mean((2, 3), keepdim=True), resized_mean(context, size)], dim=1)
        gate_lateral, gate_context = self.context_gate.gate(pooled).split([width, context.shape[1]], dim=1)
        weight_lateral, weight_context = self.context_conv.weight.split([width, context.shape[1]], dim=1)
        x = F.conv2d(lateral * gate_lateral, weight_lateral, padding=1)
        if context.shape[-2:] == lateral.shape[-2:]:
            x = x + F.conv2d(context * gate_context, weight_context, padding=1)
        else:
            x = x + resized_conv3x3(context * gate_context, weight_context, size)
        x = self.context_conv.finish(x)
        # concat(x, up(top_down)) -> SE -> 1x1 conv-norm-ReLU -> 3x3 conv-norm-ReLU
        pooled = torch.cat([x.mean((2, 3), keepdim=True), resized_mean(top_down, size)], dim=1)
        gate_x, gate_top = self.top_down_gate.gate(pooled).split([width, top_down.shape[1]], dim=1)
        weight_x, weight_top = self.squeeze.weight.split([width, top_down.shape[1]], dim=1)
        x = F.conv2d(x * gate_x, weight_x) + resize_to(F.conv2d(top_down * gate_top, weight_top), x)
        return self.refine(self.squeeze.finish(x))


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
