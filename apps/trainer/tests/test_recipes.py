"""Recipes: the shared definitions load and validate, the jcs-lite recipe runs end to end through the CLI (stage
events valid against the contract, a soup model file carrying its inference settings, which evaluate applies),
test-time views and the moving average behave as specified."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from lesionlab_trainer.contracts import EVENTS_SCHEMA, validator
from lesionlab_trainer.inference import predict_batches
from lesionlab_trainer.inference_settings import InferenceSettings
from lesionlab_trainer.models.registry import build_model, resolve_spec
from lesionlab_trainer.recipes import Recipe, find_recipe, load_recipes
from lesionlab_trainer.training.checkpoint import average_states
from lesionlab_trainer.training.trainer import EmaWeights


def _cli(*args: str) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "lesionlab_trainer", *args], capture_output=True, text=True)
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0, result.stderr[-2000:]
    return events


def test_every_shared_recipe_loads_and_jcs_defaults_to_its_newest_version():
    recipes = load_recipes()
    assert {(r.name, r.version) for r in recipes} >= {("jcs", 1), ("jcs", 2), ("jcs-lite", 1)}
    assert find_recipe("jcs").version == max(r.version for r in recipes if r.name == "jcs")
    with pytest.raises(ValueError, match="no version 9"):
        find_recipe("jcs", 9)
    with pytest.raises(ValueError, match="no recipe named 'nope'"):
        find_recipe("nope")


@pytest.mark.parametrize("change, message", [
    ({"model": "medsam-lite"}, "model must be one of"),
    ({"stages": []}, "has no stages"),
    ({"stages": [{"name": "x", "data": "elsewhere", "steps": 1, "batch_size": 1}]}, "data must be one of"),
    ({"stages": [{"name": "x", "data": "main", "init": "previous", "steps": 1, "batch_size": 1}]}, "no previous stage"),
    ({"inference": {"tta": ["rotate"]}}, "unknown test-time view"),
    ({"inference": {"threshold": 1.5}}, "strictly between 0 and 1"),
    ({"extra": 1}, "unknown key"),
])
def test_a_malformed_recipe_is_refused_by_name(change, message):
    base = {"name": "r", "version": 1, "model": "jcs-lite",
            "stages": [{"name": "s", "data": "main", "steps": 1, "batch_size": 1}]}
    with pytest.raises(ValueError, match=message):
        Recipe.from_dict({**base, **change})


def test_jcs_lite_recipe_runs_every_stage_and_evaluate_applies_its_inference_settings(tmp_path, medseg_manifest):
    out = tmp_path / "run"
    events = _cli("recipe", "--name", "jcs-lite", "--manifest", str(medseg_manifest), "--pretrain-manifest",
                  str(medseg_manifest), "--out", str(out), "--device", "cpu", "--set", "precision=fp32")
    check = validator(EVENTS_SCHEMA)
    for event in events:
        check.validate(event)
    stages = [(e["name"], e["state"]) for e in events if e["type"] == "stage"]
    assert stages == [("pretrain", "started"), ("pretrain", "finished"), ("finetune", "started"),
                      ("finetune", "finished")]
    models = [e["path"] for e in events if e["type"] == "artifact" and e["kind"] == "model"]
    assert models[-1] == str(out / "model.pt")
    payload = torch.load(out / "model.pt", weights_only=True)
    assert payload["inference"] == {"tta": ["hflip"], "threshold": 0.5}
    assert payload["recipe"] == {"name": "jcs-lite", "version": 1}
    members = [torch.load(out / "finetune" / f"member{i}" / "model.pt", weights_only=True)["model"] for i in (0, 1)]
    key = next(k for k, v in payload["model"].items()
               if v.is_floating_point() and not torch.equal(members[0][k], members[1][k]))
    assert torch.allclose(payload["model"][key], (members[0][key] + members[1][key]) / 2)
    done = _cli("evaluate", "--checkpoint", str(out / "model.pt"), "--manifest", str(medseg_manifest), "--out",
                str(tmp_path / "eval"), "--device", "cpu", "--precision", "fp32", "--bootstrap", "10",
                "--worst", "0")[-1]
    assert done["summary"]["inference"] == {"tta": ["hflip"], "threshold": 0.5}
    plain = _cli("evaluate", "--checkpoint", str(out / "model.pt"), "--manifest", str(medseg_manifest), "--out",
                 str(tmp_path / "eval-plain"), "--device", "cpu", "--precision", "fp32", "--bootstrap", "10",
                 "--worst", "0", "--tta", "none", "--mask-threshold", "0.4")[-1]
    assert plain["summary"]["inference"] == {"tta": [], "threshold": 0.4}


def test_a_recipe_needing_a_pretraining_release_says_which_flag_is_missing(tmp_path, medseg_manifest):
    result = subprocess.run([sys.executable, "-m", "lesionlab_trainer", "recipe", "--name", "jcs-lite", "--manifest",
                             str(medseg_manifest), "--out", str(tmp_path), "--device", "cpu"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "--pretrain-manifest" in json.loads(result.stdout.splitlines()[-1])["message"]


def test_recipe_runs_refuse_to_override_the_recipes_sizes(tmp_path, medseg_manifest):
    result = subprocess.run([sys.executable, "-m", "lesionlab_trainer", "recipe", "--name", "jcs-lite", "--manifest",
                             str(medseg_manifest), "--pretrain-manifest", str(medseg_manifest), "--out", str(tmp_path),
                             "--device", "cpu", "--set", "steps=5"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "the recipe sets steps" in json.loads(result.stdout.splitlines()[-1])["message"]


def test_flip_views_are_mapped_back_before_averaging():
    class Mirror(torch.nn.Module):
        """Lesion logit = a left-right ramp of the input's own column: a flip view mapped back equals the plain one."""

        def forward(self, x):
            ramp = torch.linspace(-3, 3, x.shape[-1]).expand_as(x)
            return {"seg": [ramp + 0 * x], "cls": torch.zeros(x.shape[0], 2)}

    images = (np.random.default_rng(0).random((2, 32, 32)) * 255).astype(np.uint8)
    plain = next(predict_batches(Mirror(), images, torch.device("cpu"), "fp32", 2))[1]
    flipped = next(predict_batches(Mirror(), images, torch.device("cpu"), "fp32", 2, ("hflip",)))[1]
    # the model's output does not depend on the image, so hflip's mapped-back map is the mirror image of the plain
    expected = (plain + plain[:, :, ::-1]) / 2
    np.testing.assert_allclose(flipped, expected, atol=1e-6)
    scaled = next(predict_batches(Mirror(), images, torch.device("cpu"), "fp32", 2, ("scale:2",)))[1]
    assert scaled.shape == plain.shape


