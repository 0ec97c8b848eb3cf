"""The training loop: mixed supervision, deterministic data order, exact resume, JSON-line events."""

from __future__ import annotations

import copy
import math
import time
from dataclasses import asdict
from functools import partial
from pathlib import Path

import torch
from torch.nn.parallel import DistributedDataParallel

from lesionlab_trainer.config import TrainConfig
from lesionlab_trainer.data.augment import AugmentSettings, apply_augmentation, augmentation_params
from lesionlab_trainer.data.cache import SUPERVISION_CODES, SliceArrays, load_split
from lesionlab_trainer.data.manifest import read_manifest
from lesionlab_trainer.data.sampler import MixedBatchSampler
from lesionlab_trainer.events import EventSink
from lesionlab_trainer.inference import score_slices, to_input
from lesionlab_trainer.metrics import roc_auc, segmentation_summary
from lesionlab_trainer.models.regions import compile_regions
from lesionlab_trainer.models.registry import build_model, count_parameters, resolve_spec
from lesionlab_trainer.runtime import autocast, enable_fast_math, memory_format, pick_device
from lesionlab_trainer.training.checkpoint import (
    latest_checkpoint,
    load_checkpoint,
    load_weights,
    restore_rng,
    save_checkpoint,
)
from lesionlab_trainer.training.distributed import barrier, init_distributed, mean_across, shutdown
from lesionlab_trainer.training.losses import LossWeights, mixed_loss
from lesionlab_trainer.training.schedule import lr_factor


def total_steps(config: TrainConfig, train_size: int) -> int:
    return config.steps or max(1, math.ceil(config.epochs * train_size / config.batch_size))


def _load_arrays(records, manifest, config: TrainConfig, cache_dir: Path, ctx) -> SliceArrays:
    if ctx.is_main:
        arrays = load_split(records, manifest.root, config.image_size, cache_dir)
    barrier(ctx)
    if not ctx.is_main:
        arrays = load_split(records, manifest.root, config.image_size, cache_dir)
    return arrays


def validate(model, arrays: SliceArrays, device, precision: str, batch_size: int) -> dict[str, float]:
    counts, probs = score_slices(model, arrays.images, arrays.masks, device, precision, batch_size)
    result = {}
    pixel = arrays.supervision == SUPERVISION_CODES["pixel"]
    if counts is not None and pixel.any():
        summary = segmentation_summary(counts[pixel])
        result.update({"dice": summary["dice_mean"], "dice_global": summary["dice_global"],
                       "iou": summary["iou_mean"]})
    known = arrays.labels >= 0
    if known.any():
        result["auc"] = roc_auc(probs[known], arrays.labels[known])
    return result


