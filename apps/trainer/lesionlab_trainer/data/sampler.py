"""Deterministic mixed-supervision batch sampling.

Every global batch is a pure function of (seed, step): each supervision kind has its own endless stream
of seeded permutations and contributes a fixed share of every batch. Resuming at step s therefore
continues the exact data order without saving any sampler state.
"""

from __future__ import annotations

import numpy as np

from lesionlab_trainer.data.cache import SUPERVISION_CODES


def batch_shares(ratios: dict[str, float], available: dict[str, int], batch_size: int) -> dict[str, int]:
    """Splits batch_size between the kinds present, proportionally to their ratios (largest remainder)."""
    present = {k: r for k, r in ratios.items() if r > 0 and available.get(k, 0) > 0}
    if not present:
        raise ValueError("no training slices match the sampling ratios (check supervision kinds in the manifest)")
    total = sum(present.values())
    exact = {k: batch_size * r / total for k, r in present.items()}
    shares = {k: int(v) for k, v in exact.items()}
    for kind in sorted(exact, key=lambda k: (shares[k] - exact[k], k))[: batch_size - sum(shares.values())]:
        shares[kind] += 1
    return {k: v for k, v in shares.items() if v > 0}


class MixedBatchSampler:
    def __init__(self, supervision: np.ndarray, ratios: dict[str, float], batch_size: int, seed: int):
        self.seed = seed
        self.pools = {kind: np.flatnonzero(supervision == code) for kind, code in SUPERVISION_CODES.items()}
        available = {k: len(v) for k, v in self.pools.items()}
        self.shares = batch_shares(ratios, available, batch_size)
        self.batch_size = batch_size

    def _permutation(self, kind: str, epoch: int) -> np.ndarray:
        kind_id = list(SUPERVISION_CODES).index(kind)
        rng = np.random.default_rng([self.seed, kind_id, epoch])
        return self.pools[kind][rng.permutation(len(self.pools[kind]))]

    def indices(self, step: int) -> np.ndarray:
        """Dataset indices of the global batch at `step` (grouped by kind, in a fixed order)."""
        out = []
        for kind in sorted(self.shares):
            share, pool = self.shares[kind], len(self.pools[kind])
            start = step * share
            for position in range(start, start + share):
                epoch, offset = divmod(position, pool)
                out.append(self._permutation(kind, epoch)[offset])
        return np.asarray(out, dtype=np.int64)
