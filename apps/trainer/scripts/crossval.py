"""K-fold cross-validated segmentation Dice of training recipes on medseg-ct100 (the 50 Inf-Net training slices).

Each recipe's stages on data `main` train once per fold on the other folds' slices and are scored on the fold's
own; stages on the pretraining release see no medseg slice, so they train once and every fold and recipe shares
them. Identical trainings are shared between recipes: recipes that differ only in inference settings, or only in
the moving average (the averaged and the raw weights of one training), are scored from the same runs.

Besides each recipe, every row also gets a `+thr` row: the mask threshold of fold k chosen on the other folds'
held-out predictions only (grid 0.20..0.80), never on fold k. `--ensemble NAME=a+b` adds the mean of recipes a
and b's probability maps. Intervals: percentile bootstrap over the slices (1000 rounds); `delta_vs_first`: the
paired difference to the first recipe, bootstrapped over the same slices.

Usage (repo root): PYTHONPATH=apps/trainer python apps/trainer/scripts/crossval.py --data <medseg-ct100> \
    --out /tmp/cv --pretrain-manifest <infnet-pseudo manifest> --recipes-file <file> --recipe A --recipe B \
    [--jobs 3] [--ensemble E=A+B] [--results results.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch

from lesionlab_trainer.data.adapters import FILES_LINK, medseg_items
from lesionlab_trainer.data.cache import load_split
from lesionlab_trainer.data.manifest import read_manifest, write_manifest
from lesionlab_trainer.events import EventSink, json_safe
from lesionlab_trainer.inference import to_input, view_outputs
from lesionlab_trainer.metrics import bootstrap_interval, confusion_counts, slice_scores
from lesionlab_trainer.recipes import Recipe, Stage, average_models, load_recipes, train_member
from lesionlab_trainer.runtime import autocast, load_trained_model, pick_device

THRESHOLDS = np.round(np.arange(0.20, 0.801, 0.05), 2)


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


class Plan:
    """The trainings the recipes need, deduplicated. A training's key leaves out ema_decay: one training with a
    moving average serves both the averaged weights (model.pt) and the raw ones (model-raw.pt)."""

    def __init__(self, recipes: list[Recipe], folds: int, overrides: list[str], work: Path):
        self.work = work
        self.overrides = overrides
        self.tasks: dict[str, dict] = {}  # key -> training task
        self.soups: dict[str, list[tuple[str, bool]]] = {}  # key -> member models
        self.models: dict[tuple[str, int], tuple[str, bool]] = {}  # (recipe, fold) -> (final key, averaged?)
        self.levels: dict[str, int] = {}
        self.chains: dict[tuple[str, int], list[list[str]]] = {}  # (recipe, fold) -> training keys per stage
        for recipe in recipes:
            for fold in range(folds):
                self.chains[(recipe.name, fold)] = []
                self.models[(recipe.name, fold)] = self._chain(recipe, fold)
        for task in self.tasks.values():
            decays = {d for d in task.pop("decays") if d > 0}
            if len(decays) > 1:
                raise ValueError(f"recipes ask for one training with moving averages {sorted(decays)}")
            task["ema_decay"] = decays.pop() if decays else 0.0

    def _chain(self, recipe: Recipe, fold: int) -> tuple[str, bool]:
        previous: tuple[str, bool] | None = None
        for level, stage in enumerate(recipe.stages):
            decay = float(stage.settings.get("ema_decay", 0.0))
            settings = {k: v for k, v in stage.settings.items() if k != "ema_decay"}
            base = {"model": recipe.model, "size": recipe.image_size, "data": stage.data, "steps": stage.steps,
                    "batch": stage.batch_size, "settings": settings, "overrides": self.overrides,
                    "fold": fold if stage.data == "main" else None,
                    "init": previous if stage.init == "previous" else None}
            members = []
            for member in range(stage.members):
                # a soup member is the training of seed + member: the same key as a recipe with that seed
                seed = int(settings.get("seed", 0)) + member
                key = digest({**base, "settings": {**settings, "seed": seed}})
                task = self.tasks.setdefault(key, {"key": key, "recipe": recipe, "stage": stage, "member": member,
                                                   "fold": base["fold"], "init": base["init"], "decays": set()})
                task["decays"].add(decay)
                self.levels[key] = level
                members.append((key, decay > 0))
            self.chains[(recipe.name, fold)].append([key for key, _ in members])
            if stage.members == 1:
                previous = members[0]
            else:
                soup = digest({"soup": members})
                self.soups[soup] = members
                self.levels[soup] = level
                previous = (soup, False)
        return previous

    def model_file(self, ref: tuple[str, bool]) -> Path:
        key, averaged = ref
        if key in self.soups:
            return self.work / key / "model.pt"
        task = self.tasks[key]
        return self.work / key / ("model-raw.pt" if task["ema_decay"] and not averaged else "model.pt")


def run_task(task: dict, manifest: str, init: str | None, out: str, overrides: list[str], cache: str) -> float:
    """One training (in a worker process); returns its seconds."""
    stage: Stage = task["stage"]
    settings = {**stage.settings, "ema_decay": task["ema_decay"]}
    recipe = task["recipe"]
    stage = Stage(stage.name, stage.description, stage.data, stage.init, stage.steps, stage.batch_size, 1, settings)
    started = time.perf_counter()
    with open(Path(out) / "events.jsonl", "w") as events:
        train_member(recipe, stage, task["member"], Path(manifest), Path(out), EventSink("train", events),
                     overrides, Path(init) if init else None, None, cache_dir=cache, keep_raw=True)
    # A resumable checkpoint (weights, optimiser, moving average) is three model files' worth: dozens of them fill
    # a GPU machine's disk, and the plan only reads model.pt / model-raw.pt.
    shutil.rmtree(Path(out) / "checkpoints", ignore_errors=True)
    return time.perf_counter() - started


def fold_manifests(data: Path, out: Path, folds: int, seed: int) -> list[Path]:
    items = medseg_items(data)
    ordered = sorted(items, key=lambda i: hashlib.sha256(f"{seed}:{i['slice_id']}".encode()).hexdigest())
    paths = []
    for fold in range(folds):
        folder = out / f"fold{fold}"
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / FILES_LINK).exists():
            (folder / FILES_LINK).symlink_to(data, target_is_directory=True)
        test_ids = {i["slice_id"] for n, i in enumerate(ordered) if n % folds == fold}
        for item in items:
            item["split"] = "test" if item["slice_id"] in test_ids else "train"
        write_manifest(folder / "manifest.jsonl", items)
        paths.append(folder / "manifest.jsonl")
    return paths


def train_all(plan: Plan, manifests: dict, jobs: int, cache: str, log) -> dict[str, float]:
    """Runs the plan level by level (a stage starts from the previous level's models); returns seconds per key."""
    seconds: dict[str, float] = {}
    context = multiprocessing.get_context("spawn")
    for level in sorted(set(plan.levels.values())):
        tasks = [t for k, t in plan.tasks.items()
                 if plan.levels[k] == level and not (plan.work / k / "model.pt").exists()]
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(tasks) or 1)), mp_context=context) as pool:
            futures = {}
            for task in tasks:
                out = plan.work / task["key"]
                out.mkdir(parents=True, exist_ok=True)
                pretrain = task["stage"].data == "pretrain"
                manifest = manifests["pretrain"] if pretrain else manifests["folds"][task["fold"]]
                init = str(plan.model_file(task["init"])) if task["init"] else None
                futures[task["key"]] = pool.submit(run_task, task, str(manifest), init, str(out), plan.overrides, cache)
            for key, future in futures.items():
                seconds[key] = future.result()
                task = plan.tasks[key]
                log(f"trained {task['recipe'].name}/{task['stage'].name} member {task['member']} fold {task['fold']}: "
                    f"{seconds[key]:.0f} s")
        for soup, members in plan.soups.items():
            if plan.levels[soup] == level:
                (plan.work / soup).mkdir(parents=True, exist_ok=True)
                average_models([plan.model_file(m) for m in members], plan.work / soup / "model.pt")
    return seconds


