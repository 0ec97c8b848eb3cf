"""Writes bench/results/trainer-quality.json from the device outputs of the recipe ablation and the recipe run.

Inputs: the ablation rounds' results (gpu-ablation.sh: ablation.json, one per round, in order) and the default
recipe's run through the worker's command line (gpu-recipe.sh: recipe-events.jsonl, recipe-wall.json, bench-tta.json).
Nothing is typed in by hand: CV numbers come from the ablation files; minutes from the recipe run's stage times (the
ablation trained its fine-tunes five at a time on one GPU, so its own times are not a single run's cost): pretraining
once (in proportion to the recipe's pretraining steps against the default's), plus one 200-step fine-tune per
fine-tune a recipe trains. Each round trained its own pretraining and is
compared with its own first recipe (the round's baseline, on the same slices); rows of different rounds differ by
the pretraining's run-to-run variation too.

A round may also have cascade scorings (cascade_cv.py: cascade.json, its medsam-lite fold trainings' log and the
inference bench with --refine): `--cascade ROUND:cascade.json:train.log:bench.json[:LOOSEN]` adds its variants as rows
of that round, LOOSEN being the fold fine-tunes' `--loosen` (gpu-cascade.sh's LOOSEN, in the file's name; 0 when
absent). A row that is what a version of the `jcs-medsam` recipe runs (its JCS stages, its refiner's loosen and
precision, the variant it fuses with) takes that name and version; the others are named after the JCS recipe,
the fine-tune and the variant. Minutes: the JCS recipe's plus the fastest fold training of the refiner.

Usage: python apps/trainer/scripts/quality_results.py --ablation A/ablation.json [--ablation B/ablation.json] \
           --recipe-run R/ --default jcs --default-variant soup2-ema-tta-hflip [--cascade 4:C/cascade.json:...[:0.03]] \
           --out bench/results/trainer-quality.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from lesionlab_trainer.recipes import find_recipe, load_recipes

ABLATION_RECIPES = Path(__file__).with_name("ablation-recipes.json")
CASCADE_RECIPE = ("jcs-medsam", "fuse-m0")  # the recipe, and the cascade_cv.py variant it runs
LOGGING_SETTINGS = {"log_every", "checkpoint_every"}  # change what is written, never what is trained


def training_definition(recipe) -> list:
    return [(s.data, s.init, s.steps, s.batch_size, s.members,
             {k: v for k, v in s.settings.items() if k not in LOGGING_SETTINGS}) for s in recipe.stages]


def refined_version(jcs_recipe, loosen: float, precision: str, variant: str) -> int | None:
    """The version of CASCADE_RECIPE that a cascade row is: its JCS recipe's stages and views, a refiner fine-tuned
    with `loosen` and run in `precision`, fused as CASCADE_RECIPE's variant; None if it is no version's."""
    if variant != CASCADE_RECIPE[1]:
        return None
    for recipe in load_recipes():
        if (recipe.name == CASCADE_RECIPE[0]
                and training_definition(jcs_recipe) == training_definition(recipe)[:-1]
                and jcs_recipe.inference.tta == recipe.inference.tta
                and float(recipe.stages[-1].settings.get("loosen", 0)) == loosen
                and recipe.inference.refine.precision == precision):
            return recipe.version
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ablation", action="append", required=True, help="one round's ablation.json; repeat")
    parser.add_argument("--recipe-run", required=True,
                        help="folder with recipe-events.jsonl, recipe-wall.json, bench-tta.json")
    parser.add_argument("--default", default="jcs")
    parser.add_argument("--default-variant", required=True, help="the ablation recipe the default recipe is")
    parser.add_argument("--cascade", action="append", default=[], metavar="ROUND:CASCADE:TRAIN_LOG:BENCH[:LOOSEN]")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rounds = [json.loads(Path(path).read_text()) for path in args.ablation]
    run = Path(args.recipe_run)
    events = [json.loads(line) for line in (run / "recipe-events.jsonl").read_text().splitlines()]
    stages = {e["name"]: e["seconds"] for e in events if e["type"] == "stage" and e["state"] == "finished"}
    done = next(e for e in events if e["type"] == "done")
    default = find_recipe(args.default, done["summary"]["version"])
    variants = {r.name: r for r in load_recipes(ABLATION_RECIPES)}
    chosen = variants[args.default_variant]
    if training_definition(chosen) != training_definition(default) or chosen.inference != default.inference:
        raise SystemExit(f"{args.default_variant} is not what recipe {default.name} v{default.version} runs")
    finetune_members = default.stages[1].members
    one_finetune = stages["finetune"] / finetune_members
    bench = json.loads((run / "bench-tta.json").read_text())["summary"]

    def minutes(name: str, ablation: dict) -> float:
        base = name.removesuffix("+thr")
        pretrain = stages["pretrain"]
        if base in variants:
            fine_tunes = variants[base].stages[1].members
            pretrain *= variants[base].stages[0].steps / default.stages[0].steps
        else:  # an ensemble of two single fine-tunes (crossval --ensemble)
            spec = next(e for e in ablation["ensembles"] if e.startswith(base + "="))
            fine_tunes = len(spec.split("=")[1].split("+"))
        return round((pretrain + fine_tunes * one_finetune) / 60, 2)

    results = []
    for number, ablation in enumerate(rounds, start=1):
        baseline = ablation["results"][0]["recipe"]
        for row in ablation["results"]:
            default_row = number == 1 and row["recipe"] == args.default_variant
            name = args.default if default_row else row["recipe"]
            results.append({
                "recipe": name, **({"variant": row["recipe"], "version": default.version} if default_row else {}),
                "round": number, "folds": row["folds"], "cv_dice_mean": round(row["cv_dice_mean"], 4),
                "cv_dice_ci95": [round(v, 4) for v in row["cv_dice_ci95"]],
                "baseline": baseline, "delta_vs_baseline": round(row["delta_vs_first"], 4),
                "delta_vs_baseline_ci95": [round(v, 4) for v in row["delta_vs_first_ci95"]],
                "per_fold": [round(v, 4) for v in row["per_fold"]], "thresholds": row["thresholds"],
                "minutes": minutes(row["recipe"], ablation), "card": row["card"],
            })
    refined_inference = None
    for spec in args.cascade:
        number, cascade_file, train_log, bench_file, *rest = spec.split(":")
        loosen = float(rest[0]) if rest else 0.0
        cascade = json.loads(Path(cascade_file).read_text())
        precision = cascade.get("precision", "fp32")
        tag = (f"-loose{rest[0]}" if loosen else "") + ("-bf16" if precision == "bf16" else "")
        folds = [json.loads(line) for line in Path(train_log).read_text().splitlines() if line.startswith('{"fold"')]
        refiner_seconds = min(fold["s"] for fold in folds)
        base = next(r for r in results if r["round"] == int(number) and r["recipe"] == cascade["recipe"])
        for row in cascade["results"]:
            if row["variant"] == "jcs":  # the JCS maps alone: the round's own row of that recipe
                continue
            version = refined_version(variants[cascade["recipe"]], loosen, precision, row["variant"])
            named = version is not None
            results.append({
                "recipe": CASCADE_RECIPE[0] if named else f"{cascade['recipe']}-medsam{tag}-{row['variant']}",
                **({"variant": row["variant"], "version": version} if named else {}),
                "refiner": {"loosen": loosen, "precision": precision},
                "round": int(number), "folds": cascade["folds"], "cv_dice_mean": round(row["cv_dice_mean"], 4),
                "cv_dice_ci95": [round(v, 4) for v in row["cv_dice_ci95"]], "baseline": base["recipe"],
                "delta_vs_baseline": round(row["delta_vs_jcs"], 4),
                "delta_vs_baseline_ci95": [round(v, 4) for v in row["delta_vs_jcs_ci95"]],
                "per_fold": [round(v, 4) for v in row["per_fold"]], "thresholds": base["thresholds"],
                "minutes": round(base["minutes"] + refiner_seconds / 60, 2),
                "card": cascade["card"],
            })
        refined = json.loads(Path(bench_file).read_text())["summary"]
        refined_inference = {"recipe": CASCADE_RECIPE[0], "tta": refined["tta"], "refine": refined["refine"],
                             "slices_per_s": round(refined["infer_images_per_s"], 1), "card": refined["device"],
                             "batch": refined["infer_batch_size"], "compile": refined["compile"]}
    report = {
        "default_recipe": args.default,
        "default_recipe_version": default.version,
        "method": "5-fold CV on medseg-ct100 (50 slices, folds of 10), mean per-slice Dice over the 50 held-out "
                  "slices, 95% percentile bootstrap over slices; deltas paired against the round's baseline on the "
                  "same slices. Within a round all variants share one pretraining and fine-tunes of one seed are "
                  "shared; rounds trained their own pretraining. '+thr' rows: the threshold of fold k chosen on the "
                  "other folds' held-out predictions. Minutes: pretraining plus the recipe's fine-tunes at the "
                  "default recipe run's measured stage times on the same card.",
        "results": results,
        "default_recipe_run": {
            "command": "the worker's trainer command line (libs/training/scripts/recipe-command.ts)",
            "card": bench["device"], "wall_minutes": round(json.loads((run / "recipe-wall.json").read_text())
                                                           ["recipe_wall_seconds"] / 60, 2),
            "stage_seconds": {k: round(v, 1) for k, v in stages.items()},
        },
        "inference_with_tta": {
            "tta": bench["tta"], "slices_per_s": round(bench["infer_images_per_s"], 1), "card": bench["device"],
            "batch": bench["infer_batch_size"], "compile": bench["compile"], "folded": bench["folded_inference"],
        },
        **({"inference_with_tta_and_refiner": refined_inference} if refined_inference else {}),
    }
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
