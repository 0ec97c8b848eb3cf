"""Fine-tunes LiteMedSAM on a release manifest with box prompts drawn from the masks (the `medsam-lite` preset).

    python -m lesionlab_trainer.medsam.finetune pack --manifest M [--data-root R] --out slices.npz
    python -m lesionlab_trainer.medsam.finetune train --slices slices.npz --out DIR [--weights W] [--epochs N]

`pack` reads the manifest's masked slices once into the network's 256-px frame (grey JPEG bytes and bit-packed
masks: small enough to move to a GPU machine); `train` fine-tunes the whole network on the train split and
keeps the epoch with the best Dice on the val split. Each step, every slice gets one box: the extent of one of
its lesion components (area >= MIN_COMPONENT_PX in the 256 frame, i.e. 50 px of a 512 slice), jittered by up
to JITTER_PX, and the target is every lesion pixel inside that box — what an annotator's box asks for. Writes
DIR/model.pt (fp16 state dict, weights only) and JSON-line events on stdout.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from lesionlab_trainer.events import EventSink
from lesionlab_trainer.medsam import network
from lesionlab_trainer.medsam.prompts import decode

SIDE = network.IMAGE_SIZE
MIN_COMPONENT_PX = 12
JITTER_PX = 3


def pack(manifest_path: Path, data_root: Path | None, out: Path) -> dict:
    from lesionlab_trainer.data.imageio import load_grey, load_mask
    from lesionlab_trainer.data.manifest import read_manifest

    manifest = read_manifest(manifest_path, data_root)
    records = [r for r in manifest.records if r.mask]
    jpegs, masks, splits = [], [], []
    for record in records:
        grey = load_grey(manifest.root / record.image, SIDE)
        buffer = io.BytesIO()
        Image.fromarray(grey).save(buffer, format="JPEG", quality=85)
        jpegs.append(np.frombuffer(buffer.getvalue(), dtype=np.uint8))
        masks.append(np.packbits(load_mask(manifest.root / record.mask, SIDE)))
        splits.append(record.split)
    offsets = np.cumsum([0] + [len(j) for j in jpegs])
    np.savez_compressed(
        out, jpeg=np.concatenate(jpegs), offsets=offsets, masks=np.stack(masks), splits=np.array(splits)
    )
    return {"slices": len(records), "bytes": out.stat().st_size}


def load_packed(path: Path) -> tuple[torch.Tensor, torch.Tensor, np.ndarray]:
    packed = np.load(path)
    jpeg, offsets = packed["jpeg"], packed["offsets"]
    images = np.stack(
        [
            np.asarray(Image.open(io.BytesIO(jpeg[a:b].tobytes())).convert("L"))
            for a, b in zip(offsets[:-1], offsets[1:])
        ]
    )
    masks = np.unpackbits(packed["masks"], axis=1)[:, : SIDE * SIDE].reshape(-1, SIDE, SIDE)
    return torch.from_numpy(images), torch.from_numpy(masks), packed["splits"]


def component_labels(masks: torch.Tensor, iterations: int = 2 * SIDE) -> torch.Tensor:
    """8-connected component labels of a batch of masks [B, H, W] (0 = background), by max-propagation."""
    index = torch.arange(1, masks[0].numel() + 1, device=masks.device, dtype=torch.float32).reshape(masks.shape[1:])
    labels = (index * masks).unsqueeze(1)
    fg = masks.unsqueeze(1).float()
    for _ in range(iterations):
        grown = F.max_pool2d(labels, 3, 1, 1) * fg
        if torch.equal(grown, labels):
            break
        labels = grown
    return labels.squeeze(1)


def box_prompts(
    masks: torch.Tensor, generator: torch.Generator | None, jitter: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """One box per mask (a random large-enough component's extent, jittered) and the lesion pixels inside it."""
    labels = component_labels(masks)
    boxes, targets = [], []
    ys, xs = torch.meshgrid(
        torch.arange(SIDE, device=masks.device), torch.arange(SIDE, device=masks.device), indexing="ij"
    )
    for mask, label in zip(masks, labels):
        ids, counts = torch.unique(label[label > 0], return_counts=True)
        ids = ids[counts >= MIN_COMPONENT_PX] if (counts >= MIN_COMPONENT_PX).any() else ids
        if len(ids) == 0:
            boxes.append(torch.tensor([0.0, 0.0, SIDE - 1.0, SIDE - 1.0], device=masks.device))
            targets.append(mask.float())
            continue
        pick = ids[torch.randint(len(ids), (1,), generator=generator).item()] if generator is not None else ids[0]
        inside = label == pick
        box = torch.stack([xs[inside].min(), ys[inside].min(), xs[inside].max(), ys[inside].max()]).float()
        if jitter:
            box = box + torch.randint(-jitter, jitter + 1, (4,), generator=generator).to(box.device) * torch.tensor(
                [-1, -1, 1, 1], device=box.device
            )
        box = box.clamp(0, SIDE - 1)
        x0, y0, x1, y1 = box.long().tolist()
        region = torch.zeros_like(mask, dtype=torch.float32)
        region[y0 : y1 + 1, x0 : x1 + 1] = 1
        boxes.append(box)
        targets.append(mask.float() * region)
    return torch.stack(boxes), torch.stack(targets).unsqueeze(1)


def seg_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    probs = torch.sigmoid(logits)
    dice = 1 - (2 * (probs * target).sum((1, 2, 3)) + 1) / (probs.sum((1, 2, 3)) + target.sum((1, 2, 3)) + 1)
    return F.binary_cross_entropy_with_logits(logits, target) + dice.mean()


def to_input(images: torch.Tensor) -> torch.Tensor:
    return (images.float() / 255.0).unsqueeze(1).expand(-1, 3, -1, -1)


@torch.no_grad()
def evaluate(net, images, masks, device, autocast: bool, batch_size=64) -> float:
    """Mean Dice over slices of the union of one draft per component (as the API bench scores)."""
    net.eval()
    scores = []
    for start in range(0, len(images), batch_size):
        batch_masks = masks[start : start + batch_size].to(device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=autocast):
            embedding = net.image_encoder(to_input(images[start : start + batch_size].to(device)))
        labels = component_labels(batch_masks)
        for i in range(len(batch_masks)):
            ids, counts = torch.unique(labels[i][labels[i] > 0], return_counts=True)
            ids = ids[counts >= MIN_COMPONENT_PX]
            united = torch.zeros((SIDE, SIDE), dtype=torch.bool, device=device)
            for pick in ids:
                ys, xs = torch.nonzero(labels[i] == pick, as_tuple=True)
                box = torch.stack([xs.min(), ys.min(), xs.max(), ys.max()]).float().reshape(1, 4)
                logits, _ = decode(
                    net,
                    embedding[i : i + 1].float(),
                    box,
                    torch.zeros(1, 0, 2, device=device),
                    torch.zeros(1, 0, device=device),
                )
                united |= logits[0, 0] > 0
            truth = batch_masks[i].bool()
            total = united.sum() + truth.sum()
            scores.append(1.0 if total == 0 else float(2 * (united & truth).sum() / total))
    net.train()
    return float(np.mean(scores))


def train(
    slices: Path,
    out: Path,
    weights: Path | None,
    epochs: float,
    batch_size: int,
    lr: float,
    device_name: str,
    eval_slices: Path | None,
    sink: EventSink,
    steps: int | None = None,
    weight_decay: float = 0.01,
    seed: int = 0,
    bf16: bool = True,
) -> dict:
    """Fine-tunes for `steps` optimiser steps if given, else `epochs` passes over the train split. Without a
    val split there is nothing to choose by: the last epoch is kept."""
    device = torch.device(device_name if device_name != "auto" else ("cuda" if torch.cuda.is_available() else "cpu"))
    autocast = bf16 and device.type == "cuda"
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    images, masks, splits = load_packed(slices)
    train_idx = np.flatnonzero(splits == "train")
    val_idx = np.flatnonzero(splits == "val")
    if len(train_idx) == 0:
        raise ValueError("the release has no masked slices in its train split: medsam-lite has nothing to learn from")
    extra = load_packed(eval_slices)[:2] if eval_slices else None
    net = network.build(weights).to(device).train()
    optimizer = torch.optim.AdamW(
        [
            {"params": net.image_encoder.parameters(), "lr": lr * 0.2},
            {"params": list(net.mask_decoder.parameters()) + list(net.prompt_encoder.parameters()), "lr": lr},
        ],
        weight_decay=weight_decay,
    )
    steps_per_epoch = max(1, len(train_idx) // batch_size)
    total_steps = steps or max(1, math.ceil(epochs * steps_per_epoch))
    epochs = math.ceil(total_steps / steps_per_epoch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=[lr * 0.2, lr], total_steps=total_steps, pct_start=0.1
    )

    def validate() -> float | None:
        return evaluate(net, images[val_idx], masks[val_idx], device, autocast) if len(val_idx) else None

    best = {"dice": validate(), "epoch": 0}
    if best["dice"] is not None:
        sink.metric("val_box_dice", best["dice"], "val", 0)
    out.mkdir(parents=True, exist_ok=True)
    torch.save({k: v.half().cpu() for k, v in net.state_dict().items()}, out / "model.pt")
    step = 0
    started = time.time()
    for epoch in range(1, epochs + 1):
        order = train_idx[torch.randperm(len(train_idx), generator=generator).numpy()]
        for batch in range(min(steps_per_epoch, total_steps - step)):
            pick = order[batch * batch_size : (batch + 1) * batch_size]
            image = images[pick].to(device)
            mask = masks[pick].to(device)
            if torch.rand(1, generator=generator).item() < 0.5:
                image, mask = image.flip(-1), mask.flip(-1)
            boxes, target = box_prompts(mask, generator, JITTER_PX)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=autocast):
                embedding = net.image_encoder(to_input(image))
                logits, _ = decode(
                    net,
                    embedding,
                    boxes,
                    torch.zeros(len(pick), 0, 2, device=device),
                    torch.zeros(len(pick), 0, device=device),
                )
            loss = seg_loss(logits.float(), target)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            step += 1
        dice = validate()
        sink.metric("train_loss", loss.item(), "train", step)
        if dice is not None:
            sink.metric("val_box_dice", dice, "val", step)
        if extra is not None:
            sink.metric("heldout_box_dice", evaluate(net, extra[0], extra[1], device, autocast), "test", step)
        elapsed = time.time() - started
        sink.progress(step, total_steps, epoch, step * batch_size / elapsed, elapsed / epoch * (epochs - epoch))
        if dice is None or dice > best["dice"]:
            best = {"dice": dice, "epoch": epoch}
            torch.save({k: v.half().cpu() for k, v in net.state_dict().items()}, out / "model.pt")
    (out / "finetune.json").write_text(
        json.dumps(
            {
                "best_epoch": best["epoch"],
                "val_box_dice": best["dice"],
                "epochs": epochs,
                "steps": step,
                "train_slices": int(len(train_idx)),
            }
        )
        + "\n"
    )
    return best


# The run settings the preset honours (defaults here); `checkpoint_every` is the worker's default for every
# run and is accepted, but the preset keeps its best epoch instead of resumable checkpoints.
PRESET_SETTINGS = {"epochs": 12, "lr": 1e-4, "weight_decay": 0.01, "seed": 0, "precision": "bf16"}
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
            f"(it takes {', '.join(PRESET_SETTINGS)}, plus --steps, --epochs and --batch-size)"
        )
    if settings["precision"] not in ("bf16", "fp32"):
        raise ValueError(f"precision={settings['precision']!r}: expected bf16 or fp32")
    return settings


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
    """`train --model medsam-lite`: packs the release, fine-tunes, and reports out/model.pt as the run's model."""
    if image_size is not None and image_size != SIDE:
        raise ValueError(
            f"medsam-lite takes {SIDE}-px images only (LiteMedSAM's fixed input), not --image-size {image_size}"
        )
    settings = preset_settings(overrides)
    out.mkdir(parents=True, exist_ok=True)
    packed = out / "slices.npz"
    pack(manifest, data_root, packed)
    best = train(
        packed,
        out,
        init_checkpoint,
        float(settings["epochs"]),
        batch_size or 32,
        float(settings["lr"]),
        device or "auto",
        None,
        sink,
        steps=steps,
        weight_decay=float(settings["weight_decay"]),
        seed=int(settings["seed"]),
        bf16=settings["precision"] == "bf16",
    )
    sink.artifact("model", str(out / "model.pt"))
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    packer = commands.add_parser("pack")
    packer.add_argument("--manifest", type=Path, required=True)
    packer.add_argument("--data-root", type=Path)
    packer.add_argument("--out", type=Path, required=True)
    trainer = commands.add_parser("train")
    trainer.add_argument("--slices", type=Path, required=True)
    trainer.add_argument("--out", type=Path, required=True)
    trainer.add_argument("--weights", type=Path, help="initial weights (default: the shipped checkpoint)")
    trainer.add_argument(
        "--eval-slices", type=Path, help="a packed set scored each epoch for the log only (never trained on)"
    )
    trainer.add_argument("--epochs", type=int, default=10)
    trainer.add_argument("--batch-size", type=int, default=32)
    trainer.add_argument("--lr", type=float, default=1e-4)
    trainer.add_argument("--device", default="auto")
    args = parser.parse_args(argv)
    sink = EventSink(f"medsam-{args.command}")
    if args.command == "pack":
        sink.done(**pack(args.manifest, args.data_root, args.out))
    else:
        sink.done(
            **train(
                args.slices,
                args.out,
                args.weights,
                args.epochs,
                args.batch_size,
                args.lr,
                args.device,
                args.eval_slices,
                sink,
            )
        )


if __name__ == "__main__":
    main()
