"""VGG-16 (with normalisation) encoder returning five stages; stage 5 reads conv4_3 directly (stride 8)."""

from __future__ import annotations

import torch
from torch import nn

from lesionlab_trainer.models.layers import ConvNormAct, scaled

# (convs, channels) per stage of VGG-16
VGG16_STAGES = ((2, 64), (2, 128), (3, 256), (3, 512), (3, 512))


class VGG16Encoder(nn.Module):
    def __init__(self, width: float = 1.0, norm: str = "bn"):
        super().__init__()
        self.channels = [scaled(c, width) for _, c in VGG16_STAGES]
        stages = []
        cin = 3
        for index, ((convs, _), cout) in enumerate(zip(VGG16_STAGES, self.channels)):
            layers: list[nn.Module] = []
            # pools before stages 2-4; stage 5 skips the pool (reference quirk), so it stays at stride 8
            if index in (1, 2, 3):
                layers.append(nn.MaxPool2d(2, 2))
            for _ in range(convs):
                layers.append(ConvNormAct(cin, cout, norm=norm))
                cin = cout
            stages.append(nn.Sequential(*layers))
        self.stages = nn.ModuleList(stages)
        self.strides = [1, 2, 4, 8, 8]

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        features = []
        for stage in self.stages:
            x = stage(x)
            features.append(x)
        return features
