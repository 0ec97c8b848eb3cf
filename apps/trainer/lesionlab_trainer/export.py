"""`export`: ONNX (opset 17, dynamic batch) of a trained model, checked against PyTorch with onnxruntime (CPU).

Outputs: `lesion_prob` (B,1,H,W) from the finest side output (absent for classifiers) and `covid_prob` (B,).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from torch import nn

from lesionlab_trainer.events import EventSink
from lesionlab_trainer.runtime import load_trained_model


class InferenceGraph(nn.Module):
    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, image: torch.Tensor):
        out = self.model(image)
        covid = torch.softmax(out["cls"], dim=1)[:, 1]
        if out["seg"]:
            return torch.sigmoid(out["seg"][0]), covid
        return (covid,)


def export_onnx(model: nn.Module, size: int, path: Path) -> list[str]:
    graph = InferenceGraph(model.float().eval())
    names = ["lesion_prob", "covid_prob"] if graph(torch.zeros(1, 1, size, size)).__len__() == 2 else ["covid_prob"]
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(graph, (torch.zeros(2, 1, size, size),), str(path), input_names=["image"], output_names=names,
                      dynamic_axes={"image": {0: "batch"}, **{n: {0: "batch"} for n in names}}, opset_version=17,
                      dynamo=False)
    return names


def parity_error(model: nn.Module, path: Path, size: int, seed: int = 0) -> float:
    import onnxruntime

    images = torch.rand(3, 1, size, size, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        expected = [t.numpy() for t in InferenceGraph(model.float().eval())(images)]
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    actual = session.run(None, {"image": images.numpy()})
    return float(max(np.abs(a - e).max() for a, e in zip(actual, expected)))


def run_export(args: argparse.Namespace, sink: EventSink) -> dict:
    model, spec, size = load_trained_model(Path(args.checkpoint), torch.device("cpu"))
    path = Path(args.out)
    outputs = export_onnx(model, size, path)
    error = parity_error(model, path, size)
    if error > args.tolerance:
        raise RuntimeError(f"ONNX parity check failed: max abs difference {error:.2e} > {args.tolerance:.0e}")
    sink.artifact("onnx", str(path))
    return {"onnx": str(path), "outputs": outputs, "max_abs_error": error, "image_size": size, "model": spec.arch}
