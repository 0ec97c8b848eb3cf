"""The ONNX export the API runs, with the left-right view: the graphs hold what the torch modules compute."""

import json

import numpy as np
import onnxruntime as ort
import torch

from lesionlab_trainer.medsam import network
from lesionlab_trainer.medsam.export import SHIPPED_BOX_MARGIN, SHIPPED_MASK_THRESHOLD, export
from lesionlab_trainer.medsam.prompts import PromptDecoder


def test_an_export_with_the_left_right_view_embeds_both_views_and_decodes_as_the_torch_decoder(tmp_path):
    meta = export(tmp_path, None, "shipped, left-right", None, mirrored=True)
    assert meta["views"] == ["hflip"] and json.loads((tmp_path / "model.json").read_text())["views"] == ["hflip"]
    encoder = ort.InferenceSession(str(tmp_path / "encoder.onnx"), providers=["CPUExecutionProvider"])
    slice_ = np.random.default_rng(0).integers(0, 256, (1, 1, 512, 512)).astype(np.float32)
    (embedding,) = encoder.run(None, {"image": slice_})
    assert embedding.shape == (2, 256, 64, 64)
    decoder = ort.InferenceSession(str(tmp_path / "decoder.onnx"), providers=["CPUExecutionProvider"])
    prompt = {"embedding": embedding, "box": np.array([[40.0, 50.0, 130.0, 160.0]], dtype=np.float32),
              "point_coords": np.array([[[80.0, 100.0]]], dtype=np.float32),
              "point_labels": np.array([[1.0]], dtype=np.float32)}
    logits, score = decoder.run(None, prompt)
    torch_decoder = PromptDecoder(network.build(), SHIPPED_MASK_THRESHOLD, SHIPPED_BOX_MARGIN, mirrored=True)
    with torch.no_grad():
        expected, expected_score = torch_decoder(*(torch.from_numpy(prompt[k]) for k in prompt))
    assert np.allclose(logits, expected.numpy(), atol=1e-3)
    assert np.allclose(score, expected_score.numpy(), atol=1e-4)