class Predictions:
    """Held-out lesion probabilities per (model file, view), computed once and shared by the recipes using them."""

    def __init__(self, device, precision: str, batch_size: int):
        self.device, self.precision, self.batch_size = device, precision, batch_size
        self.maps: dict[tuple[str, str | None], np.ndarray] = {}
        self.seconds = 0.0

    def mean(self, model_file: Path, views: tuple[str, ...], images: np.ndarray) -> np.ndarray:
        missing = [v for v in (None, *views) if (str(model_file), v) not in self.maps]
        if missing:
            model, _, _ = load_trained_model(model_file, self.device)
            for view in missing:
                started = time.perf_counter()
                self.maps[(str(model_file), view)] = self._view(model, images, view)
                self.seconds += time.perf_counter() - started
            del model
        return np.mean([self.maps[(str(model_file), v)].astype(np.float32) for v in (None, *views)], axis=0)

    @torch.no_grad()
    def _view(self, model, images: np.ndarray, view: str | None) -> np.ndarray:
        parts = []
        for start in range(0, len(images), self.batch_size):
            batch = to_input(images[start:start + self.batch_size], self.device)
            with autocast(self.device, self.precision):
                seg, _ = view_outputs(model, batch, view)
            parts.append(torch.sigmoid(seg)[:, 0].cpu().numpy().astype(np.float16))
        return np.concatenate(parts)


