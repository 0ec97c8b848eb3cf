"""The four names LiteMedSAM's vendored TinyViT imports from `timm.models.layers` / `timm.models.registry`.

timm imports torchvision at import time, and no torchvision build on PyPI loads against the pinned CPU
torch (the CUDA build's kernels fail to register: "operator torchvision::nms does not exist"). TinyViT only
needs these small helpers, so they are provided here and registered under timm's module names before the
package is imported — unless a working timm is installed, which is then used instead.
"""

from __future__ import annotations

import math
import sys
import types

import torch
from torch import nn


def to_2tuple(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def trunc_normal_(tensor: torch.Tensor, mean=0.0, std=1.0, a=-2.0, b=2.0) -> torch.Tensor:
    return nn.init.trunc_normal_(tensor, mean=mean, std=std, a=a, b=b)


class DropPath(nn.Module):
    """Stochastic depth: drops a whole residual branch per sample while training."""

    def __init__(self, drop_prob: float = 0.0, scale_by_keep: bool = True):
        super().__init__()
        self.drop_prob = drop_prob
        self.scale_by_keep = scale_by_keep

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.drop_prob == 0.0 or not self.training:
            return x
        keep = 1.0 - self.drop_prob
        mask = x.new_empty((x.shape[0],) + (1,) * (x.ndim - 1)).bernoulli_(keep)
        return x * mask / keep if self.scale_by_keep and not math.isclose(keep, 0.0) else x * mask


def register_model(fn):
    return fn


def install() -> None:
    """Makes `timm.models.layers` and `timm.models.registry` importable (no-op when timm itself imports)."""
    try:
        import timm.models.layers  # noqa: F401
        import timm.models.registry  # noqa: F401

        return
    except Exception:  # noqa: BLE001 — a broken timm (its torchvision import) is the case handled here
        for name in [n for n in sys.modules if n == "timm" or n.startswith("timm.") or n.startswith("torchvision")]:
            del sys.modules[name]
    timm = types.ModuleType("timm")
    models = types.ModuleType("timm.models")
    layers = types.ModuleType("timm.models.layers")
    registry = types.ModuleType("timm.models.registry")
    layers.DropPath, layers.to_2tuple, layers.trunc_normal_ = DropPath, to_2tuple, trunc_normal_
    registry.register_model = register_model
    timm.models, models.layers, models.registry = models, layers, registry
    sys.modules.update(
        {"timm": timm, "timm.models": models, "timm.models.layers": layers, "timm.models.registry": registry}
    )
