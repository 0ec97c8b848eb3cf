"""Throughput benchmark on synthetic batches: training and inference images/s, peak memory, FLOPs, MFU."""

from __future__ import annotations

import argparse
import platform
import time

import torch

from lesionlab_trainer.data.cache import SUPERVISION_CODES
from lesionlab_trainer.events import EventSink
from lesionlab_trainer.flops import count_flops, device_peak_tflops
from lesionlab_trainer.inference import view_outputs
from lesionlab_trainer.models.inference_form import inference_form
from lesionlab_trainer.models.regions import compile_regions
from lesionlab_trainer.models.registry import build_model, count_parameters, resolve_spec
from lesionlab_trainer.runtime import autocast, enable_fast_math, memory_format, pick_device
from lesionlab_trainer.training.losses import LossWeights, mixed_loss


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _peak_memory_gib(device: torch.device) -> float | None:
    if device.type != "cuda":
        return None
    return torch.cuda.max_memory_allocated(device) / 2**30


def _reset_peak(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)


def _timed(step, warmup: int, iters: int, device: torch.device, first_step: dict, name: str) -> float:
    """Seconds for `iters` steps after `warmup` ones; records the first step's seconds (compilation included)."""
    start = time.perf_counter()
    step()
    _sync(device)
    first_step[name] = time.perf_counter() - start
    for _ in range(warmup - 1):
        step()
    _sync(device)
    start = time.perf_counter()
    for _ in range(iters):
        step()
    _sync(device)
    return time.perf_counter() - start


LESIONS_PER_SLICE = 6  # JCS v2 found 5.4 lesions of >= 50 px a slice on medseg-ct100's held-out folds


def synthetic_lesion_maps(count: int, size: int, device: torch.device) -> torch.Tensor:
    """Lesion probabilities [count, size, size]: LESIONS_PER_SLICE discs (radius 2-12% of the side) at 0.8 on 0.2,
    what the refiner is timed on (its cost grows with the lesions found)."""
    generator = torch.Generator().manual_seed(0)
    centres = torch.rand(count, LESIONS_PER_SLICE, 2, generator=generator) * size
    radii = (0.02 + 0.10 * torch.rand(count, LESIONS_PER_SLICE, generator=generator)) * size
    grid = torch.arange(size, dtype=torch.float32)
    dy = grid[None, None, :, None] - centres[..., 1, None, None]
    dx = grid[None, None, None, :] - centres[..., 0, None, None]
    inside = (dx**2 + dy**2 <= radii[..., None, None] ** 2).any(1)
    return torch.where(inside, 0.8, 0.2).to(device)


def run_bench(args: argparse.Namespace, sink: EventSink) -> dict:
    device = pick_device(args.device)
    enable_fast_math(device)
    spec = resolve_spec(args.model)
    model = build_model(spec)
    fmt = memory_format(device, not args.no_channels_last)
    model.to(device, memory_format=fmt)
    size, batch = args.image_size, args.batch_size
    infer_batch = args.infer_batch_size or batch

    one = torch.rand(1, 1, size, size, device=device).contiguous(memory_format=fmt)
    with autocast(device, args.precision):
        forward_flops = count_flops(model.eval(), one, backward=False)
    model.train()
    with autocast(device, args.precision):
        train_flops = count_flops(model, one, backward=True)

    mode = getattr(args, "compile_mode", None)
    first_step_seconds = {}

    def compiled(network: torch.nn.Module) -> torch.nn.Module:
        if args.compile == "model":
            return torch.compile(network, mode=mode)
        if args.compile == "regions":
            compile_regions(network, mode)
        return network

    runner = compiled(model)
    images = torch.rand(batch, 1, size, size, device=device).contiguous(memory_format=fmt)
    masks = (torch.rand(batch, 1, size, size, device=device) > 0.9).float()
    supervision = torch.full((batch,), SUPERVISION_CODES["pixel"], device=device)
    labels = torch.ones(batch, dtype=torch.long, device=device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-5, fused=device.type == "cuda" or None)
    weights = LossWeights()

    def train_step() -> None:
        with autocast(device, args.precision):
            outputs = runner(images)
        loss, _ = mixed_loss(outputs, masks, supervision, labels, weights)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    model.train()
    _reset_peak(device)
    skip_train = getattr(args, "skip_train", False)
    train_seconds = None
    if not skip_train:
        train_seconds = _timed(train_step, args.warmup, args.iters, device, first_step_seconds, "train")
    train_memory = None if skip_train else _peak_memory_gib(device)

    optimizer.zero_grad(set_to_none=True)
    infer_images = torch.rand(infer_batch, 1, size, size, device=device).contiguous(memory_format=fmt)
    model.eval()
    fold = getattr(args, "fold", False)
    if fold:  # from a fresh, uncompiled copy of the trained weights
        fresh = build_model(spec).to(device)
        fresh.load_state_dict(model.state_dict())
        runner = compiled(inference_form(fresh, args.precision, fmt))

    views = [None, *(v for v in (args.tta or "").split(",") if v)]
    refine = getattr(args, "refine", False)
    refiner = lesions = None
    if refine:
        from lesionlab_trainer.inference_settings import RefineSettings
        from lesionlab_trainer.medsam import network
        from lesionlab_trainer.refine import BoxRefiner

        weights = getattr(args, "refine_weights", None)
        refiner = BoxRefiner(network.load_state(weights or network.shipped_weights()),
                             RefineSettings(precision=getattr(args, "refine_precision", "fp32")), 0.5, device,
                             getattr(args, "refine_compile", False))
        lesions = synthetic_lesion_maps(infer_batch, size, device)

    @torch.inference_mode()
    def infer_step() -> None:
        with autocast(device, args.precision):
            for view in views:  # as predict_batches runs test-time views
                view_outputs(runner, infer_images, view)
        if refiner is not None:  # the untrained model's maps would give arbitrary lesions: these are lesion-like
            refiner(infer_images, lesions)

    if device.type == "cuda":
        torch.cuda.empty_cache()
    _reset_peak(device)
    infer_seconds = _timed(infer_step, args.warmup, args.iters, device, first_step_seconds, "infer")
    infer_memory = _peak_memory_gib(device)

    train_rate = args.iters * batch / train_seconds if train_seconds else None
    infer_rate = args.iters * infer_batch / infer_seconds
    peak = args.peak_tflops or device_peak_tflops(device, args.precision)
    result = {
        "model": args.model,
        "parameters": count_parameters(model),
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "cpu",
        "torch": torch.__version__,
        "precision": args.precision,
        "channels_last": fmt == torch.channels_last,
        "compile": args.compile,
        "compile_mode": mode if args.compile else None,
        "folded_inference": fold,
        "tta": views[1:],
        "refine": refine,
        "refine_precision": getattr(args, "refine_precision", None) if refine else None,
        "refine_compile": getattr(args, "refine_compile", None) if refine else None,
        "first_step_seconds": first_step_seconds,  # compilation included
        "image_size": size,
        "train_batch_size": batch,
        "infer_batch_size": infer_batch,
        "train_images_per_s": train_rate,
        "infer_images_per_s": infer_rate,
        "train_peak_memory_gib": train_memory,
        "infer_peak_memory_gib": infer_memory,
        "forward_gflops_per_image": forward_flops / 1e9,
        "train_gflops_per_image": train_flops / 1e9,
        "peak_tflops": peak,
        "train_mfu": train_flops * train_rate / (peak * 1e12) if peak and train_rate else None,
        "infer_mfu": forward_flops * infer_rate / (peak * 1e12) if peak else None,
    }
    sink.done(**result)
    return result
