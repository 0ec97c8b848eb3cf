"""The release manifest: JSON lines, one slice per line, validated against release-manifest.schema.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from lesionlab_trainer.contracts import MANIFEST_SCHEMA, validator
from lesionlab_trainer.events import InputFileError


@dataclass(frozen=True)
class SliceRecord:
    slice_id: str
    patient_id: str | None
    split: str
    supervision: str
    label: str
    image: str
    image_sha256: str
    mask: str | None
    mask_sha256: str | None
    mask_revision_id: str | None
    width: int
    height: int

    @property
    def group(self) -> str:
        """Patient id, or the slice id when the patient is unknown (each such slice is its own patient)."""
        return self.patient_id if self.patient_id is not None else f"slice:{self.slice_id}"


@dataclass(frozen=True)
class Manifest:
    path: Path
    root: Path  # folder the item paths are relative to
    records: tuple[SliceRecord, ...]

    def split(self, name: str) -> list[SliceRecord]:
        return [r for r in self.records if r.split == name]


_FIELDS = tuple(SliceRecord.__dataclass_fields__)


def read_manifest(path: str | Path, root: str | Path | None = None) -> Manifest:
    path = Path(path)
    if not path.is_file():
        raise InputFileError(str(path), "manifest not found")
    check = validator(MANIFEST_SCHEMA)
    records = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputFileError(str(path), f"line {number} is not JSON ({exc.msg})") from exc
        errors = sorted(check.iter_errors(item), key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(p) for p in errors[0].path) or "(item)"
            raise InputFileError(str(path), f"line {number} breaks the manifest schema at {where}: {errors[0].message}")
        if item["slice_id"] in seen:
            raise InputFileError(str(path), f"line {number} repeats slice_id {item['slice_id']!r}")
        seen.add(item["slice_id"])
        records.append(SliceRecord(**{k: item[k] for k in _FIELDS}))
    if not records:
        raise InputFileError(str(path), "manifest has no items")
    return Manifest(path=path, root=Path(root) if root else path.parent, records=tuple(records))


def write_manifest(path: Path, items: list[dict]) -> None:
    check = validator(MANIFEST_SCHEMA)
    for item in items:
        check.validate(item)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(item, sort_keys=True) + "\n" for item in items))
