"""K-fold cross-validated box Dice of LiteMedSAM fine-tunes on medseg-ct100, scored as the assist bench scores.

    python -m lesionlab_trainer.medsam.crossval pack --medseg DIR [--pseudo-manifest M] --out data.npz
    python -m lesionlab_trainer.medsam.crossval run --data data.npz --out DIR [--folds 5] [--steps 200] ...

`pack` stores the medseg slices losslessly at their own size (the encoder sees exactly what the API's
encoder.onnx sees) with each slice's component boxes (boxscore.component_boxes), and optionally the
infnet-pseudo slices of a manifest in the 256-px frame with theirs. `run` (on a GPU machine) does, in order:

1. `shipped`: for each fold, fine-tune the shipped weights on the other folds' medseg slices and score the fold;
2. `pseudo`, if pseudo slices were packed: fine-tune on them once (they hold no medseg slice), then per fold as 1;
3. each recipe is trained again on all 50 slices (`pseudo` only if its cross-validated Dice, clipped at logit 0,
   beats `shipped`'s): the model to offer (its own medseg Dice is a training-set figure; the cross-validated
   one is the honest one).

Every held-out slice is scored exactly as `npm run bench -- assist` scores it (boxscore), both with the draft
clipped to its box (what the API does) and unclipped. The step count, learning rates and augmentation are
fixed before any fold is scored; Dice at earlier steps is logged as a learning curve only.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from lesionlab_trainer.medsam import boxscore, network
from lesionlab_trainer.medsam.finetune import load_packed, seg_loss
from lesionlab_trainer.medsam.prompts import decode

SIDE = network.IMAGE_SIZE
JITTER_FRACTION = 0.01  # box sides move by up to ±1% of the slice side (±5 px of 512), in and out
PSEUDO_MIN_AREA = 12  # 50 px of a 512 slice, in the 256-px frame


def _boxes_array(per_slice: list[list[tuple[int, int, int, int]]]) -> tuple[np.ndarray, np.ndarray]:
    """Ragged per-slice boxes as one [K, 4] array and [N + 1] offsets."""
    flat = [box for boxes in per_slice for box in boxes]
    offsets = np.cumsum([0] + [len(boxes) for boxes in per_slice])
    return np.array(flat, dtype=np.int32).reshape(-1, 4), offsets


def pack(medseg: Path, pseudo_manifest: Path | None, out: Path) -> dict:
    from PIL import Image

    names = sorted(p.name for p in (medseg / "images").glob("*.png"))
    images = np.stack([np.asarray(Image.open(medseg / "images" / n).convert("L")) for n in names])
    masks = np.stack(
        [(np.asarray(Image.open(medseg / "masks" / n.replace("_im_", "_mask_"))) == 1).astype(np.uint8) for n in names]
    )
    boxes, offsets = _boxes_array([boxscore.component_boxes(m) for m in masks])
    arrays = {"names": np.array(names), "images": images, "masks": masks, "boxes": boxes, "offsets": offsets}
    if pseudo_manifest is not None:
        # The pseudo slices stay in the fine-tune's own pack (256-px JPEG, bit-packed masks: small enough to
        # travel); their boxes and which slices have any come here.
        from lesionlab_trainer.medsam.finetune import pack as pack_256

        pack_256(pseudo_manifest, None, pseudo_path(out))
        _, p_masks, _ = load_packed(pseudo_path(out))
        per_slice = [boxscore.component_boxes(m.numpy(), PSEUDO_MIN_AREA) for m in p_masks]
        keep = np.flatnonzero([len(b) > 0 for b in per_slice])
        p_boxes, p_offsets = _boxes_array([per_slice[i] for i in keep])
        arrays.update(pseudo_keep=keep, pseudo_boxes=p_boxes, pseudo_offsets=p_offsets)
    np.savez_compressed(out, **arrays)
    pseudo = len(arrays["pseudo_keep"]) if "pseudo_keep" in arrays else 0
    return {"slices": len(names), "boxes": len(boxes), "pseudo_slices": pseudo, "bytes": out.stat().st_size}


def pseudo_path(out: Path) -> Path:
    return out.with_name(out.stem + "-pseudo.npz")


class SliceSet:
    """Grey slices [N, S, S] uint8, masks [N, S, S] and each slice's component boxes (slice pixels), on `device`."""

    def __init__(self, images, masks, boxes, offsets, device):
        self.images = torch.as_tensor(images).to(device)
        self.masks = torch.as_tensor(masks).to(device)
        self.boxes = [torch.as_tensor(boxes[a:b]).float() for a, b in zip(offsets[:-1], offsets[1:])]
        self.side = self.images.shape[-1]

    def subset(self, index: np.ndarray) -> SliceSet:
        other = SliceSet.__new__(SliceSet)
        other.images, other.masks = self.images[index], self.masks[index]
        other.boxes, other.side = [self.boxes[i] for i in index], self.side
        return other

    def __len__(self) -> int:
        return len(self.boxes)


