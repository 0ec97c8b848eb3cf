"""The medsam-lite refiner of recipes: its device-side components are the bench's, it redraws only inside the boxes
of what the model found, recipes validate where it goes, and a recipe with a refiner stage runs end to end on the
CPU into a model file that evaluate refines with (the shipped medsam-lite weights; no GPU)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import nullcontext

import numpy as np
import pytest
import torch

from lesionlab_trainer import refine
from lesionlab_trainer.events import EventSink
from lesionlab_trainer.inference_settings import InferenceSettings, RefineSettings
from lesionlab_trainer.medsam import boxscore, network
from lesionlab_trainer.medsam.prompts import decode
from lesionlab_trainer.recipes import Recipe, run_recipe
from lesionlab_trainer.refine import BoxRefiner, component_boxes
from lesionlab_trainer.runtime import load_model_file

CPU = torch.device("cpu")
LITE = {"name": "r", "version": 1, "model": "jcs-lite", "image_size": 64}
TRAIN = {"name": "train", "data": "main", "steps": 2, "batch_size": 2, "settings": {"precision": "fp32"}}
REFINER = {"name": "refiner", "data": "main", "model": "medsam-lite", "steps": 2, "batch_size": 1}
REFINE = {"tta": [], "threshold": 0.5, "refine": {"margin": 0, "weight": 0.5}}


@pytest.mark.parametrize("density, min_area", [(0.3, 1), (0.45, 5), (0.6, 5), (0.05, 1), (0.0, 1)])
def test_device_components_give_the_bench_boxes(density, min_area):
    rng = np.random.default_rng(int(density * 100))
    masks = rng.random((3, 70, 90)) < density
    boxes, owners = component_boxes(torch.from_numpy(masks), min_area)
    got = sorted((int(o), tuple(b.tolist())) for o, b in zip(owners, boxes))
    expected = sorted((i, box) for i, mask in enumerate(masks) for box in boxscore.component_boxes(mask, min_area))
    assert got == expected


def test_covered_pixels_are_the_union_of_each_slices_boxes():
    generator = torch.Generator().manual_seed(3)
    corners = torch.randint(0, 40, (12, 2), generator=generator)
    sides = torch.randint(0, 25, (12, 2), generator=generator)
    boxes = torch.cat([corners, (corners + sides).clamp(max=49)], 1)  # x0 y0 x1 y1
    boxes = torch.cat([boxes, torch.tensor([[0, 0, 49, 0], [49, 0, 49, 49]])])  # edge rows and columns
    owners = torch.tensor([0, 0, 0, 2, 2, 2, 2, 2, 2, 3, 3, 3, 0, 3])  # slice 1 has none, some boxes overlap
    union = torch.zeros(4, 50, 50, dtype=torch.bool)
    for box, owner in zip(boxes, owners):
        union[owner] |= boxscore.box_regions(box[None], 50, 50)[0]
    assert torch.equal(refine.covered_pixels(boxes, owners, 4, 50, 50), union)
    assert not union[1].any() and union[0, 0].all() and union[3, :, 49].all()


def test_a_winding_component_is_one_component():
    serpentine = torch.zeros(1, 40, 30, dtype=torch.bool)
    serpentine[0, ::2] = True  # rows joined at alternate ends
    serpentine[0, 1::4, -1] = True
    serpentine[0, 3::4, 0] = True
    diagonal = torch.eye(30, dtype=torch.bool)[None]  # 8-connected only
    for mask in (serpentine, diagonal):
        boxes, owners = component_boxes(mask, 1)
        assert boxes.tolist() == [[0, 0, mask.shape[2] - 1, mask.shape[1] - 1]] and owners.tolist() == [0]


def _slices(medseg_dir, count=2):
    from PIL import Image

    names = sorted(path.name for path in (medseg_dir / "images").iterdir())[:count]
    images = np.stack([np.asarray(Image.open(medseg_dir / "images" / name).convert("L")) for name in names])
    masks = np.stack([np.asarray(Image.open(medseg_dir / "masks" / name.replace("_im_", "_mask_")).convert("L")) > 0
                      for name in names])
    return images, masks


def test_the_refiner_redraws_inside_the_found_lesions_boxes_and_leaves_the_rest(medseg_dir):
    images, masks = _slices(medseg_dir)
    probs = torch.from_numpy(np.where(masks, 0.8, 0.2).astype(np.float32))
    probs[1] = 0.2  # nothing found on the second slice: it stays as it is
    batch = torch.from_numpy(images).float().div(255)[:, None]
    state = network.load_state(network.shipped_weights())
    settings = RefineSettings(margin=0, weight=0.5)
    refined = BoxRefiner(state, settings, 0.5, CPU)(batch, probs.clone())

    net = network.from_state(state)
    side = images.shape[-1]
    drawn = torch.zeros(side, side)
    inside_any = torch.zeros(side, side, dtype=torch.bool)
    with torch.no_grad():
        embedding = net.image_encoder(torch.nn.functional.interpolate(batch[:1].expand(-1, 3, -1, -1), size=(256, 256),
                                                                      mode="bilinear", align_corners=False))
        none = torch.zeros(1, 0)
        for x0, y0, x1, y1 in boxscore.component_boxes(masks[0]):
            logits, _ = decode(net, embedding, torch.tensor([[x0, y0, x1, y1]]).float() * 256 / side,
                               none[..., None].expand(-1, -1, 2), none)
            draft = torch.sigmoid(boxscore.upsample(logits[0, 0], side, side))
            inside = torch.zeros_like(inside_any)
            inside[y0:y1 + 1, x0:x1 + 1] = True
            drawn = torch.where(inside, torch.maximum(drawn, draft), drawn)
            inside_any |= inside
    assert inside_any.any() and not inside_any.all()
    assert torch.equal(refined[0][~inside_any], probs[0][~inside_any])
    torch.testing.assert_close(refined[0][inside_any], (0.5 * probs[0] + 0.5 * drawn)[inside_any], atol=2e-4, rtol=0)
    assert torch.equal(refined[1], probs[1])


@pytest.mark.parametrize("change, message", [
    ({"stages": [TRAIN, REFINER, TRAIN]}, "once, last"),
    ({"stages": [REFINER]}, "once, last"),
    ({"stages": [TRAIN, REFINER]}, "come together"),
    ({"stages": [TRAIN], "inference": REFINE}, "come together"),
    ({"stages": [TRAIN, {**REFINER, "members": 2}], "inference": REFINE}, "no init, no members"),
    ({"stages": [TRAIN, {**REFINER, "model": "sam"}], "inference": REFINE}, "refiner stage"),
    ({"stages": [TRAIN, REFINER], "inference": {**REFINE, "refine": {"weight": 0}}}, "refine weight"),
    ({"stages": [TRAIN, REFINER], "inference": {**REFINE, "refine": {"precision": "fp16"}}},
     "refine precision 'fp16' must be one of fp32, bf16"),
    ({"stages": [TRAIN, {**REFINER, "settings": {"width": 0.5}}], "inference": REFINE}, "stage 1: medsam-lite does"),
    ({"stages": [TRAIN, {**REFINER, "settings": {"loosen": 1}}], "inference": REFINE}, "stage 1: loosen=1: expected"),
])
def test_a_misplaced_refiner_is_refused_by_name(change, message):
    with pytest.raises(ValueError, match=message):
        Recipe.from_dict({**LITE, **change})


def test_a_recipe_with_a_refiner_stage_carries_its_weights_and_evaluate_refines_with_them(tmp_path, medseg_manifest):
    recipe = Recipe.from_dict({**LITE, "stages": [TRAIN, REFINER], "inference": REFINE})
    stream = io.StringIO()
    summary = run_recipe(recipe, {"main": medseg_manifest}, tmp_path / "run", EventSink("recipe", stream), [], "cpu")
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    stages = [(e["name"], e["state"]) for e in events if e["type"] == "stage"]
    assert stages == [("train", "started"), ("train", "finished"), ("refiner", "started"), ("refiner", "finished")]
    assert [e["name"] for e in events if e["type"] == "metric"].count("val_box_dice") >= 1
    model = tmp_path / "run" / "model.pt"
    assert summary["model"] == str(model)
    _, _, _, settings, refiner = load_model_file(model, CPU)
    assert settings.refine == RefineSettings(0, 0.5)
    trained = torch.load(tmp_path / "run" / "refiner" / "model.pt", weights_only=True)
    assert refiner.keys() == trained.keys() and all(torch.equal(refiner[k], trained[k]) for k in trained)

    def evaluate(*extra):
        result = subprocess.run([sys.executable, "-m", "lesionlab_trainer", "evaluate", "--checkpoint", str(model),
                                 "--manifest", str(medseg_manifest), "--out", str(tmp_path / f"eval{len(extra)}"),
                                 "--device", "cpu", "--precision", "fp32", "--bootstrap", "10", "--worst", "1",
                                 *extra], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout.splitlines()[-1])["summary"]["inference"]

    assert evaluate() == {**REFINE, "refine": {**REFINE["refine"], "precision": "fp32"}}
    assert evaluate("--no-refine") == {"tta": [], "threshold": 0.5}


def test_the_refiner_runs_medsam_lite_in_its_settings_precision(medseg_dir, monkeypatch):
    """bf16 on this CPU is ~15x slower than fp32, so the precision is recorded, not run: the encoder's and the one
    part of boxes' decoding."""
    asked = []
    monkeypatch.setattr(refine, "autocast", lambda device, precision: asked.append(precision) or nullcontext())
    images, masks = _slices(medseg_dir)
    probs = torch.from_numpy(np.where(masks, 0.8, 0.2).astype(np.float32))[:1]
    batch = torch.from_numpy(images).float().div(255)[:1, None]
    settings = InferenceSettings.from_dict({**REFINE, "refine": {"precision": "bf16"}})
    assert settings.to_dict()["refine"] == {"margin": 0, "weight": 0.5, "precision": "bf16"}
    BoxRefiner(network.load_state(network.shipped_weights()), settings.refine, 0.5, CPU)(batch, probs)
    assert asked == ["bf16", "bf16"]


