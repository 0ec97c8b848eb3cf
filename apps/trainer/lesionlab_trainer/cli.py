"""Command line: python -m lesionlab_trainer {train,recipe,evaluate,predict,export,bench,manifest}.

Every command writes JSON-line events to stdout and human logs to stderr; failures become an `error`
event (naming the file at fault when there is one) and exit code 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lesionlab_trainer.data.adapters import SOURCES, build_manifest
from lesionlab_trainer.events import EventSink
from lesionlab_trainer.models.registry import MEDSAM_PRESET, MODEL_NAMES


def _train(args: argparse.Namespace, sink: EventSink) -> None:
    if args.model == MEDSAM_PRESET:
        from lesionlab_trainer.medsam.preset import run_preset

        if args.resume or args.config:
            raise ValueError("medsam-lite takes neither --resume (it keeps no checkpoints) nor --config (use --set)")
        best = run_preset(
            Path(args.manifest),
            Path(args.data_root) if args.data_root else None,
            Path(args.out),
            sink,
            steps=args.steps,
            batch_size=args.batch_size,
            image_size=args.image_size,
            overrides=args.set,
            device=args.device,
            init_checkpoint=Path(args.init_checkpoint) if args.init_checkpoint else None,
        )
        sink.done(**best)
        return
    from lesionlab_trainer.config import load_config
    from lesionlab_trainer.training.trainer import Trainer

    config = load_config(args.config, args.set, model=args.model, steps=args.steps, batch_size=args.batch_size,
                         image_size=args.image_size, device=args.device, init_checkpoint=args.init_checkpoint)
    trainer = Trainer(config, Path(args.manifest), Path(args.out), sink, args.data_root)
    if args.resume:
        trainer.resume(Path(args.resume) if args.resume != "latest" else None)
    sink.done(**trainer.run())


def _recipe(args: argparse.Namespace, sink: EventSink) -> None:
    from lesionlab_trainer.recipes import find_recipe, run_recipe

    recipe = find_recipe(args.name, args.version)
    manifests = {"main": Path(args.manifest)}
    roots = {"main": Path(args.data_root)} if args.data_root else {}
    if args.pretrain_manifest:
        manifests["pretrain"] = Path(args.pretrain_manifest)
        if args.pretrain_data_root:
            roots["pretrain"] = Path(args.pretrain_data_root)
    sink.done(**run_recipe(recipe, manifests, Path(args.out), sink, args.set, args.device, roots))


def _evaluate(args: argparse.Namespace, sink: EventSink) -> None:
    from lesionlab_trainer.evaluation.evaluate import run_evaluation

    sink.done(**run_evaluation(args, sink))


def _predict(args: argparse.Namespace, sink: EventSink) -> None:
    from lesionlab_trainer.prediction.predict import run_prediction

    sink.done(**run_prediction(args, sink))


def _export(args: argparse.Namespace, sink: EventSink) -> None:
    from lesionlab_trainer.export import run_export

    sink.done(**run_export(args, sink))


def _bench(args: argparse.Namespace, sink: EventSink) -> None:
    if args.model == MEDSAM_PRESET:
        raise ValueError(
            "bench times the JCS presets on synthetic batches; medsam-lite is timed and scored on real slices "
            "by `npm run bench -- assist`"
        )
    from lesionlab_trainer.bench import run_bench

    run_bench(args, sink)


def _manifest(args: argparse.Namespace, sink: EventSink) -> None:
    path = build_manifest(args.source, Path(args.data), Path(args.out), args.seed, args.val_fraction,
                          args.test_fraction)
    sink.artifact("manifest", str(path))
    sink.done(manifest=str(path))


def _add_model_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--checkpoint", required=True, help="model.pt/best.pt or a training checkpoint")
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--data-root", help="folder the manifest paths are relative to (default: its folder)")
    parser.add_argument("--split", default="test", choices=["train", "val", "test"])
    parser.add_argument("--out", required=True)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--precision", default="bf16", choices=["bf16", "fp32"])
    parser.add_argument("--cache-dir", help="decoded-data cache (default: <out>/cache)")
    parser.add_argument("--tta", help="test-time views averaged with the plain one, comma-separated (hflip, vflip, "
                                      "hvflip, scale:F; 'none' for none); default: the model file's")
    parser.add_argument("--mask-threshold", type=float, help="lesion probability threshold (default: the model "
                                                            "file's, else 0.5)")
    parser.add_argument("--no-refine", action="store_true", help="skip the model file's medsam-lite refinement "
                                                                 "(recipes with a refiner stage)")
    parser.add_argument("--compile", action="store_true", help="compile each block of the inference form (GPU)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lesionlab_trainer",
                                     description="LesionLab trainer: JCS models on release manifests. "
                                                 "Events as JSON lines on stdout, logs on stderr.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser("train", help="train a model on a release manifest")
    train.add_argument("--manifest", required=True)
    train.add_argument("--data-root")
    train.add_argument("--out", required=True, help="run folder: checkpoints/, model.pt, cache/")
    train.add_argument("--config", help="JSON file of TrainConfig settings")
    train.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a setting")
    train.add_argument("--model", choices=MODEL_NAMES)
    train.add_argument("--steps", type=int)
    train.add_argument("--batch-size", type=int)
    train.add_argument("--image-size", type=int)
    train.add_argument("--device", choices=["auto", "cpu", "cuda"])
    train.add_argument("--init-checkpoint", help="local .pth/.pt to initialise from (never downloads)")
    train.add_argument("--resume", nargs="?", const="latest", help="continue from the latest (or given) checkpoint")
    train.set_defaults(handler=_train)

    recipe = commands.add_parser("recipe", help="train a recipe's stages in turn (e.g. pretrain, then fine-tune)")
    recipe.add_argument("--name", required=True, help="recipe name (libs/contracts/recipes/training-recipes.json)")
    recipe.add_argument("--version", type=int, help="recipe version (default: the newest)")
    recipe.add_argument("--manifest", required=True, help="the run's release manifest (stages on data 'main')")
    recipe.add_argument("--data-root")
    recipe.add_argument("--pretrain-manifest", help="the pretraining release's manifest (stages on 'pretrain')")
    recipe.add_argument("--pretrain-data-root")
    recipe.add_argument("--out", required=True, help="run folder: one folder per stage, model.pt")
    recipe.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a setting in every stage (not the sizes or the model)")
    recipe.add_argument("--device", choices=["auto", "cpu", "cuda"])
    recipe.set_defaults(handler=_recipe)

    evaluate = commands.add_parser("evaluate", help="metrics, report JSON, per-slice CSV, worst-slice overlays")
    _add_model_input(evaluate)
    evaluate.add_argument("--threshold", type=float, default=0.5, help="slice COVID probability threshold")
    evaluate.add_argument("--patient-rule", default="ratio:0.1", help="count:K, ratio:R or max:P")
    evaluate.add_argument("--bootstrap", type=int, default=1000, help="bootstrap rounds for 95%% intervals")
    evaluate.add_argument("--worst", type=int, default=8, help="overlay PNGs of the N worst slices")
    evaluate.set_defaults(handler=_evaluate)

    predict = commands.add_parser("predict", help="masks (COCO RLE), probabilities, Grad-CAM, uncertainty")
    _add_model_input(predict)
    predict.add_argument("--gradcam", action="store_true", help="write Grad-CAM PNGs")
    predict.set_defaults(handler=_predict)

    export = commands.add_parser("export", help="ONNX export with a parity check against PyTorch")
    export.add_argument("--checkpoint", required=True)
    export.add_argument("--out", required=True, help="output .onnx path")
    export.add_argument("--tolerance", type=float, default=1e-3)
    export.set_defaults(handler=_export)

    bench = commands.add_parser("bench", help="train/inference throughput, peak memory, MFU (one JSON object)")
    bench.add_argument("--model", default="jcs", choices=MODEL_NAMES)
    bench.add_argument("--batch-size", type=int, default=16)
    bench.add_argument("--image-size", type=int, default=512)
    bench.add_argument("--precision", default="bf16", choices=["bf16", "fp32"])
    bench.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    bench.add_argument("--compile", nargs="?", const="regions", choices=["regions", "model"],
                       help="torch.compile each block (regions, the default) or the whole network (model)")
    bench.add_argument("--compile-mode", choices=["default", "reduce-overhead", "max-autotune",
                                                  "max-autotune-no-cudagraphs"], help="torch.compile mode")
    bench.add_argument("--no-channels-last", action="store_true")
    bench.add_argument("--skip-train", action="store_true", help="time inference only")
    bench.add_argument("--fold", action="store_true",
                       help="time inference on the folded form (normalisation folded into fused cuDNN convolutions)")
    bench.add_argument("--tta", help="time inference with these test-time views too (comma-separated, as predict)")
    bench.add_argument("--refine", action="store_true",
                       help="time the medsam-lite refinement of recipes with a refiner stage too, on lesion-like maps")
    bench.add_argument("--refine-weights", help="medsam-lite weights for --refine (default: the shipped ones)")
    bench.add_argument("--refine-precision", choices=["fp32", "bf16"], default="fp32",
                       help="medsam-lite's precision for --refine")
    bench.add_argument("--refine-compile", action="store_true",
                       help="compile medsam-lite's image encoder and mask decoder for --refine")
    bench.add_argument("--warmup", type=int, default=3)
    bench.add_argument("--iters", type=int, default=10)
    bench.add_argument("--infer-batch-size", type=int, help="default: --batch-size")
    bench.add_argument("--peak-tflops", type=float, help="device peak for MFU (default: from the device name)")
    bench.set_defaults(handler=_bench)

    manifest = commands.add_parser("manifest", help="build a release manifest from a public test dataset")
    manifest.add_argument("--from", dest="source", required=True, choices=list(SOURCES))
    manifest.add_argument("--data", required=True)
    manifest.add_argument("--out", required=True)
    manifest.add_argument("--seed", type=int, default=0)
    manifest.add_argument("--val-fraction", type=float, default=0.15)
    manifest.add_argument("--test-fraction", type=float, default=0.15)
    manifest.set_defaults(handler=_manifest)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sink = EventSink(args.command)
    try:
        args.handler(args, sink)
    except Exception as exc:  # noqa: BLE001 - every failure must become an error event
        sink.error(exc)
        return 1
    return 0
