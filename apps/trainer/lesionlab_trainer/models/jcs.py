"""The JCS networks: joint segmenter + classifier, segmentation-only, and classification-only."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from lesionlab_trainer.models.context import GroupPyramidContext
from lesionlab_trainer.models.decoder import TopDownDecoder
from lesionlab_trainer.models.layers import ConvNormAct, GreyToImageNet, resize_to, scaled
from lesionlab_trainer.models.res2net import Res2NetEncoder
from lesionlab_trainer.models.vgg import VGG16Encoder

FUSED_CHANNELS = (64, 128, 256, 512, 512)
DEEP_DILATIONS = (1, 3, 6, 9)
POOLED_DILATIONS = (1, 2, 3, 4)


class StageFusion(nn.Module):
    """Resize the VGG feature to the Res2Net stage size, concatenate, three 3x3 conv-norm-ReLU."""

    def __init__(self, vgg: int, res2net: int, out: int, norm: str):
        super().__init__()
        self.convs = nn.Sequential(
            ConvNormAct(vgg + res2net, out, norm=norm),
            ConvNormAct(out, out, norm=norm),
            ConvNormAct(out, out, norm=norm),
        )

    def forward(self, vgg: torch.Tensor, res2net: torch.Tensor) -> torch.Tensor:
        vgg = resize_to(vgg, res2net)
        return self.convs(torch.cat([vgg, res2net], dim=1))


class SegmentationHead(nn.Module):
    """GPD on the deepest feature and on a max-pooled copy, then the gated top-down decoder."""

    def __init__(self, channels: list[int], gpd_group_width: int, norm: str):
        super().__init__()
        deepest = channels[-1]
        self.top_context = GroupPyramidContext(deepest, DEEP_DILATIONS, gpd_group_width, norm)
        self.global_context = GroupPyramidContext(deepest, POOLED_DILATIONS, gpd_group_width, norm)
        self.decoder = TopDownDecoder(channels[:-1], deepest, deepest, norm)

    def forward(self, features: list[torch.Tensor], out_size: tuple[int, int]) -> list[torch.Tensor]:
        deepest = features[-1]
        top = self.top_context(deepest)
        context = self.global_context(F.max_pool2d(deepest, 2, ceil_mode=True))
        return self.decoder(features[:-1], top, context, out_size)


class ClassificationHead(nn.Module):
    def __init__(self, channels: int, classes: int = 2):
        super().__init__()
        self.fc = nn.Linear(channels, classes)

    def forward(self, feature: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(feature, 1), 1))


class JointJCS(nn.Module):
    """VGG-16 + Res2Net-101 encoders fused per stage; segmentation side outputs and a COVID/non-COVID head
    on the last Res2Net stage (the Grad-CAM layer)."""

    def __init__(self, width: float, res2net_layers: tuple[int, ...], gpd_group_width: int, norm: str):
        super().__init__()
        self.prepare = GreyToImageNet()
        self.vgg = VGG16Encoder(width, norm)
        self.res2net = Res2NetEncoder(width, res2net_layers, norm=norm)
        fused = [scaled(c, width) for c in FUSED_CHANNELS]
        self.fusions = nn.ModuleList(
            StageFusion(v, r, f, norm) for v, r, f in zip(self.vgg.channels, self.res2net.channels, fused)
        )
        self.segmentation = SegmentationHead(fused, gpd_group_width, norm)
        self.classifier = ClassificationHead(self.res2net.channels[-1])

    def cam_target(self) -> nn.Module:
        return self.res2net.layers[-1]

    def forward(self, x: torch.Tensor) -> dict[str, object]:
        x = self.prepare(x)
        vgg = self.vgg(x)
        res = self.res2net(x)
        fused = [fusion(v, r) for fusion, v, r in zip(self.fusions, vgg, res)]
        return {"seg": self.segmentation(fused, x.shape[-2:]), "cls": self.classifier(res[-1])}


class SegmentationJCS(nn.Module):
    """VGG-16 + GPD + decoder; a linear head on the top context feature gives a slice-level score too."""

    def __init__(self, width: float, gpd_group_width: int, norm: str):
        super().__init__()
        self.prepare = GreyToImageNet()
        self.vgg = VGG16Encoder(width, norm)
        self.segmentation = SegmentationHead(self.vgg.channels, gpd_group_width, norm)
        self.classifier = ClassificationHead(self.vgg.channels[-1])

    def cam_target(self) -> nn.Module:
        return self.vgg.stages[-1]

    def forward(self, x: torch.Tensor) -> dict[str, object]:
        x = self.prepare(x)
        features = self.vgg(x)
        return {"seg": self.segmentation(features, x.shape[-2:]), "cls": self.classifier(features[-1])}


class ClassifierJCS(nn.Module):
    """Res2Net-101 v1b with a linear two-way head (no segmentation output)."""

    def __init__(self, width: float, res2net_layers: tuple[int, ...], norm: str):
        super().__init__()
        self.prepare = GreyToImageNet()
        self.res2net = Res2NetEncoder(width, res2net_layers, norm=norm)
        self.classifier = ClassificationHead(self.res2net.channels[-1])

    def cam_target(self) -> nn.Module:
        return self.res2net.layers[-1]

    def forward(self, x: torch.Tensor) -> dict[str, object]:
        return {"seg": [], "cls": self.classifier(self.res2net(self.prepare(x))[-1])}