class Trainer:
    def __init__(self, config: TrainConfig, manifest_path: Path, out_dir: Path, sink: EventSink,
                 data_root: Path | None = None):
        self.config = config
        self.out = Path(out_dir)
        self.sink = sink
        probe = pick_device(config.device)
        self.ctx = init_distributed(probe.type)
        self.device = pick_device(config.device, self.ctx.local_rank)
        sink.enabled = sink.enabled and self.ctx.is_main
        if config.batch_size % self.ctx.world_size:
            raise ValueError(f"config: batch_size {config.batch_size} must divide by world size {self.ctx.world_size}")
        enable_fast_math(self.device)
        manifest = read_manifest(manifest_path, data_root)
        cache_dir = Path(config.cache_dir) if config.cache_dir else self.out / "cache"
        self.train_data = _load_arrays(manifest.split("train"), manifest, config, cache_dir, self.ctx)
        val_records = manifest.split("val")
        self.val_data = _load_arrays(val_records, manifest, config, cache_dir, self.ctx) if val_records else None
        self.spec = resolve_spec(config.model, config.width, config.norm)
        torch.manual_seed(config.seed)  # identical initial weights on every rank
        self.model = build_model(self.spec)
        if config.init_checkpoint:
            loaded, total = load_weights(self.model, Path(config.init_checkpoint))
            sink.log(f"initialised {loaded}/{total} tensors from {config.init_checkpoint}")
        self.format = memory_format(self.device, config.channels_last)
        self.model.to(self.device, memory_format=self.format)
        self.steps = total_steps(config, len(self.train_data))
        fused = config.fused_optimizer and self.device.type == "cuda"
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=config.lr, weight_decay=config.weight_decay,
                                          fused=fused or None)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, partial(
            lr_factor, total_steps=self.steps, warmup_steps=config.warmup_steps,
            start_factor=config.warmup_start_factor, power=config.poly_power))
        self.sampler = MixedBatchSampler(self.train_data.supervision, config.sampling, config.batch_size, config.seed)
        self.weights = LossWeights(config.seg_loss_weight, config.cls_loss_weight, config.negative_seg_weight,
                                   config.dice_smooth)
        self.ema = EmaWeights(self.model, config.ema_decay) if config.ema_decay > 0 else None  # before compiling
        if config.compile:
            compile_regions(self.model)
        self.forward = self.model
        if self.ctx.enabled:
            ids = [self.ctx.local_rank] if self.device.type == "cuda" else None
            # Gradients live in the all-reduce buckets (no per-parameter copy each step), and BatchNorm running
            # statistics stay per process instead of being broadcast from rank 0 before every forward (rank 0's
            # are the ones saved).
            self.forward = DistributedDataParallel(self.model, device_ids=ids, gradient_as_bucket_view=True,
                                                   broadcast_buffers=False)
        self.start_step = 0
        self.best_dice = -1.0

    @property
    def final_model(self) -> torch.nn.Module:
        """The weights model.pt holds: the moving average when ema_decay is set, else the trained ones."""
        return self.ema.model if self.ema else self.model

    def resume(self, path: Path | None = None) -> bool:
        path = path or latest_checkpoint(self.out / "checkpoints")
        if path is None:
            self.sink.log("no checkpoint to resume from; starting at step 0", "warning")
            return False
        state = load_checkpoint(path)
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        if self.ema:
            if "ema" not in state:
                raise ValueError(f"{path} holds no moving average, but ema_decay is set")
            self.ema.model.load_state_dict(state["ema"])
        restore_rng(state["rng"])
        self.start_step = int(state["step"])
        self.best_dice = float(state.get("best_dice", -1.0))
        self.sink.log(f"resumed from {path} at step {self.start_step}")
        return True

    def _batch(self, step: int):
        config, ctx = self.config, self.ctx
        indices = self.sampler.indices(step)
        augmentation = augmentation_params(len(indices), config.image_size, config.seed, step,
                                           AugmentSettings.of(config))
        local = slice(ctx.rank * len(indices) // ctx.world_size, (ctx.rank + 1) * len(indices) // ctx.world_size)
        indices = indices[local]
        augmentation = augmentation.rows(local)
        images = to_input(self.train_data.images[indices], self.device)
        masks = to_input(self.train_data.masks[indices] * 255, self.device)
        images, masks = apply_augmentation(images, masks, augmentation)
        supervision = torch.from_numpy(self.train_data.supervision[indices]).to(self.device)
        labels = torch.from_numpy(self.train_data.labels[indices]).to(self.device)
        return images.contiguous(memory_format=self.format), masks, supervision, labels

    def _payload(self) -> dict:
        return {"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict(), "spec": self.spec.to_dict(),
                "image_size": self.config.image_size, "config": asdict(self.config), "best_dice": self.best_dice,
                **({"ema": self.ema.model.state_dict()} if self.ema else {})}

    def save_weights(self, name: str, raw: bool = False) -> Path:
        """A model file in the run folder: the final weights, or with `raw` the trained ones without averaging."""
        path = self.out / name
        weights = self.model if raw else self.final_model
        torch.save({"model": weights.state_dict(), "spec": self.spec.to_dict(),
                    "image_size": self.config.image_size}, path.with_suffix(".tmp"))
        path.with_suffix(".tmp").replace(path)
        return path

    def _validate(self, step: int) -> None:
        if self.val_data is None or not self.ctx.is_main:
            return
        scores = validate(self.final_model, self.val_data, self.device, self.config.precision, self.config.batch_size)
        self.model.train()
        for name, value in scores.items():
            self.sink.metric(name, value, "val", step)
        dice = scores.get("dice")
        if dice is not None and dice > self.best_dice:
            self.best_dice = dice
            self.sink.artifact("model", str(self.save_weights("best.pt")))

    def run(self) -> dict:
        config, sink, ctx = self.config, self.sink, self.ctx
        self.out.mkdir(parents=True, exist_ok=True)
        sink.log(f"model {config.model}: {count_parameters(self.model):,} parameters; {self.steps} steps; "
                 f"{len(self.train_data)} training slices; device {self.device}; world size {ctx.world_size}")
        self.model.train()
        window_start, window_images = time.perf_counter(), 0
        last_loss = float("nan")
        for step in range(self.start_step, self.steps):
            images, masks, supervision, labels = self._batch(step)
            with autocast(self.device, config.precision):
                outputs = self.forward(images)
            loss, parts = mixed_loss(outputs, masks, supervision, labels, self.weights)
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            self.optimizer.step()
            self.scheduler.step()
            if self.ema:
                self.ema.update(self.model, step)
            window_images += config.batch_size
            done = step + 1
            if done % config.log_every == 0 or done == self.steps:
                last_loss = mean_across(ctx, loss).item()
                seg, cls = (mean_across(ctx, parts[k]).item() for k in ("loss_seg", "loss_cls"))
                elapsed = time.perf_counter() - window_start
                rate = window_images / elapsed if elapsed > 0 else 0.0
                eta = (self.steps - done) * config.batch_size / rate if rate > 0 else None
                sink.progress(done, self.steps, done * config.batch_size / len(self.train_data), rate, eta,
                              loss=last_loss, lr=self.scheduler.get_last_lr()[0])
                for name, value in (("loss", last_loss), ("loss_seg", seg), ("loss_cls", cls)):
                    sink.metric(name, value, "train", done)
                window_start, window_images = time.perf_counter(), 0
            if config.val_every and done % config.val_every == 0 and done != self.steps:
                self._validate(done)
            if done % config.checkpoint_every == 0 or done == self.steps:
                if done == self.steps:
                    self._validate(done)
                if ctx.is_main:
                    path = save_checkpoint(self.out / "checkpoints", done, self._payload(), config.keep_checkpoints)
                    sink.checkpoint(str(path), done, final=done == self.steps)
                barrier(ctx)
        summary = {"steps": self.steps, "final_loss": last_loss, "best_val_dice": self.best_dice}
        if ctx.is_main:
            model_path = self.save_weights("model.pt")
            sink.artifact("model", str(model_path))
            summary["model"] = str(model_path)
        shutdown(ctx)
        return summary


class EmaWeights:
    """An exponential moving average of a model's parameters (buffers copied), with the usual warm-up: the decay
    is min(decay, (1 + step) / (10 + step)), so early averages are not dominated by the initial weights."""

    def __init__(self, model: torch.nn.Module, decay: float):
        self.decay = decay
        self.model = copy.deepcopy(model).eval()
        for parameter in self.model.parameters():
            parameter.requires_grad_(False)

    @torch.no_grad()
    def update(self, model: torch.nn.Module, step: int) -> None:
        decay = min(self.decay, (1 + step) / (10 + step))
        averaged = [p for p in self.model.parameters()]
        torch._foreach_lerp_(averaged, [p.detach() for p in model.parameters()], 1.0 - decay)
        for mine, theirs in zip(self.model.buffers(), model.buffers()):
            mine.copy_(theirs)
