"""Shared fixtures: the real CT data in <repo>/../shared/data, small manifests built from it, CPU threads."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

REPO_ROOT = Path(__file__).resolve().parents[3]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow; run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _two_threads():
    torch.set_num_threads(2)


def shared_dataset(name: str) -> Path:
    path = SHARED_DATA / name
    if not (path / "manifest.csv").is_file():
        pytest.skip(f"real CT data not found at {path} (expected <repo>/../shared/data/{name})")
    return path


@pytest.fixture(scope="session")
def medseg_dir() -> Path:
    return shared_dataset("medseg-ct100")


@pytest.fixture(scope="session")
def covid_ct_dir() -> Path:
    return shared_dataset("covid-ct")


@pytest.fixture(scope="session")
def medseg_manifest(tmp_path_factory, medseg_dir) -> Path:
    from lesionlab_trainer.data.adapters import build_manifest

    return build_manifest("medseg-ct100", medseg_dir, tmp_path_factory.mktemp("medseg"), seed=0)


def subset_manifest(source: Path, out: Path, count: int, split: str = "train") -> Path:
    """Copies the first `count` items of a manifest (all put in `split`) next to a link to the same files."""
    import json

    out.mkdir(parents=True, exist_ok=True)
    link = out / "files"
    if not link.exists():
        link.symlink_to((source.parent / "files").resolve(), target_is_directory=True)
    lines = source.read_text().splitlines()[:count]
    items = [dict(json.loads(line), split=split) for line in lines]
    (out / "manifest.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items))
    return out / "manifest.jsonl"