def network_input(images: torch.Tensor) -> torch.Tensor:
    """uint8 [B, S, S] → the encoder's [B, 3, 256, 256], resized as encoder.onnx resizes (prompts.ImageEncoder)."""
    x = (images.float() / 255.0).unsqueeze(1).expand(-1, 3, -1, -1)
    return F.interpolate(x, size=(SIDE, SIDE), mode="bilinear", align_corners=False) if x.shape[-1] != SIDE else x


def sample_batch(data: SliceSet, pick: np.ndarray, generator: torch.Generator):
    """One random component box per slice, jittered, randomly mirrored; target = the lesion inside the box."""
    side = data.side
    jitter = max(1, round(JITTER_FRACTION * side))
    images, targets, boxes = [], [], []
    for i in pick:
        candidates = data.boxes[i]
        box = candidates[torch.randint(len(candidates), (1,), generator=generator).item()].clone()
        box += torch.randint(-jitter, jitter + 1, (4,), generator=generator) * torch.tensor([-1, -1, 1, 1])
        box = box.clamp(0, side - 1)
        box[2:] = torch.maximum(box[2:], box[:2] + 1).clamp(max=side - 1)
        image, mask = data.images[i], data.masks[i]
        if torch.rand(1, generator=generator).item() < 0.5:
            image, mask = image.flip(-1), mask.flip(-1)
            box = torch.stack([side - 1 - box[2], box[1], side - 1 - box[0], box[3]])
        x0, y0, x1, y1 = box.long().tolist()
        region = torch.zeros_like(mask)
        region[y0 : y1 + 1, x0 : x1 + 1] = 1
        images.append(image)
        targets.append((mask * region).float())
        boxes.append(box * (SIDE / side))
    device = data.images.device
    return torch.stack(images), torch.stack(targets).unsqueeze(1), torch.stack(boxes).to(device)


