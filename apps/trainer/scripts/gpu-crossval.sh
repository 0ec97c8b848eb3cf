#!/usr/bin/env bash
# 5-fold cross-validated Dice of the full JCS model on medseg-ct100, on the GPU machine. With PRETRAIN_MANIFEST set,
# the model is first trained on that manifest (the infnet-pseudo slices) on all visible GPUs, and every fold starts
# from those weights.
# Usage (from the repo root): OUT=/some/dir [PRETRAIN_MANIFEST=/tmp/pseudo/manifest.jsonl PRETRAIN_STEPS=1000] \
#   bash apps/trainer/scripts/gpu-crossval.sh   (jsonschema must be importable: see gpu-setup.sh)
set -u
OUT=${OUT:-/tmp/cv}
DATA=${DATA:-apps/trainer/.gpu-data/medseg-ct100}
GPUS=$(nvidia-smi --list-gpus | wc -l)
export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}apps/trainer PYTHONUNBUFFERED=1
mkdir -p "$OUT"
FOLD_SETTINGS=(--set lr=2e-4 --set warmup_steps=30)
if [[ -n "${PRETRAIN_MANIFEST:-}" ]]; then
  torchrun --standalone --nproc-per-node "$GPUS" -m lesionlab_trainer train --manifest "$PRETRAIN_MANIFEST" \
    --out /tmp/pretrain --model jcs --steps "${PRETRAIN_STEPS:-1000}" --batch-size $((16 * GPUS)) \
    --set lr=2e-4 --set warmup_steps=100 --set 'sampling={"pixel":1.0}' --set log_every=100 \
    --set checkpoint_every=100000 --set "cache_dir=${CACHE:-/tmp/cache}" > "$OUT/pretrain.jsonl"
  grep '"progress"' "$OUT/pretrain.jsonl" | tail -n 2
  FOLD_SETTINGS=(--set lr=1e-4 --set warmup_steps=20 --set init_checkpoint=/tmp/pretrain/model.pt)
fi
python apps/trainer/scripts/crossval.py --data "$DATA" --out /tmp/cv-work --model jcs --folds 5 \
  --steps "${STEPS:-300}" --batch-size 8 --image-size 512 "${FOLD_SETTINGS[@]}" \
  --set 'sampling={"pixel":1.0}' --set log_every=50 --set checkpoint_every=100000 | tee "$OUT/crossval.jsonl"
tail -n 3 /tmp/cv-work/fold0/events.jsonl > "$OUT/fold0-events-tail.jsonl"
