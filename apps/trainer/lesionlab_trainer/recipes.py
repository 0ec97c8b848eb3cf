"""Training recipes: named, versioned sequences of training stages (libs/contracts/recipes/training-recipes.json,
shared with the platform). `run_recipe` trains each stage in turn, emitting `stage` events around the stage's
own progress events, and writes the final model file with the recipe's inference settings and provenance.

A stage with `"model": "medsam-lite"` (a refiner: the last stage, once at most) fine-tunes medsam-lite on the run's
release as the medsam-lite preset does (medsam/preset.py, from the shipped weights, its own settings only); the
final model file then carries its weights beside the segmentation model's, and the recipe's `inference.refine`
tells evaluate and predict how to redraw each lesion with it (refine.py)."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from lesionlab_trainer.config import load_config
from lesionlab_trainer.contracts import schemas_dir
from lesionlab_trainer.events import EventSink
from lesionlab_trainer.inference_settings import InferenceSettings
from lesionlab_trainer.models.registry import PRESETS
from lesionlab_trainer.training.checkpoint import average_states, load_checkpoint

DATA_ROLES = ("main", "pretrain")
STAGE_KEYS = {"name", "description", "data", "init", "steps", "batch_size", "members", "settings", "model"}
REFINER_MODEL = "medsam-lite"
RECIPE_KEYS = {"name", "version", "model", "image_size", "description", "stages", "inference"}


def recipes_file() -> Path:
    return schemas_dir().parent / "recipes" / "training-recipes.json"


@dataclass(frozen=True)
class Stage:
    name: str
    description: str
    data: str
    init: str | None
    steps: int
    batch_size: int
    members: int  # > 1: that many trainings with seeds seed, seed+1, ..., their weights averaged (a model soup)
    settings: dict
    model: str | None = None  # REFINER_MODEL: a refiner stage; None: the recipe's model

    @property
    def refiner(self) -> bool:
        return self.model == REFINER_MODEL

    @classmethod
    def from_dict(cls, data: dict, where: str) -> Stage:
        unknown = set(data) - STAGE_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
        if data.get("data") not in DATA_ROLES:
            raise ValueError(f"{where}: data must be one of {list(DATA_ROLES)}")
        if data.get("init") not in (None, "previous"):
            raise ValueError(f"{where}: init must be 'previous' or absent")
        members = int(data.get("members", 1))
        if members < 1:
            raise ValueError(f"{where}: members must be >= 1")
        model = data.get("model")
        if model not in (None, REFINER_MODEL):
            raise ValueError(f"{where}: model must be {REFINER_MODEL!r} (a refiner stage) or absent")
        if model and (data.get("init") or members != 1 or data["data"] != "main"):
            raise ValueError(f"{where}: a refiner stage trains one medsam-lite on the main release from its shipped "
                             "weights (no init, no members)")
        stage = cls(data["name"], data.get("description", ""), data["data"], data.get("init"), int(data["steps"]),
                    int(data["batch_size"]), members, dict(data.get("settings", {})), model)
        if stage.refiner:
            from lesionlab_trainer.medsam.preset import preset_settings

            try:  # refused when the recipe loads, not after the stages before it have trained
                preset_settings(stage.overrides())
            except ValueError as error:
                raise ValueError(f"{where}: {error}") from None
        return stage

    def overrides(self, member: int = 0) -> list[str]:
        settings = dict(self.settings)
        if member:
            settings["seed"] = int(settings.get("seed", 0)) + member
        return [f"{key}={json.dumps(value)}" for key, value in settings.items()]


@dataclass(frozen=True)
class Recipe:
    name: str
    version: int
    model: str
    image_size: int
    description: str
    stages: tuple[Stage, ...]
    inference: InferenceSettings

    @property
    def data_roles(self) -> set[str]:
        return {stage.data for stage in self.stages}

    @classmethod
    def from_dict(cls, data: dict) -> Recipe:
        where = f"recipe {data.get('name')!r} v{data.get('version')}"
        unknown = set(data) - RECIPE_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
        if data.get("model") not in PRESETS:
            raise ValueError(f"{where}: model must be one of {list(PRESETS)}")
        stages = tuple(Stage.from_dict(s, f"{where} stage {i}") for i, s in enumerate(data.get("stages", [])))
        if not stages:
            raise ValueError(f"{where}: has no stages")
        if stages[0].init:
            raise ValueError(f"{where}: the first stage has no previous stage to start from")
        refiners = [stage for stage in stages if stage.refiner]
        if refiners and (len(refiners) > 1 or not stages[-1].refiner or len(stages) == 1):
            raise ValueError(f"{where}: a refiner stage comes once, last, after the stages that train the model")
        inference = InferenceSettings.from_dict(data.get("inference"))
        if bool(refiners) != (inference.refine is not None):
            raise ValueError(f"{where}: a refiner stage and inference.refine come together")
        return cls(data["name"], int(data["version"]), data["model"], int(data.get("image_size", 512)),
                   data.get("description", ""), stages, inference)


def load_recipes(path: Path | None = None) -> list[Recipe]:
    document = json.loads(Path(path or recipes_file()).read_text())
    recipes = [Recipe.from_dict(entry) for entry in document["recipes"]]
    seen = set()
    for recipe in recipes:
        if (recipe.name, recipe.version) in seen:
            raise ValueError(f"recipe {recipe.name} v{recipe.version} is defined twice")
        seen.add((recipe.name, recipe.version))
    return recipes


def find_recipe(name: str, version: int | None = None, path: Path | None = None) -> Recipe:
    """`name` at `version`, or its newest version."""
    candidates = [r for r in load_recipes(path) if r.name == name]
    if not candidates:
        raise ValueError(f"no recipe named {name!r} (known: {sorted({r.name for r in load_recipes(path)})})")
    if version is None:
        return max(candidates, key=lambda r: r.version)
    for recipe in candidates:
        if recipe.version == version:
            return recipe
    raise ValueError(f"recipe {name!r} has no version {version} (known: {sorted(r.version for r in candidates)})")


def stage_config(recipe: Recipe, stage: Stage, overrides: list[str], init: Path | None, device: str | None,
                 cache_dir: str | None = None, member: int = 0):
    """The stage's TrainConfig: its own settings, then the caller's overrides; model, sizes and the starting
    weights are the recipe's and are not overridable."""
    for item in overrides:
        key = item.split("=", 1)[0].strip()
        if key in ("model", "steps", "batch_size", "image_size", "epochs", "init_checkpoint"):
            raise ValueError(f"the recipe sets {key}; a recipe run cannot override it")
    return load_config(None, [*stage.overrides(member), *overrides], model=recipe.model, steps=stage.steps,
                       batch_size=stage.batch_size, image_size=recipe.image_size, device=device,
                       init_checkpoint=str(init) if init else None, cache_dir=cache_dir)