def fit(net, data: SliceSet, steps: int, batch_size: int, lr: float, seed: int, log=None, curve_at=(), score=None):
    """Fine-tunes `net` in place (AdamW, one-cycle; the image encoder at a fifth of `lr`)."""
    device = data.images.device
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(
        [
            {"params": net.image_encoder.parameters(), "lr": lr * 0.2},
            {"params": list(net.mask_decoder.parameters()) + list(net.prompt_encoder.parameters()), "lr": lr},
        ],
        weight_decay=0.01,
    )
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=[lr * 0.2, lr], total_steps=steps, pct_start=0.1)
    net.train()
    curve = {}
    order = np.array([], dtype=np.int64)
    for step in range(1, steps + 1):
        if len(order) < batch_size:
            order = np.concatenate([order, torch.randperm(len(data), generator=generator).numpy()])
        pick, order = order[:batch_size], order[batch_size:]
        images, targets, boxes = sample_batch(data, pick, generator)
        empty = torch.zeros(len(pick), 0, device=device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            embedding = net.image_encoder(network_input(images))
            logits, _ = decode(net, embedding, boxes, empty.unsqueeze(-1).expand(-1, -1, 2), empty)
        logits = boxscore.upsample(logits, data.side, data.side) if data.side != SIDE else logits.float()
        loss = seg_loss(logits, targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
        if log is not None and (step % 50 == 0 or step == steps):
            log({"step": step, "loss": round(loss.item(), 4)})
        if step in curve_at and score is not None:
            curve[step] = score()
            net.train()
    net.eval()
    return curve


@torch.no_grad()
def score(net, data: SliceSet, thresholds=(0.0,)) -> dict:
    """Per-slice bench Dice (drafts clipped to their box and not), at each logit threshold."""
    net.eval()
    device = data.images.device
    no_coords, no_labels = torch.zeros(1, 0, 2, device=device), torch.zeros(1, 0, device=device)
    out = {f"{kind}@{t:g}": [] for kind in ("clip", "noclip") for t in thresholds}
    side = data.side
    for i in range(len(data)):
        embedding = net.image_encoder(network_input(data.images[i : i + 1]))
        truth = data.masks[i].bool()
        united = {key: torch.zeros_like(truth) for key in out}
        for box in data.boxes[i]:
            frame = box.to(device).reshape(1, 4) * (SIDE / side)
            logits, _ = decode(net, embedding, frame, no_coords, no_labels)
            full = boxscore.upsample(logits[0, 0], side, side)
            x0, y0, x1, y1 = box.long().tolist()
            inside = torch.zeros_like(truth)
            inside[y0 : y1 + 1, x0 : x1 + 1] = True
            for t in thresholds:
                drawn = full > t
                united[f"clip@{t:g}"] |= drawn & inside
                united[f"noclip@{t:g}"] |= drawn
        for key, mask in united.items():
            total = int(mask.sum()) + int(truth.sum())
            out[key].append(1.0 if total == 0 else 2.0 * int((mask & truth).sum()) / total)
    return out


def folds_of(n: int, k: int) -> list[np.ndarray]:
    """Contiguous folds in manifest order (neighbouring medseg slices may come from one patient)."""
    return [part for part in np.array_split(np.arange(n), k)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    packer = commands.add_parser("pack")
    packer.add_argument("--medseg", type=Path, required=True)
    packer.add_argument("--pseudo-manifest", type=Path)
    packer.add_argument("--out", type=Path, required=True)
    runner = commands.add_parser("run")
    runner.add_argument("--data", type=Path, required=True)
    runner.add_argument("--out", type=Path, required=True)
    runner.add_argument("--folds", type=int, default=5)
    runner.add_argument("--steps", type=int, default=200)
    runner.add_argument("--batch-size", type=int, default=16)
    runner.add_argument("--lr", type=float, default=1e-4)
    runner.add_argument("--pseudo-epochs", type=float, default=8)
    runner.add_argument("--weights", type=Path, help="the starting weights (default: the shipped checkpoint)")
    runner.add_argument("--limit", type=int, help="use the first N medseg slices (a CPU smoke test)")
    runner.add_argument("--device", default="auto")
    runner.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.command == "pack":
        print(json.dumps(pack(args.medseg, args.pseudo_manifest, args.out)))
        return
    run(args)


def _event(**fields) -> None:
    print(json.dumps(fields), flush=True)


def run(args) -> None:
    device = torch.device(args.device if args.device != "auto" else ("cuda" if torch.cuda.is_available() else "cpu"))
    torch.backends.cudnn.allow_tf32 = False
    started = time.time()
    arrays = np.load(args.data)
    n = args.limit or len(arrays["names"])
    medseg = SliceSet(arrays["images"][:n], arrays["masks"][:n], arrays["boxes"], arrays["offsets"][: n + 1], device)
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "folds": args.folds,
        "steps": args.steps,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "recipes": {},
    }
    curve_at = tuple(s for s in (args.steps // 4, args.steps // 2) if s > 0)

    def zero_shot():
        per = score(network.build(args.weights).to(device), medseg, thresholds=(-1.0, 0.0))
        return {k: float(np.mean(v)) for k, v in per.items()}

    results["zero_shot"] = zero_shot()
    _event(stage="zero-shot", **results["zero_shot"], s=round(time.time() - started, 1))

    def fresh(start):
        net = network.build(args.weights).to(device)
        if start is not None:
            net.load_state_dict(start)
        return net

    def cross_validate(name: str, start) -> None:
        per_slice: dict[str, list] = {}
        curves: list[dict] = []
        for k, held in enumerate(folds_of(n, args.folds)):
            net = fresh(start)
            held_out = medseg.subset(held)
            curve = fit(
                net,
                medseg.subset(np.setdiff1d(np.arange(n), held)),
                args.steps,
                args.batch_size,
                args.lr,
                args.seed + k,
                curve_at=curve_at,
                score=lambda net=net, held_out=held_out: {
                    key: float(np.mean(v)) for key, v in score(net, held_out).items()
                },
            )
            fold = score(net, held_out, thresholds=(-1.0, -0.5, 0.0, 0.5))
            for key, values in fold.items():
                per_slice.setdefault(key, [None] * n)
                for i, value in zip(held, values):
                    per_slice[key][i] = value
            curves.append(curve)
            _event(
                stage=name,
                fold=k,
                **{key: round(float(np.mean(v)), 4) for key, v in fold.items()},
                s=round(time.time() - started, 1),
            )
        results["recipes"][name] = {
            "mean": {key: float(np.mean(v)) for key, v in per_slice.items()},
            "per_slice": {key: [round(x, 4) for x in v] for key, v in per_slice.items()},
            "learning_curve": curves,
        }
        _event(stage=f"{name}-cv", **{k: round(v, 4) for k, v in results["recipes"][name]["mean"].items()})
        save()

    def train_final(name: str, start) -> None:
        """The recipe trained on all the medseg slices, saved in two files (each under the 16 MiB a GPU
        machine hands back): the image encoder and the rest."""
        net = fresh(start)
        fit(
            net,
            medseg,
            args.steps,
            args.batch_size,
            args.lr,
            args.seed,
            log=lambda e: _event(stage=f"final-{name}", **e),
        )
        state = {k: v.half().cpu() for k, v in net.state_dict().items()}
        torch.save(
            {k: v for k, v in state.items() if k.startswith("image_encoder.")}, args.out / f"final-{name}-encoder.pt"
        )
        torch.save(
            {k: v for k, v in state.items() if not k.startswith("image_encoder.")},
            args.out / f"final-{name}-decoder.pt",
        )
        results.setdefault("final", {})[name] = {
            "slices": n,
            "train_dice": {k: float(np.mean(v)) for k, v in score(net, medseg).items()},
        }
        save()

    def save() -> None:
        results["seconds"] = round(time.time() - started, 1)
        (args.out / "crossval.json").write_text(json.dumps(results, indent=1) + "\n")

    # The shipped recipe's final model is saved before the pseudo stage runs, so that a run cut short by its
    # time limit still brings back a model.
    cross_validate("shipped", None)
    train_final("shipped", None)
    if "pseudo_keep" in arrays.files:
        p_images, p_masks, _ = load_packed(pseudo_path(args.data))
        keep, offsets = arrays["pseudo_keep"], arrays["pseudo_offsets"]
        if args.limit:
            keep, offsets = keep[: args.limit], offsets[: args.limit + 1]
        pseudo = SliceSet(p_images[keep], p_masks[keep], arrays["pseudo_boxes"], offsets, device)
        net = fresh(None)
        steps = max(1, math.ceil(args.pseudo_epochs * len(pseudo) / (2 * args.batch_size)))
        fit(net, pseudo, steps, 2 * args.batch_size, args.lr, args.seed, log=lambda e: _event(stage="pseudo", **e))
        start = {k: v.detach().clone() for k, v in net.state_dict().items()}
        results["pseudo_steps"] = steps
        _event(stage="pseudo-done", steps=steps, s=round(time.time() - started, 1))
        cross_validate("pseudo", start)
        if results["recipes"]["pseudo"]["mean"]["clip@0"] > results["recipes"]["shipped"]["mean"]["clip@0"]:
            train_final("pseudo", start)
    _event(stage="done", s=round(time.time() - started, 1))


if __name__ == "__main__":
    main()
