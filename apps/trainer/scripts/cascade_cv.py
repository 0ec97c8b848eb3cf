"""Cross-validated Dice of a JCS → medsam-lite cascade on medseg-ct100: JCS finds the lesions, medsam-lite redraws
each one inside the box around it.

    python apps/trainer/scripts/cascade_cv.py train --data <medseg-ct100> --weights shipped.pt --out DIR [--fold K]
    python apps/trainer/scripts/cascade_cv.py score --data <medseg-ct100> --weights shipped.pt [--medsam DIR] \
        --probs <crossval.py --save-probs folder> --recipe v2 --out results.json
    python apps/trainer/scripts/cascade_cv.py compare A.json B.json [--variant fuse-m0 ...]

Both use crossval.py's folds (same seed, same slices held out), so fold k's JCS maps (crossval.py
`--save-probs`) and fold k's medsam-lite fine-tune (`train`: finetune.fit with the preset's defaults on the other
folds' slices) never saw fold k. `score` draws, per held-out slice, one box around each component of the JCS
mask (threshold 0.5, components of at least boxscore.MIN_AREA_PX), widened by a margin, and scores:
- `jcs`: the JCS mask alone (crossval.py's figure);
- `replace-mM`: the union of medsam-lite's drafts, each clipped to its box;
- `fuse-mM`: inside the boxes the mean of the JCS probability and medsam-lite's (the highest of overlapping
  boxes'), outside them JCS's, cut at 0.5;
- `...-m8`: the boxes widened by 8 px a side; `...-boxviews`: each draft the mean of those from the box, the box
  narrowed by 4 px a side and widened by 4 (clipped to the box);
- `fuse-m0-twice`: fuse-m0, then boxes around the fused mask's components and their drafts fused with JCS's map;
- with `--hflip`, every draft averaged with the mirrored slice's;
- `oracle-gt-boxes`: medsam-lite with the ground truth's boxes (what the assist bench measures; an upper bound).
Without `--medsam`, every fold's refiner is `--weights` as given, not fine-tuned: what the fine-tune adds.
Intervals: percentile bootstrap over the 50 held-out slices; deltas paired against `jcs` on the same slices.
`compare` pairs two scorings of the same slices (e.g. two fine-tunes' on one recipe's maps): per variant, B - A.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from crossval import fold_manifests

from lesionlab_trainer.medsam import boxscore, finetune, network
from lesionlab_trainer.medsam.cpu_memory import refuse_oversized_cpu_batch
from lesionlab_trainer.medsam.prompts import decode_boxes
from lesionlab_trainer.medsam.slices import SliceSet, pack
from lesionlab_trainer.metrics import bootstrap_interval
from lesionlab_trainer.runtime import autocast, pick_device

BOX_VIEWS = (0, -4, 4)  # margins of the boxes whose drafts `...-boxviews` averages (the first one clips)
JCS_THRESHOLD = 0.5


def fold_slices(data: Path, work: Path, folds: int, seed: int, split: str) -> list[dict[str, np.ndarray]]:
    return [pack(m, None, (split,)) for m in fold_manifests(data.resolve(), work, folds, seed)]


def fold_files(folder: Path, k: int) -> tuple[Path, Path]:
    return folder / f"medsam-fold{k}-encoder.pt", folder / f"medsam-fold{k}-decoder.pt"


def train(args) -> None:
    device = pick_device("auto")
    refuse_oversized_cpu_batch(device, args.batch_size, finetune.BOXES_PER_SLICE)
    args.out.mkdir(parents=True, exist_ok=True)
    # trainings of single folds may run side by side: each writes the fold manifests into its own folder
    work = args.out / ("folds" if args.fold is None else f"folds-{args.fold}")
    for k, arrays in enumerate(fold_slices(args.data, work, args.folds, args.seed, "train")):
        encoder_file, decoder_file = fold_files(args.out, k)
        if decoder_file.exists() or args.fold not in (None, k):
            continue
        started = time.time()
        net = network.build(args.weights).to(device)
        finetune.fit(net, SliceSet.of(arrays).with_boxes(), device, steps=args.steps,
                     batch_size=args.batch_size, seed=args.seed + k, loosen=args.loosen)
        state = {key: value.half().cpu() for key, value in net.state_dict().items()}
        torch.save({key: v for key, v in state.items() if not key.startswith("image_encoder.")}, decoder_file)
        torch.save({key: v for key, v in state.items() if key.startswith("image_encoder.")}, encoder_file)
        print(json.dumps({"fold": k, "slices": len(arrays["names"]), "s": round(time.time() - started, 1)}), flush=True)


class Refiner:
    """medsam-lite drafts for boxes on one slice, optionally averaged with the mirrored slice's."""

    def __init__(self, net, image: torch.Tensor, hflip: bool, device: torch.device):
        self.net, self.side, self.device = net, image.shape[-1], device
        self.views = [net.image_encoder(finetune.network_input(image[None].to(device)))]
        if hflip:
            self.views.append(net.image_encoder(finetune.network_input(image.flip(-1)[None].to(device))))

    def logits(self, box: list[int]) -> torch.Tensor:
        """Logits [side, side] of the draft for box [x0, y0, x1, y1] (slice pixels)."""
        drafts = [self._draft(self.views[0], box)]
        if len(self.views) > 1:
            x0, y0, x1, y1 = box
            mirrored = [self.side - 1 - x1, y0, self.side - 1 - x0, y1]
            drafts.append(self._draft(self.views[1], mirrored).flip(-1))
        return torch.stack(drafts).mean(0)

    def _draft(self, embedding: torch.Tensor, box: list[int]) -> torch.Tensor:
        frame = torch.tensor([box], dtype=torch.float32, device=self.device) * (network.IMAGE_SIZE / self.side)
        logits, _ = decode_boxes(self.net, embedding, frame)
        return boxscore.upsample(logits[0, 0], self.side, self.side)


