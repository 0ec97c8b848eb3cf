"""Checkpoints that resume exactly: model, optimiser, scheduler, step and every RNG state.

Files are written to a temporary name and renamed, so a crash never leaves a truncated checkpoint.
`latest.json` names the newest complete checkpoint. Every file is read with `weights_only=True`: a
checkpoint holds only tensors and plain values (dicts, lists, tuples, str, numbers), so a crafted
pickle cannot run code when it is loaded.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import numpy as np
import torch

LATEST = "latest.json"


def _numpy_rng_state() -> dict:
    """numpy's generator state as a tensor and plain values (a numpy array is not loadable under weights_only)."""
    name, keys, position, has_gauss, cached_gaussian = np.random.get_state()
    return {"name": name, "keys": torch.from_numpy(keys.astype(np.int64)), "position": int(position),
            "has_gauss": int(has_gauss), "cached_gaussian": float(cached_gaussian)}


def _restore_numpy_rng(state: dict) -> None:
    np.random.set_state((state["name"], state["keys"].numpy().astype(np.uint32), state["position"],
                         state["has_gauss"], state["cached_gaussian"]))


def rng_state() -> dict:
    state = {"torch": torch.get_rng_state(), "numpy": _numpy_rng_state(), "python": random.getstate()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    _restore_numpy_rng(state["numpy"])
    random.setstate(state["python"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_checkpoint(folder: Path, step: int, payload: dict, keep: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"step-{step:08d}.pt"
    temporary = path.with_suffix(".pt.tmp")
    torch.save({**payload, "step": step, "rng": rng_state()}, temporary)
    os.replace(temporary, path)
    pointer = folder / f"{LATEST}.tmp"
    pointer.write_text(json.dumps({"path": path.name, "step": step}))
    os.replace(pointer, folder / LATEST)
    for old in sorted(folder.glob("step-*.pt"))[:-keep]:
        old.unlink()
    return path


def latest_checkpoint(folder: Path) -> Path | None:
    pointer = folder / LATEST
    if not pointer.is_file():
        return None
    path = folder / json.loads(pointer.read_text())["path"]
    return path if path.is_file() else None


class CheckpointError(ValueError):
    """A file that is not a checkpoint this trainer may load; the message names the file and why."""


def load_checkpoint(path: Path) -> dict:
    """Tensors and plain values only: anything else in the pickle is refused before it is built."""
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise
    except Exception as error:  # noqa: BLE001 - torch raises anything from IndexError to UnpicklingError on foreign bytes
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CheckpointError(
            f"{path.name} is not a checkpoint this trainer can load ({type(error).__name__}: {reason})"
        ) from error
    if not isinstance(payload, dict):
        raise CheckpointError(f"{path.name} holds a {type(payload).__name__}, not a checkpoint or state dict")
    return payload


def unwrap_state_dict(payload: dict) -> dict:
    """Accepts our checkpoints and foreign .pth files (plain state dicts or {'state_dict'|'model': ...})."""
    for key in ("model", "state_dict"):
        if key in payload and isinstance(payload[key], dict):
            payload = payload[key]
            break
    return {k.removeprefix("module.").removeprefix("_orig_mod."): v for k, v in payload.items()
            if isinstance(v, torch.Tensor)}


def load_weights(model: torch.nn.Module, path: Path) -> tuple[int, int]:
    """Loads the tensors whose names and shapes match; returns (loaded, total model tensors)."""
    source = unwrap_state_dict(load_checkpoint(path))
    target = model.state_dict()
    matched = {k: v for k, v in source.items() if k in target and target[k].shape == v.shape}
    model.load_state_dict(matched, strict=False)
    return len(matched), len(target)


def average_states(states: list[dict]) -> dict:
    """A weight soup: each floating-point tensor is the mean over `states` (same architecture); integer buffers
    such as batch-norm counters are the first state's."""
    return {
        key: torch.stack([state[key].float() for state in states]).mean(0).to(value.dtype)
        if value.is_floating_point()
        else value
        for key, value in states[0].items()
    }
