"""Res2Net v1b (deep stem, average-pool shortcut) encoder, 26w x 4s by default."""

from __future__ import annotations

import torch
from torch import nn

from lesionlab_trainer.models.folding import FoldedConv
from lesionlab_trainer.models.layers import ConvNormAct, make_norm, scaled

RES2NET101_LAYERS = (3, 4, 23, 3)


class Res2NetBottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin: int, planes: int, stride: int, first: bool, base_width: int, scale: int, norm: str):
        super().__init__()
        width = max(1, planes * base_width // 64)
        self.scale = scale
        self.width = width
        self.first = first
        self.reduce = ConvNormAct(cin, width * scale, kernel=1, norm=norm)
        self.convs = nn.ModuleList(
            ConvNormAct(width, width, kernel=3, stride=stride, norm=norm) for _ in range(scale - 1)
        )
        self.pool = nn.AvgPool2d(3, stride, 1) if first else None
        self.expand = nn.Sequential(nn.Conv2d(width * scale, planes * self.expansion, 1, bias=False),
                                    make_norm(norm, planes * self.expansion))
        self.shortcut: nn.Module = nn.Identity()
        if first and (stride != 1 or cin != planes * self.expansion):
            self.shortcut = nn.Sequential(
                nn.AvgPool2d(stride, stride, ceil_mode=True, count_include_pad=False) if stride > 1 else nn.Identity(),
                nn.Conv2d(cin, planes * self.expansion, 1, bias=False),
                make_norm(norm, planes * self.expansion),
            )
        self.act = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        splits = torch.split(self.reduce(x), self.width, dim=1)
        outputs = []
        carried = None
        for index, conv in enumerate(self.convs):
            # hierarchical residual connections inside the block, except in a stage's first block
            piece = splits[index] if (index == 0 or self.first) else carried + splits[index]
            carried = conv(piece)
            outputs.append(carried)
        last = splits[-1]
        outputs.append(self.pool(last) if self.pool is not None else last)
        merged = torch.cat(outputs, dim=1)
        if isinstance(self.expand, FoldedConv):  # inference form: one kernel for conv, shortcut add and ReLU
            return self.expand.add_relu(merged, self.shortcut(x))
        return self.act(self.expand(merged) + self.shortcut(x))


class Res2NetEncoder(nn.Module):
    """Returns five stages at strides 2/4/8/16/32 (stem, layer1..layer4)."""

    def __init__(self, width: float = 1.0, layers: tuple[int, ...] = RES2NET101_LAYERS,
                 base_width: int = 26, scale: int = 4, norm: str = "bn"):
        super().__init__()
        stem_half, stem = scaled(32, width), scaled(64, width)
        self.stem = nn.Sequential(
            ConvNormAct(3, stem_half, stride=2, norm=norm),
            ConvNormAct(stem_half, stem_half, norm=norm),
            ConvNormAct(stem_half, stem, norm=norm),
        )
        self.pool = nn.MaxPool2d(3, 2, 1)
        planes = [scaled(p, width) for p in (64, 128, 256, 512)]
        cin = stem
        stages = []
        for index, (blocks, p) in enumerate(zip(layers, planes)):
            stride = 1 if index == 0 else 2
            stage = []
            for b in range(blocks):
                stage.append(Res2NetBottleneck(cin, p, stride if b == 0 else 1, b == 0, base_width, scale, norm))
                cin = p * Res2NetBottleneck.expansion
            stages.append(nn.Sequential(*stage))
        self.layers = nn.ModuleList(stages)
        self.channels = [stem] + [p * Res2NetBottleneck.expansion for p in planes]
        self.strides = [2, 4, 8, 16, 32]

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        x = self.stem(x)
        features = [x]
        x = self.pool(x)
        for layer in self.layers:
            x = layer(x)
            features.append(x)
        return features
