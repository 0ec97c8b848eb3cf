"""Training configuration: one dataclass, loaded from an optional JSON file plus `key=value` overrides,
validated at start-up so that a bad setting stops the run with a message naming it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

SUPERVISIONS = ("pixel", "patient", "negative")


@dataclass
class TrainConfig:
    model: str = "jcs"
    width: float | None = None  # overrides the preset's width multiplier
    norm: str | None = None  # bn | frozen_bn | gn; None keeps the preset's
    init_checkpoint: str | None = None  # local .pth/.pt to start from; nothing is ever downloaded
    image_size: int = 512
    batch_size: int = 16
    steps: int | None = None  # total optimiser steps; derived from epochs when None
    epochs: float = 60.0
    lr: float = 2.5e-5
    weight_decay: float = 1e-4
    warmup_steps: int = 200
    warmup_start_factor: float = 0.1
    poly_power: float = 0.9
    ema_decay: float = 0.0  # > 0: keep an exponential moving average of the weights; model.pt holds it
    sampling: dict[str, float] = field(default_factory=lambda: {"pixel": 0.5, "patient": 0.25, "negative": 0.25})
    seg_loss_weight: float = 1.0
    cls_loss_weight: float = 1.0
    negative_seg_weight: float = 1.0  # empty-mask segmentation loss on negative slices
    dice_smooth: float = 1.0
    crop_max_px: int = 16  # random border crop per side, in pixels at 512 (scaled with image_size)
    crop_p: float = 0.5
    flip_p: float = 0.5  # up-down flip
    hflip_p: float = 0.0  # left-right flip
    rotate_deg: float = 0.0  # random rotation within ±rotate_deg
    scale_jitter: float = 0.0  # random zoom within 1 ± scale_jitter
    intensity_jitter: float = 0.0  # random contrast 1 ± j and brightness ± j/2
    precision: str = "bf16"  # bf16 | fp32
    channels_last: bool = True
    compile: bool = False  # torch.compile each block of the network (models/regions.py)
    fused_optimizer: bool = True
    seed: int = 0
    checkpoint_every: int = 500
    keep_checkpoints: int = 2
    val_every: int = 0  # 0: only at the end
    log_every: int = 10
    cache_dir: str | None = None  # decoded-data cache; defaults to <out>/cache
    device: str = "auto"  # auto | cpu | cuda

    def validate(self) -> None:
        def fail(name: str, why: str) -> None:
            raise ValueError(f"config: {name} {why}")

        if self.image_size < 32 or self.image_size % 32:
            fail("image_size", "must be a positive multiple of 32")
        if self.batch_size < 1:
            fail("batch_size", "must be >= 1")
        if self.steps is not None and self.steps < 1:
            fail("steps", "must be >= 1")
        if self.lr <= 0:
            fail("lr", "must be > 0")
        if self.precision not in ("bf16", "fp32"):
            fail("precision", "must be bf16 or fp32")
        if self.device not in ("auto", "cpu", "cuda"):
            fail("device", "must be auto, cpu or cuda")
        if self.norm not in (None, "bn", "frozen_bn", "gn"):
            fail("norm", "must be bn, frozen_bn or gn")
        unknown = set(self.sampling) - set(SUPERVISIONS)
        if unknown:
            fail("sampling", f"has unknown supervision kinds {sorted(unknown)}")
        if any(v < 0 for v in self.sampling.values()) or sum(self.sampling.values()) <= 0:
            fail("sampling", "ratios must be >= 0 with a positive sum")
        if not 0.0 <= self.rotate_deg <= 180.0:
            fail("rotate_deg", "must be in [0, 180]")
        if not 0.0 <= self.scale_jitter < 1.0:
            fail("scale_jitter", "must be in [0, 1)")
        if not 0.0 <= self.intensity_jitter < 1.0:
            fail("intensity_jitter", "must be in [0, 1)")
        if not 0.0 <= self.ema_decay < 1.0:
            fail("ema_decay", "must be in [0, 1)")
        if self.checkpoint_every < 1:
            fail("checkpoint_every", "must be >= 1")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _parse_value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def load_config(path: str | None, overrides: list[str] | None = None, **explicit: Any) -> TrainConfig:
    """Reads `path` (JSON object), then applies `key=value` overrides (values parsed as JSON when possible),
    then the explicit keyword values that are not None."""
    data: dict[str, Any] = {}
    if path:
        data.update(json.loads(Path(path).read_text()))
    for item in overrides or []:
        if "=" not in item:
            raise ValueError(f"config override {item!r} must look like key=value")
        key, raw = item.split("=", 1)
        data[key.strip()] = _parse_value(raw)
    data.update({k: v for k, v in explicit.items() if v is not None})
    known = {f.name for f in fields(TrainConfig)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"config: unknown setting(s) {', '.join(unknown)}")
    config = TrainConfig(**data)
    config.validate()
    return config
