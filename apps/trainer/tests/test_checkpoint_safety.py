"""Checkpoint loading never unpickles code: a crafted file is refused without running anything, while our
own checkpoints (resume), model files and foreign state-dict .pth releases still load."""

import pickle
import random
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest
import torch

from lesionlab_trainer.models.registry import build_model, resolve_spec
from lesionlab_trainer.runtime import load_trained_model
from lesionlab_trainer.training.checkpoint import (
    CheckpointError,
    load_checkpoint,
    load_weights,
    restore_rng,
    save_checkpoint,
)


class _TouchesAFile:
    """Unpickling this calls Path.touch(marker): code execution, if the loader allows it."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_pickle_with_a_malicious_reduce_is_refused_without_running(tmp_path):
    marker = tmp_path / "pwned"
    crafted = tmp_path / "crafted.pt"
    torch.save({"model": {"weight": torch.zeros(1)}, "payload": _TouchesAFile(marker)}, crafted)
    assert not marker.exists()

    with pytest.raises(CheckpointError, match=r"crafted\.pt is not a checkpoint.*UnpicklingError") as refused:
        load_checkpoint(crafted)
    assert isinstance(refused.value.__cause__, pickle.UnpicklingError)
    assert not marker.exists()

    model = build_model(resolve_spec("jcs-lite", None, None))
    with pytest.raises(CheckpointError):
        load_weights(model, crafted)
    assert not marker.exists()


@pytest.mark.parametrize("content", [b"this is not a checkpoint at all\n", b"", b"PK\x03\x04 truncated zip"])
def test_a_file_that_is_no_checkpoint_gets_an_error_naming_it(tmp_path, content):
    bogus = tmp_path / "model.pt"
    bogus.write_bytes(content)
    with pytest.raises(CheckpointError, match=r"^model\.pt is not a checkpoint this trainer can load \(\w+: .+\)$"):
        load_checkpoint(bogus)


def test_a_pickled_tensor_alone_is_not_a_checkpoint(tmp_path):
    lone = tmp_path / "tensor.pt"
    torch.save(torch.zeros(2), lone)
    with pytest.raises(CheckpointError, match="holds a Tensor, not a checkpoint"):
        load_checkpoint(lone)


def test_a_saved_checkpoint_loads_and_restores_every_rng_exactly(tmp_path):
    model = build_model(resolve_spec("jcs-lite", None, None))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    payload = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
               "config": {"lr": 1e-3, "sampling": {"pixel": 1.0}, "cache_dir": None}, "best_dice": 0.5}
    random.seed(1), np.random.seed(2), torch.manual_seed(3)
    np.random.normal()  # a cached Gaussian is part of numpy's state too
    path = save_checkpoint(tmp_path, 7, payload, keep=2)
    expected = (random.random(), np.random.random(), np.random.normal(), torch.rand(1).item())

    state = load_checkpoint(path)
    assert state["step"] == 7 and state["config"]["sampling"] == {"pixel": 1.0}
    restore_rng(state["rng"])
    assert (random.random(), np.random.random(), np.random.normal(), torch.rand(1).item()) == expected
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])


@pytest.mark.parametrize("wrap", ["plain", "state_dict", "module_prefix"])
def test_foreign_state_dict_releases_still_load(tmp_path, wrap):
    """The official JCS .pth files are state dicts (OrderedDict of tensors), sometimes wrapped or DataParallel-named."""
    source = build_model(resolve_spec("jcs-lite", None, None))
    weights = OrderedDict(source.state_dict())
    if wrap == "module_prefix":
        weights = OrderedDict((f"module.{k}", v) for k, v in weights.items())
    release = tmp_path / "release.pth"
    torch.save({"state_dict": weights, "epoch": 30} if wrap == "state_dict" else weights, release)

    target = build_model(resolve_spec("jcs-lite", None, None))
    loaded, total = load_weights(target, release)
    assert loaded == total
    for name, tensor in target.state_dict().items():
        assert torch.equal(tensor, source.state_dict()[name])


def test_trained_model_files_load_for_inference(tmp_path):
    spec = resolve_spec("jcs-lite", None, None)
    model = build_model(spec)
    path = tmp_path / "model.pt"
    torch.save({"model": model.state_dict(), "spec": spec.to_dict(), "image_size": 64}, path)
    loaded, loaded_spec, size = load_trained_model(path, torch.device("cpu"))
    assert loaded_spec == spec and size == 64
