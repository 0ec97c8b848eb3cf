import io
import json
import re
import subprocess
import sys

import pytest
import torch

from conftest import subset_manifest
from lesionlab_trainer.events import EventSink
from lesionlab_trainer.medsam import finetune, network
from lesionlab_trainer.medsam.preset import PRESET_SETTINGS, preset_settings, run_preset


def test_preset_defaults_are_the_cross_validated_ones():
    assert (finetune.STEPS, finetune.BATCH_SIZE, finetune.LR, finetune.WEIGHT_DECAY) == (400, 16, 2e-4, 0.01)
    assert (finetune.BOXES_PER_SLICE, finetune.AUGMENT) == (4, True)
    assert PRESET_SETTINGS == {"epochs": None, "lr": 2e-4, "weight_decay": 0.01, "seed": 0, "precision": "bf16",
                               "loosen": 0.0}


def test_preset_settings_honour_known_names_and_accept_the_workers_checkpoint_default():
    settings = preset_settings(["lr=5e-05", "epochs=3", "precision=fp32", "checkpoint_every=100", "loosen=0.03"])
    assert settings == {**PRESET_SETTINGS, "lr": 5e-05, "epochs": 3, "precision": "fp32", "loosen": 0.03}


def test_preset_settings_refuse_what_the_preset_cannot_honour_by_name():
    with pytest.raises(ValueError, match="does not take the setting\\(s\\) width, crop_p"):
        preset_settings(["width=0.5", "crop_p=0.2"])
    with pytest.raises(ValueError, match="expected bf16 or fp32"):
        preset_settings(["precision=fp16"])
    with pytest.raises(ValueError, match="epochs=0: expected a positive number"):
        preset_settings(["epochs=0"])


@pytest.mark.parametrize("raw, shown", [("-0.01", "-0.01"), ("0.5", "0.5"), ("true", "True"), ('"0.03"', "'0.03'")])
def test_a_loosen_outside_a_quarter_of_the_side_or_not_a_number_is_refused(raw, shown):
    message = f"loosen={shown}: expected a share of the slice side from 0 to 0.25"
    with pytest.raises(ValueError, match=re.escape(message)):
        preset_settings([f"loosen={raw}"])


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


def _run(manifest, out, stream, **sizes):
    return run_preset(
        manifest,
        None,
        out,
        EventSink("train", stream=stream),
        image_size=None,
        overrides=["precision=fp32", "checkpoint_every=100", *sizes.pop("overrides", [])],
        device="cpu",
        init_checkpoint=None,
        **{"steps": None, "batch_size": None, **sizes},
    )


def _release(tmp_path, medseg_manifest, train: int, val: int):
    """The first `train` medseg slices in train and the next `val` in val."""
    train_part = subset_manifest(medseg_manifest, tmp_path / "train", train)
    val_part = subset_manifest(medseg_manifest, tmp_path / "val", train + val, split="val")
    lines = train_part.read_text().splitlines() + val_part.read_text().splitlines()[train:]
    train_part.write_text("".join(line + "\n" for line in lines))
    return train_part


def test_a_run_trains_the_steps_scores_val_before_and_after_and_reports_the_last_weights(tmp_path, medseg_manifest):
    manifest = _release(tmp_path, medseg_manifest, 3, 1)
    stream = io.StringIO()
    summary = _run(manifest, tmp_path / "out", stream, steps=1, batch_size=2)
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    progress = [e for e in events if e["type"] == "progress"]
    assert [(e["step"], e["total_steps"], e["epoch"]) for e in progress] == [(1, 1, pytest.approx(2 / 3))]
    metrics = [(e["name"], e["split"], e["step"]) for e in events if e["type"] == "metric"]
    assert metrics == [("val_box_dice", "val", 0), ("train_loss", "train", 1), ("val_box_dice", "val", 1)]
    val = [e["value"] for e in events if e["type"] == "metric" and e["name"] == "val_box_dice"]
    assert all(0 < value <= 1 for value in val)
    assert {"type": "artifact", "kind": "model", "path": str(tmp_path / "out" / "model.pt")}.items() <= events[
        -1
    ].items()
    assert summary == {
        "steps": 1,
        "batch_size": 2,
        "train_slices": 3,
        "val_slices": 1,
        "side": 512,
        "val_box_dice": val[-1],
    }
    state = torch.load(tmp_path / "out" / "model.pt", weights_only=True)
    assert all(tensor.dtype == torch.float16 for tensor in state.values())
    shipped = network.build().state_dict()
    assert state.keys() == shipped.keys()
    assert any(not torch.equal(state[k].float(), shipped[k].half().float()) for k in state)  # it trained


def test_epochs_count_passes_over_the_train_slices_when_no_steps_are_set(tmp_path, medseg_manifest):
    manifest = subset_manifest(medseg_manifest, tmp_path / "release", 3)
    stream = io.StringIO()
    summary = _run(manifest, tmp_path / "out", stream, batch_size=2, overrides=["epochs=0.5"])
    assert summary["steps"] == 1 and summary["val_box_dice"] is None  # ceil(0.5 * 3 / 2); no val split: no val Dice
    assert not [line for line in stream.getvalue().splitlines() if "val_box_dice" in line]


def test_the_loosen_setting_reaches_the_box_sampler(tmp_path, medseg_manifest, monkeypatch):
    drawn = []
    sample = finetune.sample_batch

    def recording(*args):
        drawn.append(args[-1])
        return sample(*args)

    monkeypatch.setattr(finetune, "sample_batch", recording)
    manifest = subset_manifest(medseg_manifest, tmp_path / "release", 2)
    _run(manifest, tmp_path / "out", io.StringIO(), steps=2, batch_size=1, overrides=["loosen=0.05"])
    assert drawn == [0.05, 0.05]


def test_a_release_without_masked_train_slices_is_refused(tmp_path, medseg_manifest):
    manifest = subset_manifest(medseg_manifest, tmp_path / "release", 2, split="val")
    with pytest.raises(ValueError, match="no masked slices in its train split"):
        _run(manifest, tmp_path / "out", io.StringIO(), steps=1, batch_size=2)


def test_a_release_whose_train_masks_hold_no_lesion_box_is_refused(tmp_path, medseg_manifest):
    import numpy as np
    from PIL import Image

    manifest = subset_manifest(medseg_manifest, tmp_path / "release", 1)
    item = json.loads(manifest.read_text())
    Image.fromarray(np.zeros((512, 512), dtype=np.uint8)).save(manifest.parent / "empty.png")
    manifest.write_text(json.dumps(dict(item, mask="empty.png")) + "\n")
    with pytest.raises(ValueError, match="none of the release's 1 masked train slices has a lesion of at least 50 px"):
        _run(manifest, tmp_path / "out", io.StringIO(), steps=1, batch_size=2)
