"""Grad-CAM on a model's classification target layer (last encoder stage): ReLU(sum_c w_c A_c), resized,
min-max normalised per slice."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


def grad_cam(model: nn.Module, images: torch.Tensor, target_class: int = 1) -> torch.Tensor:
    """images (B,1,H,W) -> (B,H,W) maps in [0,1]."""
    captured: dict[str, torch.Tensor] = {}

    def keep(_module, _inputs, output):
        output.retain_grad()
        captured["activation"] = output

    handle = model.cam_target().register_forward_hook(keep)
    try:
        model.eval()
        with torch.enable_grad():
            logits = model(images.requires_grad_(True))["cls"]
            logits[:, target_class].sum().backward()
    finally:
        handle.remove()
    activation = captured["activation"]
    weights = activation.grad.mean(dim=(2, 3), keepdim=True)
    cam = F.relu((weights * activation).sum(1, keepdim=True))
    cam = F.interpolate(cam, size=images.shape[-2:], mode="bilinear", align_corners=False)[:, 0]
    low = cam.flatten(1).min(1).values.view(-1, 1, 1)
    high = cam.flatten(1).max(1).values.view(-1, 1, 1)
    model.zero_grad(set_to_none=True)
    return ((cam - low) / (high - low).clamp_min(1e-8)).detach()
