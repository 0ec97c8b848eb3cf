"""Inference settings a model file may carry (test-time views, mask threshold), validated on load."""

from __future__ import annotations

from dataclasses import dataclass

FLIP_VIEWS = {"hflip": (3,), "vflip": (2,), "hvflip": (2, 3)}
REFINE_PRECISIONS = ("fp32", "bf16")


@dataclass(frozen=True)
class RefineSettings:
    """How medsam-lite redraws the lesions a segmentation model found (refine.py): each component's box widened by
    `margin` pixels a side, and inside the boxes the lesion probability becomes (1 - weight) x the model's + weight
    x medsam-lite's; medsam-lite runs in `precision`."""

    margin: int = 0
    weight: float = 0.5
    precision: str = "fp32"

    def __post_init__(self) -> None:
        if not 0 <= self.margin <= 64:
            raise ValueError(f"refine margin {self.margin} must be 0 to 64 pixels")
        if not 0.0 < self.weight <= 1.0:
            raise ValueError(f"refine weight {self.weight} must lie in (0, 1]")
        if self.precision not in REFINE_PRECISIONS:
            raise ValueError(f"refine precision {self.precision!r} must be one of {', '.join(REFINE_PRECISIONS)}")

    @classmethod
    def from_dict(cls, data: dict) -> RefineSettings:
        unknown = set(data) - {"margin", "weight", "precision"}
        if unknown:
            raise ValueError(f"refine settings: unknown key(s) {sorted(unknown)}")
        return cls(int(data.get("margin", 0)), float(data.get("weight", 0.5)), data.get("precision", "fp32"))

    def to_dict(self) -> dict:
        return {"margin": self.margin, "weight": self.weight, "precision": self.precision}


@dataclass(frozen=True)
class InferenceSettings:
    """How a model's outputs become masks: test-time views averaged with the plain one, then a threshold on the
    lesion probability, and with `refine` medsam-lite's redrawing of each lesion found (the model file then carries
    the refiner's weights). Stored in the model file by recipes (key `inference`); evaluate and predict apply it."""

    tta: tuple[str, ...] = ()
    threshold: float = 0.5
    refine: RefineSettings | None = None

    def __post_init__(self) -> None:
        for view in self.tta:
            parse_view(view)
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"inference threshold {self.threshold} must lie strictly between 0 and 1")

    @classmethod
    def from_dict(cls, data: dict | None) -> InferenceSettings:
        data = data or {}
        unknown = set(data) - {"tta", "threshold", "refine"}
        if unknown:
            raise ValueError(f"inference settings: unknown key(s) {sorted(unknown)}")
        refine = RefineSettings.from_dict(data["refine"]) if data.get("refine") is not None else None
        return cls(tuple(data.get("tta", ())), float(data.get("threshold", 0.5)), refine)

    def to_dict(self) -> dict:
        out = {"tta": list(self.tta), "threshold": self.threshold}
        if self.refine is not None:
            out["refine"] = self.refine.to_dict()
        return out


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
    """The model file's settings, with the command line's --tta / --mask-threshold in their place when given, and
    without the refinement under --no-refine."""
    tta = stored.tta if args.tta is None else tuple(v for v in args.tta.split(",") if v and v != "none")
    threshold = stored.threshold if args.mask_threshold is None else args.mask_threshold
    return InferenceSettings(tta, threshold, None if getattr(args, "no_refine", False) else stored.refine)
