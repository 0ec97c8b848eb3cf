"""Named model configurations and the factory that builds them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from torch import nn

from lesionlab_trainer.models.jcs import ClassifierJCS, JointJCS, SegmentationJCS
from lesionlab_trainer.models.res2net import RES2NET101_LAYERS


@dataclass(frozen=True)
class ModelSpec:
    arch: str  # joint | seg | cls
    width: float = 1.0
    res2net_layers: tuple[int, ...] = RES2NET101_LAYERS
    gpd_group_width: int = 16
    norm: str = "bn"
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["res2net_layers"] = list(self.res2net_layers)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ModelSpec:
        data = dict(data)
        data["res2net_layers"] = tuple(data["res2net_layers"])
        return cls(**data)


LITE = dict(width=0.125, res2net_layers=(1, 1, 1, 1), gpd_group_width=4)

PRESETS: dict[str, ModelSpec] = {
    "jcs": ModelSpec("joint"),
    "jcs-seg": ModelSpec("seg"),
    "jcs-cls": ModelSpec("cls"),
    "jcs-lite": ModelSpec("joint", **LITE),
    "jcs-seg-lite": ModelSpec("seg", **LITE),
    "jcs-cls-lite": ModelSpec("cls", **LITE),
}
# LiteMedSAM fine-tuned for AI assist with box prompts (lesionlab_trainer.medsam.finetune), not a JCS network.
MEDSAM_PRESET = "medsam-lite"
MODEL_NAMES = (*PRESETS, MEDSAM_PRESET)


def resolve_spec(name: str, width: float | None = None, norm: str | None = None) -> ModelSpec:
    if name not in PRESETS:
        raise ValueError(f"unknown model {name!r}; expected one of {', '.join(MODEL_NAMES)}")
    spec = PRESETS[name]
    if width is not None:
        spec = replace(spec, width=width)
    if norm is not None:
        spec = replace(spec, norm=norm)
    return spec


def build_model(spec: ModelSpec) -> nn.Module:
    if spec.arch == "joint":
        return JointJCS(spec.width, spec.res2net_layers, spec.gpd_group_width, spec.norm)
    if spec.arch == "seg":
        return SegmentationJCS(spec.width, spec.gpd_group_width, spec.norm)
    if spec.arch == "cls":
        return ClassifierJCS(spec.width, spec.res2net_layers, spec.norm)
    raise ValueError(f"unknown architecture {spec.arch!r}")


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
