"""Inference settings a model file may carry (test-time views, mask threshold), validated on load."""

from __future__ import annotations

from dataclasses import dataclass

FLIP_VIEWS = {"hflip": (3,), "vflip": (2,), "hvflip": (2, 3)}


@dataclass(frozen=True)
class InferenceSettings:
    """How a model's outputs become masks: test-time views averaged with the plain one, then a threshold on the
    lesion probability. Stored in the model file by recipes (key `inference`); evaluate and predict apply it."""

    tta: tuple[str, ...] = ()
    threshold: float = 0.5

    def __post_init__(self) -> None:
        for view in self.tta:
            parse_view(view)
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"inference threshold {self.threshold} must lie strictly between 0 and 1")

    @classmethod
    def from_dict(cls, data: dict | None) -> InferenceSettings:
        data = data or {}
        unknown = set(data) - {"tta", "threshold"}
        if unknown:
            raise ValueError(f"inference settings: unknown key(s) {sorted(unknown)}")
        return cls(tuple(data.get("tta", ())), float(data.get("threshold", 0.5)))

    def to_dict(self) -> dict:
        return {"tta": list(self.tta), "threshold": self.threshold}


def parse_view(view: str) -> tuple[tuple[int, ...], float]:
    """'hflip' | 'vflip' | 'hvflip' | 'scale:<factor>' -> (flip dims, scale factor)."""
    if view in FLIP_VIEWS:
        return FLIP_VIEWS[view], 1.0
    if view.startswith("scale:"):
        try:
            factor = float(view.split(":", 1)[1])
        except ValueError:
            factor = 0.0
        if 0.25 <= factor <= 4.0:
            return (), factor
    raise ValueError(f"unknown test-time view {view!r} (hflip, vflip, hvflip or scale:<0.25..4>)")


def chosen_settings(stored: InferenceSettings, args) -> InferenceSettings:
    """The model file's settings, with the command line's --tta / --mask-threshold in their place when given."""
    tta = stored.tta if args.tta is None else tuple(v for v in args.tta.split(",") if v and v != "none")
    threshold = stored.threshold if args.mask_threshold is None else args.mask_threshold
    return InferenceSettings(tta, threshold)
