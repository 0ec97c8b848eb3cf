"""Profiles a few bf16 + channels_last training and inference steps of a model on the GPU: CUDA time by op.

Usage (repo root, GPU machine): PYTHONPATH=apps/trainer python apps/trainer/scripts/gpu_profile.py --out p.json
"""

from __future__ import annotations

import argparse
import json
import time

import torch
from torch.autograd import DeviceType
from torch.profiler import ProfilerActivity, profile

from lesionlab_trainer.data.cache import SUPERVISION_CODES
from lesionlab_trainer.models.inference_form import inference_form
from lesionlab_trainer.models.regions import compile_regions
from lesionlab_trainer.models.registry import build_model, resolve_spec
from lesionlab_trainer.runtime import enable_fast_math
from lesionlab_trainer.training.losses import LossWeights, mixed_loss

CATEGORIES = (("conv", ("xmma", "cudnn", "cutlass", "implicit_gemm", "conv")), ("batch_norm", ("batch_norm",)),
              ("upsample", ("upsample",)), ("gemm", ("gemm", "gemv", "sm90")), ("pool", ("pool",)),
              ("triton (fused)", ("triton",)), ("copy/cast", ("copy",)), ("cat", ("cat", "Cat")))


def category(name: str) -> str:
    return next((label for label, keys in CATEGORIES if any(k in name for k in keys)), "other elementwise")


def top_ops(prof, steps: int, count: int) -> dict:
    """CUDA kernels only (no double counting through their aten ops), by kernel and by category."""
    kernels = [e for e in prof.key_averages() if e.device_type == DeviceType.CUDA and e.self_device_time_total > 0]
    total = sum(e.self_device_time_total for e in kernels)
    by_category: dict[str, float] = {}
    for e in kernels:
        by_category[category(e.key)] = by_category.get(category(e.key), 0.0) + e.self_device_time_total
    rows = sorted(kernels, key=lambda e: e.self_device_time_total, reverse=True)[:count]
    return {"cuda_ms_per_step": total / 1e3 / steps,
            "categories": {k: {"ms_per_step": v / 1e3 / steps, "share": v / total}
                           for k, v in sorted(by_category.items(), key=lambda kv: -kv[1])},
            "top": [{"op": e.key, "ms_per_step": e.self_device_time_total / 1e3 / steps,
                     "share": e.self_device_time_total / total, "calls_per_step": e.count / steps} for e in rows]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="jcs")
    parser.add_argument("--train-batch", type=int, default=16)
    parser.add_argument("--infer-batch", type=int, default=32)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--compile", action="store_true", help="compile each block (models/regions.py) first")
    parser.add_argument("--fold", action="store_true", help="profile inference on the folded form")
    parser.add_argument("--infer-only", action="store_true")
    parser.add_argument("--channel-multiple", type=int, default=8, help="Res2Net split alignment when folded")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    device = torch.device("cuda")
    enable_fast_math(device)
    cl = torch.channels_last
    model = build_model(resolve_spec(args.model)).to(device, memory_format=cl)
    if args.compile:
        compile_regions(model)
    b, s = args.train_batch, args.size
    images = torch.rand(b, 1, s, s, device=device).contiguous(memory_format=cl)
    masks = (torch.rand(b, 1, s, s, device=device) > 0.9).float()
    supervision = torch.full((b,), SUPERVISION_CODES["pixel"], device=device)
    labels = torch.ones(b, dtype=torch.long, device=device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-5, fused=True)

    def train_step() -> None:
        with torch.autocast("cuda", dtype=torch.bfloat16):
            outputs = model(images)
        loss, _ = mixed_loss(outputs, masks, supervision, labels, LossWeights())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    infer_images = torch.rand(args.infer_batch, 1, s, s, device=device).contiguous(memory_format=cl)
    infer_model = model
    if args.fold:
        fresh = build_model(resolve_spec(args.model)).to(device)
        fresh.load_state_dict(model.state_dict())
        infer_model = inference_form(fresh, "bf16", cl, args.channel_multiple)
        if args.compile:
            compile_regions(infer_model)

    @torch.inference_mode()
    def infer_step() -> None:
        with torch.autocast("cuda", dtype=torch.bfloat16):
            infer_model(infer_images)

    result = {}
    steps = [("train", train_step, "train")] if not args.infer_only else []
    for name, step, mode in steps + [("infer", infer_step, "eval")]:
        getattr(model, mode)()
        for _ in range(3):
            step()
        torch.cuda.synchronize()
        started = time.perf_counter()
        with profile(activities=[ProfilerActivity.CUDA, ProfilerActivity.CPU]) as prof:
            for _ in range(args.steps):
                step()
            torch.cuda.synchronize()
        wall_ms = (time.perf_counter() - started) * 1e3 / args.steps
        result[name] = {"wall_ms_per_step_profiled": wall_ms, **top_ops(prof, args.steps, 25)}
        print(f"== {name}: {result[name]['cuda_ms_per_step']:.1f} CUDA ms/step, {wall_ms:.1f} ms/step wall (profiled)")
        for label, row in result[name]["categories"].items():
            print(f"  {row['ms_per_step']:8.2f} ms {row['share']:6.1%} [{label}]")
        for row in result[name]["top"][:14]:
            print(f"  {row['ms_per_step']:8.2f} ms {row['share']:6.1%} x{row['calls_per_step']:.0f} {row['op'][:90]}")
    with open(args.out, "w") as fh:
        json.dump(result, fh, indent=1)


if __name__ == "__main__":
    main()