def train_member(recipe: Recipe, stage: Stage, member: int, manifest: Path, out: Path, sink: EventSink,
                 overrides: list[str], init: Path | None, device: str | None, data_root: Path | None = None,
                 cache_dir: str | None = None, keep_raw: bool = False) -> dict:
    """One training of a stage (member 0, or a further seed of a soup) into `out`; with `keep_raw` and a moving
    average, the un-averaged weights go to model-raw.pt beside model.pt."""
    from lesionlab_trainer.training.trainer import Trainer

    config = stage_config(recipe, stage, overrides, init, device, cache_dir, member)
    trainer = Trainer(config, manifest, out, sink, data_root)
    summary = trainer.run()
    if keep_raw and trainer.ema and trainer.ctx.is_main:
        trainer.save_weights("model-raw.pt", raw=True)
    return summary


def average_models(paths: list[Path], out: Path) -> Path:
    """A model file whose floating-point tensors are the mean of the given files' (same architecture)."""
    payloads = [load_checkpoint(p) for p in paths]
    payloads[0]["model"] = average_states([p["model"] for p in payloads])
    torch.save(payloads[0], out.with_suffix(".tmp"))
    out.with_suffix(".tmp").replace(out)
    return out


def run_stage(recipe: Recipe, index: int, manifest: Path, out: Path, sink: EventSink, overrides: list[str],
              init: Path | None, device: str | None, data_root: Path | None = None,
              cache_dir: str | None = None) -> dict:
    """Trains one stage into `out` (its model: out/model.pt), between a `started` and a `finished` stage event;
    returns the stage's seconds and final loss."""
    stage = recipe.stages[index]
    common = {"recipe": recipe.name, "version": recipe.version, "name": stage.name, "index": index,
              "total": len(recipe.stages)}
    sink.emit("stage", state="started", description=stage.description, **common)
    started = time.perf_counter()
    if stage.refiner:
        summary = train_refiner(stage, manifest, out, sink, device, data_root)
    elif stage.members == 1:
        summary = train_member(recipe, stage, 0, manifest, out, sink, overrides, init, device, data_root, cache_dir)
    else:
        models = []
        for member in range(stage.members):
            sink.log(f"stage {stage.name}: member {member + 1} of {stage.members}")
            summary = train_member(recipe, stage, member, manifest, out / f"member{member}", sink, overrides, init,
                                   device, data_root, cache_dir)
            models.append(out / f"member{member}" / "model.pt")
        if int(os.environ.get("RANK", "0")) == 0:
            average_models(models, out / "model.pt")
    seconds = time.perf_counter() - started
    sink.emit("stage", state="finished", seconds=seconds, **common)
    return {"seconds": seconds, "final_loss": summary["final_loss"]}


