#!/usr/bin/env bash
# 5-fold cross-validated Dice of a platform recipe (default: jcs, its newest version) on medseg-ct100, on the GPU
# machine. The recipe's pretraining stage trains once on PRETRAIN_MANIFEST (the infnet-pseudo slices: build it with
# `manifest --from infnet-pseudo`); every fold fine-tunes from it. Results: $OUT/crossval.json.
# Usage (from the repo root): OUT=/some/dir PRETRAIN_MANIFEST=/tmp/pseudo/manifest.jsonl [RECIPE=jcs] \
#   bash apps/trainer/scripts/gpu-crossval.sh   (jsonschema must be importable: see gpu-setup.sh)
set -eu -o pipefail
OUT=${OUT:-/tmp/cv}
DATA=${DATA:-apps/trainer/.gpu-data/medseg-ct100}
export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}apps/trainer PYTHONUNBUFFERED=1
mkdir -p "$OUT"
python apps/trainer/scripts/crossval.py --data "$DATA" --out /tmp/cv-work --pretrain-manifest "$PRETRAIN_MANIFEST" \
  --recipe "${RECIPE:-jcs}" --jobs "${JOBS:-1}" --results "$OUT/crossval.json" 2> >(tee "$OUT/crossval.log" >&2) > /dev/null
