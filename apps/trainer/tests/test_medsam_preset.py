import io
import json
import subprocess
import sys

import pytest
import torch

from conftest import subset_manifest
from lesionlab_trainer.events import EventSink
from lesionlab_trainer.medsam.finetune import PRESET_SETTINGS, preset_settings, run_preset


def test_preset_settings_honour_known_names_and_accept_the_workers_checkpoint_default():
    settings = preset_settings(["lr=5e-05", "epochs=3", "precision=fp32", "checkpoint_every=100"])
    assert settings == {**PRESET_SETTINGS, "lr": 5e-05, "epochs": 3, "precision": "fp32"}


def test_preset_settings_refuse_what_the_preset_cannot_honour_by_name():
    with pytest.raises(ValueError, match="does not take the setting\\(s\\) width, crop_p"):
        preset_settings(["width=0.5", "crop_p=0.2"])
    with pytest.raises(ValueError, match="expected bf16 or fp32"):
        preset_settings(["precision=fp16"])


def trainer(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "lesionlab_trainer", *args], capture_output=True, text=True)
    assert result.returncode == 1
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_an_image_size_other_than_256_is_an_error_event(tmp_path, medseg_manifest):
    event = trainer(
        "train",
        "--model",
        "medsam-lite",
        "--manifest",
        str(medseg_manifest),
        "--out",
        str(tmp_path),
        "--image-size",
        "128",
    )
    assert event["type"] == "error"
    assert "256-px images only" in event["message"]


def test_bench_refuses_medsam_lite_and_names_its_bench():
    event = trainer("bench", "--model", "medsam-lite")
    assert event["type"] == "error"
    assert "npm run bench -- assist" in event["message"]


def test_steps_bound_the_fine_tune_and_without_a_val_split_the_last_step_is_kept(tmp_path, medseg_manifest):
    manifest = subset_manifest(medseg_manifest, tmp_path / "release", 4)
    stream = io.StringIO()
    best = run_preset(
        manifest,
        None,
        tmp_path / "out",
        EventSink("train", stream=stream),
        steps=2,
        batch_size=2,
        image_size=256,
        overrides=["precision=fp32", "checkpoint_every=100"],
        device="cpu",
        init_checkpoint=None,
    )
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    progress = [e for e in events if e["type"] == "progress"]
    assert [(e["step"], e["total_steps"]) for e in progress] == [(2, 2)]
    assert best == {"dice": None, "epoch": 1}
    assert {"type": "artifact", "kind": "model", "path": str(tmp_path / "out" / "model.pt")}.items() <= events[
        -1
    ].items()
    assert json.loads((tmp_path / "out" / "finetune.json").read_text())["steps"] == 2


def test_a_mask_threshold_shifts_the_exported_decoders_logits_by_it():
    from lesionlab_trainer.medsam import network
    from lesionlab_trainer.medsam.prompts import PromptDecoder

    net = network.build()
    embedding = torch.randn(1, 256, 64, 64)
    prompt = (embedding, torch.tensor([[40.0, 50.0, 120.0, 140.0]]), torch.zeros(1, 0, 2), torch.zeros(1, 0))
    with torch.no_grad():
        plain, score = PromptDecoder(net)(*prompt)
        shifted, shifted_score = PromptDecoder(net, mask_threshold=-2.5)(*prompt)
    assert torch.allclose(shifted, plain + 2.5)
    assert torch.equal(shifted_score, score)