def dice_of(probs: np.ndarray, masks: np.ndarray, threshold: float) -> np.ndarray:
    return slice_scores(confusion_counts(probs > threshold, masks > 0))["dice"]


def summarise(name: str, fold_probs: list[np.ndarray], fold_masks: list[np.ndarray], thresholds: list[float]) -> dict:
    dice = [dice_of(p, m, t) for p, m, t in zip(fold_probs, fold_masks, thresholds)]
    pooled = np.concatenate(dice)
    return {"recipe": name, "folds": len(dice), "per_fold": [float(np.nanmean(d)) for d in dice],
            "thresholds": thresholds, "cv_dice_mean": float(np.nanmean(pooled)),
            "cv_dice_ci95": bootstrap_interval(lambda idx: float(np.nanmean(pooled[idx])), len(pooled)),
            "per_slice": pooled}


def calibrated_thresholds(fold_probs: list[np.ndarray], fold_masks: list[np.ndarray]) -> list[float]:
    """Fold k's threshold: the grid value with the best mean Dice over the other folds' held-out slices."""
    scores = np.array([[np.nanmean(dice_of(p, m, t)) * len(p) for t in THRESHOLDS]
                       for p, m in zip(fold_probs, fold_masks)])  # (folds, thresholds): Dice sums
    total = scores.sum(0)
    return [float(THRESHOLDS[int(np.argmax(total - scores[k]))]) for k in range(len(fold_probs))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--recipes-file", help="default: the platform's recipes")
    parser.add_argument("--recipe", action="append", required=True, help="recipe name (newest version); repeat")
    parser.add_argument("--pretrain-manifest")
    parser.add_argument("--ensemble", action="append", default=[], metavar="NAME=A+B")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1, help="trainings of one level run this many at a time")
    parser.add_argument("--set", action="append", default=[], help="override a setting in every stage")
    parser.add_argument("--results", help="write the results JSON here too")
    parser.add_argument("--save-probs", type=Path, help="write each recipe's held-out probability maps here "
                        "(<recipe>-fold<k>.npz: slice ids and float16 maps; e.g. for scripts/cascade_cv.py)")
    args = parser.parse_args()
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    known = {r.name: r for r in sorted(load_recipes(Path(args.recipes_file) if args.recipes_file else None),
                                       key=lambda r: r.version)}
    recipes = [known[name] for name in args.recipe]
    out = Path(args.out)
    manifests = {"folds": fold_manifests(Path(args.data).resolve(), out, args.folds, args.seed)}
    if any("pretrain" in r.data_roles for r in recipes):
        if not args.pretrain_manifest:
            raise SystemExit("these recipes need --pretrain-manifest")
        manifests["pretrain"] = Path(args.pretrain_manifest)
    cache = str(out / "cache")
    tests = []
    for manifest_path in manifests["folds"]:  # decode every split once, before workers share the cache
        manifest = read_manifest(manifest_path)
        for size in sorted({r.image_size for r in recipes}):
            load_split(manifest.split("train"), manifest.root, size, Path(cache))
        tests.append((manifest, load_split(manifest.split("test"), manifest.root, recipes[0].image_size, Path(cache))))
    plan = Plan(recipes, args.folds, args.set, out / "trainings")
    started = time.perf_counter()
    seconds = train_all(plan, manifests, args.jobs, cache, log)
    train_wall = time.perf_counter() - started
    device = pick_device("auto")
    predictions = Predictions(device, "bf16" if device.type == "cuda" else "fp32", 16)
    masks = [np.asarray(arrays.masks) for _, arrays in tests]
    probs: dict[str, list[np.ndarray]] = {}
    for recipe in recipes:
        probs[recipe.name] = [predictions.mean(plan.model_file(plan.models[(recipe.name, k)]), recipe.inference.tta,
                                               np.asarray(tests[k][1].images)) for k in range(args.folds)]
    for spec in args.ensemble:
        name, members = spec.split("=", 1)
        probs[name] = [np.mean([probs[m][k] for m in members.split("+")], axis=0) for k in range(args.folds)]
    if args.save_probs:
        save_probs(args.save_probs, probs, [[r.slice_id for r in arrays.records] for _, arrays in tests])
    rows = []
    for name, fold_probs in probs.items():
        threshold = known[name].inference.threshold if name in known else 0.5
        rows.append(summarise(name, fold_probs, masks, [threshold] * args.folds))
        rows.append(summarise(f"{name}+thr", fold_probs, masks, calibrated_thresholds(fold_probs, masks)))
    card = torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu"
    for row in rows:
        base = row["recipe"].removesuffix("+thr")
        row["minutes"] = recipe_minutes(plan, base, args.folds, seconds) if base in known else None
        row["card"] = card
        first = rows[0]["per_slice"]
        diff = row["per_slice"] - first
        row["delta_vs_first"] = float(np.nanmean(diff))
        row["delta_vs_first_ci95"] = bootstrap_interval(lambda idx, diff=diff: float(np.nanmean(diff[idx])), len(diff))
    report = {"folds": args.folds, "slices": int(sum(len(m) for m in masks)), "card": card, "jobs": args.jobs,
              "train_wall_seconds": train_wall, "predict_seconds": predictions.seconds, "settings": args.set,
              "recipes": {r.name: {"version": r.version, "description": r.description} for r in recipes},
              "ensembles": args.ensemble,
              "results": [{k: v for k, v in row.items() if k != "per_slice"} for row in rows],
              "per_slice_dice": {row["recipe"]: row["per_slice"].tolist() for row in rows}}
    text = json.dumps(json_safe(report), indent=1)
    if args.results:
        Path(args.results).write_text(text)
    print(text, flush=True)


def save_probs(folder: Path, probs: dict[str, list[np.ndarray]], fold_ids: list[list[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, fold_probs in probs.items():
        for k, (maps, ids) in enumerate(zip(fold_probs, fold_ids)):
            np.savez_compressed(folder / f"{name}-fold{k}.npz", ids=np.array(ids), probs=maps.astype(np.float16))


def recipe_minutes(plan: Plan, name: str, folds: int, seconds: dict[str, float]) -> float | None:
    """Training minutes of one run of the recipe: per stage, its trainings' seconds (members summed), averaged
    over the folds (a shared stage counts once). None when a training was reused from an earlier run."""
    total = 0.0
    for stage in range(len(plan.chains[(name, 0)])):
        per_fold = [plan.chains[(name, k)][stage] for k in range(folds)]
        if any(key not in seconds for keys in per_fold for key in keys):
            return None
        total += float(np.mean([sum(seconds[key] for key in keys) for keys in per_fold]))
    return total / 60.0


if __name__ == "__main__":
    main()