def train_refiner(stage: Stage, manifest: Path, out: Path, sink: EventSink, device: str | None,
                  data_root: Path | None) -> dict:
    """A refiner stage: the medsam-lite preset's fine-tune (out/model.pt, an fp16 state dict)."""
    from lesionlab_trainer.medsam.preset import run_preset

    run_preset(manifest, data_root, out, sink, steps=stage.steps, batch_size=stage.batch_size, image_size=None,
               overrides=stage.overrides(), device=device, init_checkpoint=None)
    return {"final_loss": None}


def write_recipe_model(recipe: Recipe, stage_model: Path, path: Path, refiner: Path | None = None) -> Path:
    """The last model stage's file plus the recipe's inference settings, name/version and refiner weights."""
    payload = load_checkpoint(stage_model)
    if refiner is not None:
        payload["refiner"] = load_checkpoint(refiner)
    payload["inference"] = recipe.inference.to_dict()
    payload["recipe"] = {"name": recipe.name, "version": recipe.version}
    torch.save(payload, path.with_suffix(".tmp"))
    path.with_suffix(".tmp").replace(path)
    return path


def run_recipe(recipe: Recipe, manifests: dict[str, Path], out: Path, sink: EventSink, overrides: list[str],
               device: str | None = None, data_roots: dict[str, Path] | None = None) -> dict:
    missing = sorted(recipe.data_roles - set(manifests))
    if missing:
        flags = ", ".join(f"--{role}-manifest" if role != "main" else "--manifest" for role in missing)
        raise ValueError(f"recipe {recipe.name} v{recipe.version} needs {flags}")
    out.mkdir(parents=True, exist_ok=True)
    sink.log(f"recipe {recipe.name} v{recipe.version}: {len(recipe.stages)} stages "
             f"({', '.join(s.name for s in recipe.stages)})")
    previous: Path | None = None
    refiner: Path | None = None
    stages = []
    cache_dir = str(out / "cache")  # one decoded-data cache for every stage
    main_rank = int(os.environ.get("RANK", "0")) == 0
    for index, stage in enumerate(recipe.stages):
        if stage.refiner and not main_rank:
            break  # the last stage, on one GPU: the other ranks have nothing left to do
        init = previous if stage.init == "previous" else None
        root = (data_roots or {}).get(stage.data)
        summary = run_stage(recipe, index, manifests[stage.data], out / stage.name, sink, overrides, init, device,
                            root, cache_dir)
        if stage.refiner:
            refiner = out / stage.name / "model.pt"
        else:
            previous = out / stage.name / "model.pt"  # written by rank 0 before the next stage's ranks meet
        stages.append({"name": stage.name, "seconds": summary["seconds"], "final_loss": summary["final_loss"]})
    model = out / "model.pt"
    if main_rank:
        write_recipe_model(recipe, previous, model, refiner)
        sink.artifact("model", str(model))
    return {"recipe": recipe.name, "version": recipe.version, "model": str(model), "stages": stages,
            "inference": recipe.inference.to_dict()}
