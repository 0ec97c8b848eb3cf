"""GPU parity of the inference form: the folded bf16 network predict/evaluate run against the fp32 trained one.

Usage (repo root, GPU machine): PYTHONPATH=apps/trainer python apps/trainer/scripts/gpu_inference_parity.py
"""

import numpy as np
import torch

from lesionlab_trainer.inference import predict_batches
from lesionlab_trainer.models.registry import build_model, resolve_spec
from lesionlab_trainer.runtime import enable_fast_math, for_inference


def trained_looking_jcs(device: torch.device) -> torch.nn.Module:
    """Full JCS with non-trivial normalisation statistics, as after training."""
    torch.manual_seed(0)
    model = build_model(resolve_spec("jcs"))
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.3, 0.3)
            module.running_var.uniform_(0.5, 2.0)
            module.weight.data.uniform_(0.5, 1.5)
            module.bias.data.uniform_(-0.3, 0.3)
    return model.to(device).eval()


def main() -> None:
    device = torch.device("cuda")
    enable_fast_math(device)
    model = trained_looking_jcs(device)
    images = (np.random.default_rng(0).random((16, 512, 512)) * 255).astype(np.uint8)
    expected = list(predict_batches(model, images, device, "fp32", 8))
    got = list(predict_batches(for_inference(model, device, "bf16"), images, device, "bf16", 8))
    seg = max(float(np.abs(a[1] - b[1]).max()) for a, b in zip(expected, got))
    cls = max(float(np.abs(a[2] - b[2]).max()) for a, b in zip(expected, got))
    agreement = np.mean([((a[1] > 0.5) == (b[1] > 0.5)).mean() for a, b in zip(expected, got)])
    print(f"fp32 trained form vs bf16 folded form: max |dp| lesion {seg:.4f}, COVID {cls:.4f}; "
          f"mask pixels agreeing {agreement:.5f}")


if __name__ == "__main__":
    main()
