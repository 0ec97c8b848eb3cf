"""Regional torch.compile: each building block is compiled on its own instead of the whole network.

Compiling JCS as one graph took more than five minutes on an H100 host; compiled per block, the 23 identical
Res2Net blocks of a stage share one compiled graph, so only the distinct blocks are compiled. What the
compiler gains here is fusion of normalisation, activation, pooling and residual passes, which lives inside
blocks."""

from __future__ import annotations

import torch
from torch import nn

from lesionlab_trainer.models.context import GroupPyramidContext
from lesionlab_trainer.models.decoder import GatedFusion
from lesionlab_trainer.models.jcs import StageFusion
from lesionlab_trainer.models.res2net import Res2NetBottleneck, Res2NetEncoder
from lesionlab_trainer.models.vgg import VGG16Encoder

REGION_TYPES = (VGG16Encoder, Res2NetBottleneck, StageFusion, GroupPyramidContext, GatedFusion)
# one compiled variant per distinct block configuration, training/eval mode and batch shape
RECOMPILE_LIMIT = 256


def regions(model: nn.Module) -> list[nn.Module]:
    found = []
    for module in model.modules():
        if isinstance(module, REGION_TYPES):
            found.append(module)
        elif isinstance(module, Res2NetEncoder):
            found.append(module.stem)
    return found


def compile_regions(model: nn.Module, mode: str | None = None) -> nn.Module:
    """Compiles every region of `model` in place and returns it."""
    torch._dynamo.config.cache_size_limit = max(torch._dynamo.config.cache_size_limit, RECOMPILE_LIMIT)
    torch._dynamo.config.accumulated_cache_size_limit = max(
        torch._dynamo.config.accumulated_cache_size_limit, RECOMPILE_LIMIT * 4)
    for module in regions(model):
        module.compile(mode=mode, dynamic=False)
    return model
