"""medsam-lite's attention layers through F.scaled_dot_product_attention, for inference: TinyViT's windowed
attention (its position bias as the additive mask) and the two-way transformer's attention of SAM's mask decoder.
The maths is the vendored layers' (both scale by 1/sqrt of the key width, SDPA's default); fused kernels do it
without holding each window's attention matrix in memory.
"""

from __future__ import annotations

import types

import torch
import torch.nn.functional as F
from torch import nn


def window_attention(self, x: torch.Tensor) -> torch.Tensor:
    """TinyViT's Attention.forward in eval mode (its `ab` is the position bias of eval mode)."""
    batch, tokens, _ = x.shape
    q, k, v = self.qkv(self.norm(x)).view(batch, tokens, self.num_heads, -1).split(
        [self.key_dim, self.key_dim, self.d], dim=3)
    out = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2),
                                         attn_mask=self.ab.to(q.dtype))
    return self.proj(out.transpose(1, 2).reshape(batch, tokens, self.dh))


def two_way_attention(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """segment_anything's Attention.forward."""
    q, k, v = (self._separate_heads(project(t), self.num_heads)
               for project, t in ((self.q_proj, q), (self.k_proj, k), (self.v_proj, v)))
    return self.out_proj(self._recombine_heads(F.scaled_dot_product_attention(q, k, v)))


def install(net: nn.Module) -> nn.Module:
    """`net` (LiteMedSAM in eval mode) with every attention layer through SDPA; returns it."""
    for module in net.modules():
        if type(module).__name__ != "Attention":
            continue
        if hasattr(module, "attention_biases"):
            if not hasattr(module, "ab"):
                raise ValueError("TinyViT attention goes through SDPA in eval mode only")
            module.forward = types.MethodType(window_attention, module)
        elif hasattr(module, "q_proj"):
            module.forward = types.MethodType(two_way_attention, module)
    return net
