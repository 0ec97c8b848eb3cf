"""Access to the JSON Schemas in libs/contracts/schemas (the single source of the formats)."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

EVENTS_SCHEMA = "trainer-events.schema.json"
MANIFEST_SCHEMA = "release-manifest.schema.json"
REPORT_SCHEMA = "evaluation-report.schema.json"
PREDICTION_SCHEMA = "prediction.schema.json"


def schemas_dir() -> Path:
    override = os.environ.get("LESIONLAB_SCHEMAS_DIR")
    if override:
        return Path(override)
    # apps/trainer/lesionlab_trainer/contracts.py -> <repo>/libs/contracts/schemas
    return Path(__file__).resolve().parents[3] / "libs" / "contracts" / "schemas"


@cache
def validator(name: str):
    """A jsonschema Draft 2020-12 validator for one of the contract schemas."""
    from jsonschema import Draft202012Validator  # imported here: bench/predict on a bare GPU image need no jsonschema

    path = schemas_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"schema {path} not found (set LESIONLAB_SCHEMAS_DIR to the contracts folder)")
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)
