"""FLOP counting (torch.utils.flop_counter) and the device peaks used for model FLOPs utilisation."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

# dense bf16 tensor-core peaks, TFLOP/s
BF16_PEAK_TFLOPS = {"H100 PCIe": 756.0, "H100": 989.0, "H200": 989.0, "A100": 312.0}


def device_peak_tflops(device: torch.device, precision: str) -> float | None:
    if device.type != "cuda" or precision != "bf16":
        return None
    name = torch.cuda.get_device_name(device)
    for key in sorted(BF16_PEAK_TFLOPS, key=len, reverse=True):
        if all(part in name for part in key.split()):
            return BF16_PEAK_TFLOPS[key]
    return None


def count_flops(model: nn.Module, example: torch.Tensor, backward: bool) -> int:
    """FLOPs (2 per multiply-add) of one forward (and backward) pass on `example`."""
    with FlopCounterMode(display=False) as counter:
        outputs = model(example)
        if backward:
            loss = sum(side.float().mean() for side in outputs["seg"]) + outputs["cls"].float().sum()
            loss.backward()
    model.zero_grad(set_to_none=True)
    return int(counter.get_total_flops())