def test_a_sets_last_shorter_batch_runs_at_the_others_shape_and_is_cut_back():
    shapes = []

    class Recorder(torch.nn.Module):
        """Records each input's shape; lesion logits and COVID scores depend on each slice alone."""

        def forward(self, x):
            shapes.append(tuple(x.shape))
            level = x.mean((1, 2, 3))
            return {"seg": [x * 4 - 2], "cls": torch.stack([-level, level], 1)}

    images = (np.random.default_rng(1).random((5, 16, 16)) * 255).astype(np.uint8)
    batched = list(predict_batches(Recorder(), images, torch.device("cpu"), "fp32", 2, ("hflip",)))
    assert shapes == [(2, 1, 16, 16)] * 6
    assert [window for window, _, _ in batched] == [slice(0, 2), slice(2, 4), slice(4, 5)]
    shapes.clear()
    _, whole_seg, whole_cls = next(predict_batches(Recorder(), images, torch.device("cpu"), "fp32", 8, ("hflip",)))
    assert shapes == [(5, 1, 16, 16)] * 2  # one batch holds the whole set: nothing to pad
    np.testing.assert_allclose(np.concatenate([seg for _, seg, _ in batched]), whole_seg, atol=1e-6)
    np.testing.assert_allclose(np.concatenate([cls for _, _, cls in batched]), whole_cls, atol=1e-6)


def test_unknown_views_and_thresholds_are_refused():
    with pytest.raises(ValueError, match="unknown test-time view"):
        InferenceSettings(("scale:9",))
    with pytest.raises(ValueError, match="unknown key"):
        InferenceSettings.from_dict({"tta": [], "thresh": 0.5})


def test_moving_average_follows_its_warm_up_decay():
    model = build_model(resolve_spec("jcs-lite", None, None))
    ema = EmaWeights(model, 0.99)
    before = next(ema.model.parameters()).clone()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(1.0)
    ema.update(model, step=0)  # decay min(0.99, 1/10) = 0.1: the average moves 90% of the way
    torch.testing.assert_close(next(ema.model.parameters()), before + 0.9)


def test_weight_soup_averages_floating_tensors_and_keeps_the_first_counters():
    first = {"w": torch.tensor([1.0, 2.0], dtype=torch.float16), "seen": torch.tensor(3)}
    second = {"w": torch.tensor([3.0, 6.0], dtype=torch.float16), "seen": torch.tensor(7)}
    soup = average_states([first, second])
    assert soup["w"].dtype == torch.float16
    torch.testing.assert_close(soup["w"], torch.tensor([2.0, 4.0], dtype=torch.float16))
    assert int(soup["seen"]) == 3


def test_crossval_plan_shares_trainings_between_recipes(tmp_path):
    """Recipes differing only in inference or in the moving average, and a soup's member of seed 1 and a seed-1
    recipe, are one training each; the pretraining is one training for every fold."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("crossval", Path(__file__).parents[1] / "scripts" / "crossval.py")
    crossval = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(crossval)
    pre = {"name": "pre", "data": "pretrain", "steps": 2, "batch_size": 2}

    def recipe(name, settings=None, members=1, tta=()):
        stage = {"name": "ft", "data": "main", "init": "previous", "steps": 2, "batch_size": 2,
                 "members": members, "settings": settings or {}}
        return Recipe.from_dict({"name": name, "version": 1, "model": "jcs-lite", "stages": [pre, stage],
                                 "inference": {"tta": list(tta)}})

    recipes = [recipe("base"), recipe("base-tta", tta=["hflip"]), recipe("ema", {"ema_decay": 0.9}),
               recipe("seed1", {"seed": 1}), recipe("soup", {"ema_decay": 0.9}, members=2)]
    plan = crossval.Plan(recipes, folds=3, overrides=[], work=tmp_path)
    assert len(plan.tasks) == 1 + 2 * 3  # one pretraining; per fold seed 0 and seed 1
    assert len(plan.soups) == 3
    files = {name: plan.model_file(plan.models[(name, 0)]).name for name in ("base", "base-tta", "ema")}
    assert files == {"base": "model-raw.pt", "base-tta": "model-raw.pt", "ema": "model.pt"}
    assert plan.models[("base", 0)][0] == plan.models[("ema", 0)][0]
    assert plan.chains[("soup", 0)][1] == [plan.models[("base", 0)][0], plan.models[("seed1", 0)][0]]
