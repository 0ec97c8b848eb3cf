"""Device, precision and memory-format choices shared by every command."""

from __future__ import annotations

import contextlib
from pathlib import Path

import torch
from torch import nn

from lesionlab_trainer.inference_settings import InferenceSettings
from lesionlab_trainer.models.inference_form import inference_form
from lesionlab_trainer.models.registry import ModelSpec, build_model
from lesionlab_trainer.training.checkpoint import load_checkpoint


def pick_device(requested: str, local_rank: int = 0) -> torch.device:
    if requested == "cuda" or (requested == "auto" and torch.cuda.is_available()):
        if not torch.cuda.is_available():
            raise RuntimeError("device cuda requested but no CUDA device is available")
        return torch.device("cuda", local_rank)
    return torch.device("cpu")


def autocast(device: torch.device, precision: str):
    if precision == "bf16":
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    return contextlib.nullcontext()


def memory_format(device: torch.device, channels_last: bool) -> torch.memory_format:
    return torch.channels_last if channels_last and device.type == "cuda" else torch.contiguous_format


def enable_fast_math(device: torch.device) -> None:
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True


def load_trained_model(path: Path, device: torch.device) -> tuple[nn.Module, ModelSpec, int]:
    """Loads a model file or training checkpoint written by this trainer; returns (model, spec, image size)."""
    return load_model_file(path, device)[:3]


def load_model_file(path: Path, device: torch.device) -> tuple[nn.Module, ModelSpec, int, InferenceSettings,
                                                               dict | None]:
    """As load_trained_model, plus the inference settings the file carries (a recipe's; plain ones otherwise) and
    the refiner's weights (recipes with a refiner stage; else None)."""
    payload = load_checkpoint(path)
    if "spec" not in payload:
        raise ValueError(f"{path} is not a LesionLab model/checkpoint (no 'spec'); use train --init-checkpoint")
    spec = ModelSpec.from_dict(payload["spec"])
    model = build_model(spec)
    model.load_state_dict(payload["model"])
    try:
        settings = InferenceSettings.from_dict(payload.get("inference"))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{path}: bad inference settings: {exc}") from exc
    refiner = payload.get("refiner")
    if settings.refine is not None and not isinstance(refiner, dict):
        raise ValueError(f"{path}: its inference settings refine the lesions, but it carries no refiner weights")
    return model.to(device).eval(), spec, int(payload["image_size"]), settings, refiner


def for_inference(model: nn.Module, device: torch.device, precision: str, compile: bool = False) -> nn.Module:
    """The form predict and evaluate run: normalisation folded into fused convolutions, channels-last on a GPU,
    cuDNN choosing its kernels by timing them (as `bench` measures); with `compile`, each block compiled (worth it
    on a GPU for large sets: the first batch of a shape compiles)."""
    enable_fast_math(device)
    fast = inference_form(model, precision, memory_format(device, True))
    if compile:
        from lesionlab_trainer.models.regions import compile_regions

        compile_regions(fast)
    return fast
