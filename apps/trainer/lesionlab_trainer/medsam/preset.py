"""`python -m lesionlab_trainer train --model medsam-lite`: fine-tunes LiteMedSAM on a release's masked train
slices with the one cross-validated loop (finetune.fit, its defaults) and reports the model to the run.

Events: the val split's bench box Dice (`val_box_dice`, finetune.score clipped at logit 0) before training, every
VAL_EVERY steps and at the end, if the release has masked val slices with lesions; `train_loss` and progress
every LOG_EVERY steps and at the end; then the artifact `model` (out/model.pt, the last step's weights as an fp16
state dict: the cross-validated recipe keeps its last step, not a val-chosen one).
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import torch

from lesionlab_trainer.events import EventSink
from lesionlab_trainer.medsam import finetune, network
from lesionlab_trainer.medsam.boxscore import MIN_AREA_PX
from lesionlab_trainer.medsam.cpu_memory import refuse_oversized_cpu_batch
from lesionlab_trainer.medsam.slices import SliceSet, pack
from lesionlab_trainer.runtime import pick_device

LOG_EVERY = 10
VAL_EVERY = 100

# The run settings the preset honours (defaults here). `epochs` (passes over the train slices) only counts when
# the run sets no steps; without either the preset trains finetune.STEPS steps. `checkpoint_every` is the
# worker's default for every run and is accepted, but the preset keeps no resumable checkpoints. `loosen` moves
# each side of a training box out by up to that share of the slice side more (finetune.sample_batch): for a refiner
# whose boxes come from a segmentation model's components, which are looser than the lesions.
PRESET_SETTINGS = {
    "epochs": None,
    "lr": finetune.LR,
    "weight_decay": finetune.WEIGHT_DECAY,
    "seed": 0,
    "precision": "bf16",
    "loosen": 0.0,
}
MAX_LOOSEN = 0.25
WORKER_SETTINGS = {"checkpoint_every"}


def preset_settings(overrides: list[str]) -> dict:
    """PRESET_SETTINGS updated by `key=value` overrides; a setting the preset cannot honour is refused by name."""
    from lesionlab_trainer.config import _parse_value

    settings = dict(PRESET_SETTINGS)
    refused = []
    for item in overrides:
        key, _, raw = item.partition("=")
        if key in PRESET_SETTINGS:
            settings[key] = _parse_value(raw)
        elif key not in WORKER_SETTINGS:
            refused.append(key)
    if refused:
        raise ValueError(
            f"medsam-lite does not take the setting(s) {', '.join(refused)} "
            f"(it takes {', '.join(PRESET_SETTINGS)}, plus --steps and --batch-size)"
        )
    if settings["precision"] not in ("bf16", "fp32"):
        raise ValueError(f"precision={settings['precision']!r}: expected bf16 or fp32")
    epochs = settings["epochs"]
    if epochs is not None and (isinstance(epochs, bool) or not isinstance(epochs, (int, float)) or epochs <= 0):
        raise ValueError(f"epochs={epochs!r}: expected a positive number")
    loosen = settings["loosen"]
    if isinstance(loosen, bool) or not isinstance(loosen, (int, float)) or not 0 <= loosen <= MAX_LOOSEN:
        raise ValueError(f"loosen={loosen!r}: expected a share of the slice side from 0 to {MAX_LOOSEN}")
    return settings


def training_slices(arrays: dict[str, np.ndarray]) -> tuple[SliceSet, SliceSet]:
    """The train and val splits' masked slices that have a box; refuses a release with nothing to train on."""
    splits = arrays["splits"]
    masked_train = int((splits == "train").sum())
    if masked_train == 0:
        raise ValueError("the release has no masked slices in its train split: medsam-lite has nothing to learn from")
    train = SliceSet.of(arrays, np.flatnonzero(splits == "train")).with_boxes()
    if len(train) == 0:
        raise ValueError(
            f"none of the release's {masked_train} masked train slices has a lesion of at least {MIN_AREA_PX} px: "
            "medsam-lite has no box to train on"
        )
    return train, SliceSet.of(arrays, np.flatnonzero(splits == "val")).with_boxes()


def run_preset(
    manifest: Path,
    data_root: Path | None,
    out: Path,
    sink: EventSink,
    *,
    steps: int | None,
    batch_size: int | None,
    image_size: int | None,
    overrides: list[str],
    device: str | None,
    init_checkpoint: Path | None,
) -> dict:
    """Packs the release's train and val slices, fine-tunes, and reports out/model.pt as the run's model."""
    if image_size is not None and image_size != finetune.SIDE:
        raise ValueError(
            f"medsam-lite takes {finetune.SIDE}-px images only (LiteMedSAM's fixed input), "
            f"not --image-size {image_size}"
        )
    settings = preset_settings(overrides)
    batch_size = batch_size or finetune.BATCH_SIZE
    target = pick_device(device or "auto")
    refuse_oversized_cpu_batch(target, batch_size, finetune.BOXES_PER_SLICE)
    train, val = training_slices(pack(manifest, data_root, ("train", "val")))
    if steps is None:
        epochs = settings["epochs"]
        steps = finetune.STEPS if epochs is None else max(1, math.ceil(epochs * len(train) / batch_size))
    torch.backends.cudnn.allow_tf32 = False  # as cross-validated: fp32 convolutions stay fp32
    net = network.build(init_checkpoint).to(target)
    if init_checkpoint is not None:
        sink.log(f"initialised all {len(net.state_dict())} tensors from {init_checkpoint}")

    def validate(step: int) -> float | None:
        if len(val) == 0:
            return None
        dice = float(np.mean(finetune.score(net, val, target)["clip@0"]))
        sink.metric("val_box_dice", dice, "val", step)
        return dice

    last = {"val_box_dice": validate(0)}
    started = time.time()

    def after_step(step: int, loss: torch.Tensor) -> None:
        if step % LOG_EVERY == 0 or step == steps:
            elapsed = time.time() - started
            sink.metric("train_loss", loss.item(), "train", step)
            sink.progress(
                step,
                steps,
                step * batch_size / len(train),
                step * batch_size / elapsed,
                elapsed / step * (steps - step),
            )
        if step % VAL_EVERY == 0 or step == steps:
            last["val_box_dice"] = validate(step)

    finetune.fit(
        net,
        train,
        target,
        steps=steps,
        batch_size=batch_size,
        lr=float(settings["lr"]),
        weight_decay=float(settings["weight_decay"]),
        seed=int(settings["seed"]),
        bf16=settings["precision"] == "bf16",
        loosen=float(settings["loosen"]),
        after_step=after_step,
    )
    out.mkdir(parents=True, exist_ok=True)
    torch.save({k: v.half().cpu() for k, v in net.state_dict().items()}, out / "model.pt")
    sink.artifact("model", str(out / "model.pt"))
    return {
        "steps": steps,
        "batch_size": batch_size,
        "train_slices": len(train),
        "val_slices": len(val),
        "side": train.side,
        **last,
    }
