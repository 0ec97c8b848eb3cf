"""K-fold cross-validated box Dice of the medsam-lite fine-tune (finetune.fit, the preset's loop and defaults),
scored as the assist bench scores.

    python -m lesionlab_trainer.medsam.crossval pack --manifest M [--data-root R] --out data.npz
    python -m lesionlab_trainer.medsam.crossval run --data data.npz --out DIR [--folds 5] [--steps 400] ...

`pack` stores a manifest's masked slices (slices.pack: medseg-ct100's at their own 512², exactly what the API's
encoder.onnx sees) with each slice's component boxes; the file travels to a GPU machine. `run` does, in order:

1. for each fold, fine-tune the starting weights (`--weights`, default the shipped ones; e.g. a medsam-lite run's
   model.pt trained on a pseudo-labelled release) on the other folds' slices and score the fold;
2. train the same on all the slices: the model to offer (its Dice on them is a training-set figure; the
   cross-validated one is the honest one).

Every held-out slice is scored exactly as `npm run bench -- assist` scores it (finetune.score), both with the
draft clipped to its box (what the API does) and unclipped. The step count, learning rates and augmentation are
fixed before any fold is scored; Dice at a quarter and half of the steps is logged as a learning curve only.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from lesionlab_trainer.medsam import finetune, network
from lesionlab_trainer.medsam.cpu_memory import refuse_oversized_cpu_batch
from lesionlab_trainer.medsam.slices import SliceSet, pack
from lesionlab_trainer.runtime import pick_device
from lesionlab_trainer.training.checkpoint import average_states

SOUP_SEED_STRIDE = 1000  # soup member m of a fold seeded s trains with s + 1000 m: no seed shared with another fold


def folds_of(n: int, k: int) -> list[np.ndarray]:
    """Contiguous folds in manifest order (neighbouring medseg slices may come from one patient)."""
    return [part for part in np.array_split(np.arange(n), k)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    packer = commands.add_parser("pack")
    packer.add_argument("--manifest", type=Path, required=True)
    packer.add_argument("--data-root", type=Path)
    packer.add_argument("--out", type=Path, required=True)
    runner = commands.add_parser("run")
    runner.add_argument("--data", type=Path, required=True)
    runner.add_argument("--out", type=Path, required=True)
    runner.add_argument("--folds", type=int, default=5)
    runner.add_argument(
        "--run-folds",
        type=lambda text: [int(k) for k in text.split(",")],
        help="the folds to train and score, in this order (e.g. 2,3,4,0,1: the ones a stopped run missed first); "
        "default all. Each fold is seeded by its index, so a fold scores the same in any subset",
    )
    runner.add_argument("--steps", type=int, default=finetune.STEPS)
    runner.add_argument("--batch-size", type=int, default=finetune.BATCH_SIZE)
    runner.add_argument("--lr", type=float, default=finetune.LR)
    runner.add_argument("--weights", type=Path, help="the starting weights (default: the shipped checkpoint)")
    runner.add_argument("--recipe", default="shipped", help="the results' name for the starting weights")
    runner.add_argument("--limit", type=int, help="use the first N slices (a CPU smoke test)")
    runner.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    runner.add_argument("--seed", type=int, default=0)
    runner.add_argument("--boxes-per-slice", type=int, default=finetune.BOXES_PER_SLICE)
    runner.add_argument(
        "--augment",
        action=argparse.BooleanOptionalAction,
        default=finetune.AUGMENT,
        help="train with zoom, shift and shading (augment.py)",
    )
    runner.add_argument("--hflip", action="store_true", help="also score with the mirrored view averaged in")
    runner.add_argument("--cv-only", action="store_true", help="stop after the folds (no model to offer)")
    runner.add_argument(
        "--soup",
        type=int,
        default=1,
        help="also fine-tune N-1 more seeds per fold and score their weights averaged with the first's (keys soupN-)",
    )
    args = parser.parse_args(argv)
    if args.command == "pack":
        arrays = pack(args.manifest, args.data_root)
        np.savez_compressed(args.out, **arrays)
        print(
            json.dumps(
                {"slices": len(arrays["names"]), "boxes": len(arrays["boxes"]), "bytes": args.out.stat().st_size}
            )
        )
        return
    run(args)


def _event(**fields) -> None:
    print(json.dumps(fields), flush=True)


def run(args) -> None:
    device = pick_device(args.device)
    torch.backends.cudnn.allow_tf32 = False
    run_folds = args.run_folds if args.run_folds is not None else list(range(args.folds))
    if not run_folds or any(not 0 <= k < args.folds for k in run_folds) or len(set(run_folds)) != len(run_folds):
        raise ValueError(f"--run-folds {run_folds}: expected distinct fold indices from 0 to {args.folds - 1}")
    refuse_oversized_cpu_batch(device, args.batch_size, args.boxes_per_slice)
    started = time.time()
    arrays = np.load(args.data)
    n = args.limit or len(arrays["names"])
    slices = SliceSet.of(arrays, np.arange(n))
    if len(slices.with_boxes()) != n:
        raise ValueError(f"{args.data}: every slice cross-validated needs a lesion box (the bench scores them all)")
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "folds": args.folds,
        "steps": args.steps,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "soup": args.soup,
        "boxes_per_slice": args.boxes_per_slice,
        "augment": args.augment,
    }
    name = args.recipe
    curve_at = tuple(s for s in (args.steps // 4, args.steps // 2) if s > 0)

    def mean(per_slice: dict[str, list]) -> dict[str, float]:
        """Over the slices scored (a --run-folds subset leaves the others None)."""
        return {key: float(np.mean([x for x in values if x is not None])) for key, values in per_slice.items()}

    def train(net, data: SliceSet, seed: int, after_step=None) -> None:
        finetune.fit(
            net,
            data,
            device,
            steps=args.steps,
            batch_size=args.batch_size,
            lr=args.lr,
            seed=seed,
            boxes_per_slice=args.boxes_per_slice,
            augment=args.augment,
            after_step=after_step,
        )

    def soup_of(first, data: SliceSet, seed: int):
        """`first` (already trained with `seed`) averaged with args.soup - 1 more fine-tunes of other seeds."""
        states = [first.state_dict()]
        for member in range(1, args.soup):
            net = network.build(args.weights).to(device)
            train(net, data, seed + SOUP_SEED_STRIDE * member)
            states.append(net.state_dict())
        souped = network.build(args.weights).to(device)
        souped.load_state_dict(average_states(states))
        return souped.eval()

    results["zero_shot"] = mean(
        finetune.score(network.build(args.weights).to(device), slices, device, (-1.0, 0.0), hflip=args.hflip)
    )
    _event(stage="zero-shot", **results["zero_shot"], s=round(time.time() - started, 1))

    folds = folds_of(n, args.folds)
    results["run_folds"] = run_folds
    per_slice: dict[str, list] = {}
    curves: dict[int, dict] = {}
    for k in run_folds:
        held = folds[k]
        net = network.build(args.weights).to(device)
        held_out = slices.subset(held)
        curve: dict[int, dict] = {}

        def learning_curve(step: int, _loss, net=net, held_out=held_out, curve=curve) -> None:
            if step in curve_at:
                curve[step] = mean(finetune.score(net, held_out, device))

        training = slices.subset(np.setdiff1d(np.arange(n), held))
        train(net, training, args.seed + k, learning_curve)
        thresholds = (-1.0, -0.5, 0.0, 0.5)
        fold = finetune.score(net, held_out, device, thresholds=thresholds, hflip=args.hflip)
        if args.soup > 1:
            souped = finetune.score(
                soup_of(net, training, args.seed + k), held_out, device, thresholds=thresholds, hflip=args.hflip
            )
            fold.update({f"soup{args.soup}-{key}": values for key, values in souped.items()})
        for key, values in fold.items():
            per_slice.setdefault(key, [None] * n)
            for i, value in zip(held, values):
                per_slice[key][i] = value
        curves[k] = curve
        _event(
            stage=name, fold=k, **{key: round(v, 4) for key, v in mean(fold).items()}, s=round(time.time() - started, 1)
        )
    results["recipes"] = {
        name: {
            "mean": mean(per_slice),
            "per_slice": {key: [None if x is None else round(x, 4) for x in v] for key, v in per_slice.items()},
            "learning_curve": curves,
        }
    }
    _event(stage=f"{name}-cv", **{k: round(v, 4) for k, v in results["recipes"][name]["mean"].items()})
    save(args.out, results, started)
    if args.cv_only:
        return

    # The model to offer, saved in two files (each under the 16 MiB a GPU machine hands back): the image encoder
    # and the rest.
    net = network.build(args.weights).to(device)

    def log(step: int, loss) -> None:
        if step % 50 == 0 or step == args.steps:
            _event(stage=f"final-{name}", step=step, loss=round(loss.item(), 4))

    train(net, slices, args.seed, log)
    if args.soup > 1:
        net = soup_of(net, slices, args.seed)
    state = {k: v.half().cpu() for k, v in net.state_dict().items()}
    torch.save(
        {k: v for k, v in state.items() if k.startswith("image_encoder.")}, args.out / f"final-{name}-encoder.pt"
    )
    torch.save(
        {k: v for k, v in state.items() if not k.startswith("image_encoder.")}, args.out / f"final-{name}-decoder.pt"
    )
    results["final"] = {name: {"slices": n, "train_dice": mean(finetune.score(net, slices, device))}}
    save(args.out, results, started)
    _event(stage="done", s=round(time.time() - started, 1))


def save(out: Path, results: dict, started: float) -> None:
    results["seconds"] = round(time.time() - started, 1)
    (out / "crossval.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