def widen(box: tuple[int, int, int, int], margin: int, side: int) -> list[int]:
    """The box moved out by `margin` px a side (in, when negative: never past its centre), within the slice."""
    x0, y0, x1, y1 = box
    margin = max(margin, -(min(x1 - x0, y1 - y0) // 2))
    return [max(0, x0 - margin), max(0, y0 - margin), min(side - 1, x1 + margin), min(side - 1, y1 + margin)]


def redraw(refiner: Refiner, prob: torch.Tensor, margins: tuple[int, ...]):
    """Boxes around the components of the JCS mask; per box, medsam-lite's draft from each margin's box averaged
    (logits). Returns the union of the drafts clipped to the first margin's boxes, the highest draft probability
    per pixel and the region the boxes cover."""
    side = prob.shape[-1]
    drawn = torch.zeros_like(prob, dtype=torch.bool)
    medsam_prob = torch.zeros_like(prob)
    region = torch.zeros_like(prob, dtype=torch.bool)
    for box in boxscore.component_boxes((prob > JCS_THRESHOLD).cpu().numpy()):
        logits = torch.stack([refiner.logits(widen(box, m, side)) for m in margins]).mean(0)
        inside = box_region(widen(box, margins[0], side), prob)
        drawn |= (logits > 0) & inside
        medsam_prob = torch.where(inside, torch.maximum(medsam_prob, torch.sigmoid(logits)), medsam_prob)
        region |= inside
    return drawn, medsam_prob, region


def box_region(box, like: torch.Tensor) -> torch.Tensor:
    """The pixels (bool, shaped and placed like `like`) of box [x0, y0, x1, y1]."""
    return boxscore.box_regions(torch.tensor([list(box)], device=like.device), *like.shape)[0]


def fuse(prob: torch.Tensor, medsam_prob: torch.Tensor, region: torch.Tensor) -> torch.Tensor:
    return torch.where(region, (prob + medsam_prob) / 2, prob)


def slice_variants(refiner: Refiner, prob: torch.Tensor, truth: np.ndarray) -> dict[str, np.ndarray]:
    out = {}
    for margins, name in (((0,), "m0"), ((8,), "m8"), (BOX_VIEWS, "boxviews")):
        drawn, medsam_prob, region = redraw(refiner, prob, margins)
        fused = fuse(prob, medsam_prob, region)
        out[f"replace-{name}"] = drawn.cpu().numpy()
        out[f"fuse-{name}"] = (fused > JCS_THRESHOLD).cpu().numpy()
        if name == "m0":  # a second pass: the boxes of the fused mask, the drafts fused with JCS's map again
            _, again, again_region = redraw(refiner, fused, margins)
            out["fuse-m0-twice"] = (fuse(prob, again, again_region) > JCS_THRESHOLD).cpu().numpy()
    oracle = torch.zeros_like(prob, dtype=torch.bool)
    for box in boxscore.component_boxes(truth):
        oracle |= (refiner.logits(list(box)) > 0) & box_region(box, prob)
    out["oracle-gt-boxes"] = oracle.cpu().numpy()
    return out


@torch.no_grad()
def score(args) -> None:
    device = pick_device("auto")
    per_slice: dict[str, list[float]] = {}
    per_fold: dict[str, list[float]] = {}
    names: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) if args.medsam is None else args.medsam / "folds"
        folds = fold_slices(args.data, work, args.folds, args.seed, "test")
    for k, arrays in enumerate(folds):
        saved = np.load(args.probs / f"{args.recipe}-fold{k}.npz")
        order = {name: i for i, name in enumerate(saved["ids"].tolist())}
        net = network.build(args.weights)
        if args.medsam is not None:
            encoder_file, decoder_file = fold_files(args.medsam, k)
            state = {**torch.load(encoder_file, weights_only=True), **torch.load(decoder_file, weights_only=True)}
            net.load_state_dict({key: value.float() for key, value in state.items()})
        net = net.to(device).eval()
        fold_scores: dict[str, list[float]] = {}
        for i, name in enumerate(arrays["names"].tolist()):
            prob = torch.as_tensor(saved["probs"][order[name]].astype(np.float32), device=device)
            truth = arrays["masks"][i] > 0
            image = torch.as_tensor(arrays["images"][i])
            masks = {"jcs": (prob > JCS_THRESHOLD).cpu().numpy()}
            with autocast(device, args.precision):
                masks.update(slice_variants(Refiner(net, image, args.hflip, device), prob, truth))
            for key, mask in masks.items():
                fold_scores.setdefault(key, []).append(boxscore.dice(mask, truth))
            names.append(name)
        for key, values in fold_scores.items():
            per_slice.setdefault(key, []).extend(values)
            per_fold.setdefault(key, []).append(float(np.mean(values)))
        print(json.dumps({"fold": k, **{key: round(v[-1], 4) for key, v in per_fold.items()}}), flush=True)
    base = np.array(per_slice["jcs"])
    rows = []
    for key, values in per_slice.items():
        dice = np.array(values)
        diff = dice - base
        rows.append({
            "variant": key,
            "cv_dice_mean": float(dice.mean()),
            "cv_dice_ci95": bootstrap_interval(lambda idx, d=dice: float(d[idx].mean()), len(dice)),
            "delta_vs_jcs": float(diff.mean()),
            "delta_vs_jcs_ci95": bootstrap_interval(lambda idx, d=diff: float(d[idx].mean()), len(diff)),
            "slices_better": int((diff > 0).sum()),
            "per_fold": per_fold[key],
        })
    card = torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu"
    report = {"recipe": args.recipe, "folds": args.folds, "card": card, "fine_tuned": args.medsam is not None,
              "hflip": args.hflip, "precision": args.precision, "results": rows, "slices": names,
              "per_slice_dice": {key: [round(v, 4) for v in values] for key, values in per_slice.items()}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    for row in rows:
        print(f"{row['variant']:24s} {row['cv_dice_mean']:.4f} {row['delta_vs_jcs']:+.4f} "
              f"{row['delta_vs_jcs_ci95']} better {row['slices_better']}", flush=True)


def compare(args) -> None:
    first, second = (json.loads(path.read_text()) for path in (args.first, args.second))
    if first["slices"] != second["slices"]:
        raise SystemExit(f"{args.first} and {args.second} score different slices: nothing to pair")
    shared = [variant for variant in first["per_slice_dice"] if variant in second["per_slice_dice"]]
    missing = sorted(set(args.variant or []) - set(shared))
    if missing:
        raise SystemExit(f"variant(s) {', '.join(missing)} not scored in both (both have: {', '.join(shared)})")
    for variant in args.variant or shared:
        a, b = (np.array(report["per_slice_dice"][variant]) for report in (first, second))
        diff = b - a
        interval = bootstrap_interval(lambda idx, d=diff: float(d[idx].mean()), len(diff))
        print(json.dumps({"variant": variant, "a": round(a.mean(), 4), "b": round(b.mean(), 4),
                          "delta": round(diff.mean(), 4), "delta_ci95": [round(v, 4) for v in interval],
                          "slices_better": int((diff > 0).sum())}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    pairing = commands.add_parser("compare")
    pairing.add_argument("first", type=Path, help="a `score` report (A)")
    pairing.add_argument("second", type=Path, help="a `score` report of the same slices (B)")
    pairing.add_argument("--variant", action="append", help="variants to pair (default: all of A's)")
    for name in ("train", "score"):
        command = commands.add_parser(name)
        command.add_argument("--data", type=Path, required=True, help="the medseg-ct100 folder crossval.py reads")
        command.add_argument("--weights", type=Path, required=True, help="medsam-lite's starting (shipped) weights")
        command.add_argument("--folds", type=int, default=5)
        command.add_argument("--seed", type=int, default=0, help="crossval.py's fold seed")
        command.add_argument("--out", type=Path, required=True)
    commands.choices["train"].add_argument("--steps", type=int, default=finetune.STEPS, help="fewer: a CPU smoke test")
    commands.choices["train"].add_argument("--batch-size", type=int, default=finetune.BATCH_SIZE)
    commands.choices["train"].add_argument("--fold", type=int, help="train this fold only (default: every fold)")
    commands.choices["train"].add_argument("--loosen", type=float, default=0.0,
                                           help="finetune.fit's loosen: training boxes' sides moved out by up to "
                                                "this share of the slice side more")
    scorer = commands.choices["score"]
    scorer.add_argument("--medsam", type=Path, help="the folder `train` wrote (left out: every fold's refiner is "
                                                    "--weights as they are, no fine-tune)")
    scorer.add_argument("--probs", type=Path, required=True)
    scorer.add_argument("--recipe", default="v2")
    scorer.add_argument("--hflip", action="store_true", help="average each draft with the mirrored slice's")
    scorer.add_argument("--precision", choices=["fp32", "bf16"], default="fp32", help="medsam-lite's precision")
    args = parser.parse_args()
    {"train": train, "score": score, "compare": compare}[args.command](args)


if __name__ == "__main__":
    main()