def test_a_model_file_that_refines_without_refiner_weights_is_refused(tmp_path, medseg_manifest):
    recipe = Recipe.from_dict({**LITE, "stages": [TRAIN]})
    run_recipe(recipe, {"main": medseg_manifest}, tmp_path / "run", EventSink("recipe", io.StringIO()), [], "cpu")
    payload = torch.load(tmp_path / "run" / "model.pt", weights_only=True)
    payload["inference"] = InferenceSettings(refine=RefineSettings()).to_dict()
    torch.save(payload, tmp_path / "bad.pt")
    with pytest.raises(ValueError, match="carries no refiner weights"):
        load_model_file(tmp_path / "bad.pt", CPU)


def test_boxes_padded_for_the_compiled_decoder_draw_what_they_draw_unpadded(medseg_dir):
    images, masks = _slices(medseg_dir, 1)
    batch = torch.from_numpy(images).float().div(255)[:, None]
    refiner = BoxRefiner(network.load_state(network.shipped_weights()), RefineSettings(), 0.5, CPU)
    with torch.no_grad():
        embedding = refiner.embed(batch)
        boxes = torch.tensor([box for box in boxscore.component_boxes(masks[0])][:3])
        plain, plain_inside = refiner.drafts(embedding.expand(len(boxes), -1, -1, -1), boxes, *images.shape[1:])
        refiner.pad_boxes = True
        padded, padded_inside = refiner.drafts(embedding.expand(len(boxes), -1, -1, -1), boxes, *images.shape[1:])
    assert len(boxes) > 1 and padded.shape == plain.shape
    assert torch.equal(padded_inside, plain_inside) and (plain > 0.5).any()
    torch.testing.assert_close(padded, plain, atol=1e-5, rtol=0)
