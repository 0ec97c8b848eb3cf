"""scripts/cascade_cv.py compare: two scorings of the same held-out slices, paired per variant."""

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "scripts" / "cascade_cv.py"


def report(path: Path, slices: list[str], per_slice: dict[str, list[float]]) -> Path:
    path.write_text(json.dumps({"slices": slices, "per_slice_dice": per_slice}))
    return path


def compare(*args: Path | str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SCRIPT.parents[1]), str(SCRIPT.parent)])}
    return subprocess.run([sys.executable, str(SCRIPT), "compare", *map(str, args)], capture_output=True, text=True,
                          env=env, check=False)


def test_compare_pairs_the_variants_both_scored_slice_by_slice(tmp_path):
    slices = ["a", "b", "c", "d"]
    first = report(tmp_path / "a.json", slices, {"jcs": [0.5, 0.6, 0.7, 0.8], "fuse-m0": [0.6, 0.6, 0.7, 0.9],
                                                 "fuse-m0-twice": [0.1, 0.1, 0.1, 0.1]})
    second = report(tmp_path / "b.json", slices, {"jcs": [0.5, 0.6, 0.7, 0.8], "fuse-m0": [0.7, 0.6, 0.8, 0.9]})
    done = compare(first, second)
    assert done.returncode == 0, done.stderr
    rows = {row["variant"]: row for row in map(json.loads, done.stdout.splitlines())}
    assert rows.keys() == {"jcs", "fuse-m0"}
    assert rows["jcs"]["delta"] == 0 and rows["jcs"]["slices_better"] == 0
    fused = rows["fuse-m0"]
    assert (fused["a"], fused["b"], fused["delta"], fused["slices_better"]) == (0.7, 0.75, 0.05, 2)
    assert 0 <= fused["delta_ci95"][0] <= 0.05 <= fused["delta_ci95"][1] <= 0.1


def test_compare_refuses_other_slices_and_a_variant_one_side_lacks(tmp_path):
    first = report(tmp_path / "a.json", ["a", "b"], {"jcs": [0.5, 0.6], "fuse-m0-twice": [0.4, 0.4]})
    other = report(tmp_path / "b.json", ["a", "c"], {"jcs": [0.5, 0.6]})
    same = report(tmp_path / "c.json", ["a", "b"], {"jcs": [0.5, 0.6]})
    refused = compare(first, other)
    assert refused.returncode != 0 and "score different slices: nothing to pair" in refused.stderr
    refused = compare(first, same, "--variant", "fuse-m0-twice")
    assert refused.returncode != 0 and "variant(s) fuse-m0-twice not scored in both (both have: jcs)" in refused.stderr
