"""medsam.sdpa: LiteMedSAM with its attention through scaled_dot_product_attention computes what the vendored layers
compute (fp32, shipped weights, a real slice and its lesion boxes)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from PIL import Image

from lesionlab_trainer.medsam import boxscore, network, sdpa
from lesionlab_trainer.medsam.prompts import decode_boxes


@pytest.fixture(scope="module")
def nets():
    vendored = network.build()
    return vendored, sdpa.install(copy.deepcopy(vendored))


def test_fused_attention_gives_the_vendored_embedding_and_drafts(nets, medseg_dir):
    vendored, fused = nets
    name = sorted(path.name for path in (medseg_dir / "images").iterdir())[0]
    grey = np.asarray(Image.open(medseg_dir / "images" / name).convert("L"))
    mask = np.asarray(Image.open(medseg_dir / "masks" / name.replace("_im_", "_mask_")).convert("L")) > 0
    x = torch.nn.functional.interpolate(torch.from_numpy(grey).float().div(255)[None, None].expand(-1, 3, -1, -1),
                                        size=(256, 256), mode="bilinear", align_corners=False)
    frames = torch.tensor(boxscore.component_boxes(mask)).float() * 256 / grey.shape[0]
    with torch.no_grad():
        embedding = vendored.image_encoder(x)
        torch.testing.assert_close(fused.image_encoder(x), embedding, atol=1e-4, rtol=1e-4)
        many = embedding.expand(len(frames), -1, -1, -1)
        torch.testing.assert_close(decode_boxes(fused, many, frames)[0], decode_boxes(vendored, many, frames)[0],
                                   atol=1e-3, rtol=1e-4)
    assert len(frames) > 1


def test_tinyvit_attention_goes_through_sdpa_in_eval_mode_only(nets):
    training = network.build().train()
    with pytest.raises(ValueError, match="eval mode only"):
        sdpa.install(training)
