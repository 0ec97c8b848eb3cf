#!/usr/bin/env bash
# 5-fold cross-validated Dice of the full JCS model on medseg-ct100, on the GPU machine.
# Usage (from the repo root): OUT=/some/dir DATA=apps/trainer/.gpu-data/medseg-ct100 bash apps/trainer/scripts/gpu-crossval.sh
set -u
OUT=${OUT:-/tmp/cv}
DATA=${DATA:-apps/trainer/.gpu-data/medseg-ct100}
WHEELS=apps/trainer/.gpu-data/wheels
mkdir -p "$OUT"
python -c "import jsonschema" 2>/dev/null || python -m pip install -q --no-index --find-links "$WHEELS" jsonschema
export PYTHONPATH=apps/trainer
python apps/trainer/scripts/crossval.py --data "$DATA" --out /tmp/cv-work --model jcs --folds 5 \
  --steps "${STEPS:-300}" --batch-size 8 --image-size 512 \
  --set lr=2e-4 --set warmup_steps=30 --set 'sampling={"pixel":1.0}' --set log_every=50 \
  --set checkpoint_every=100000 | tee "$OUT/crossval.jsonl"
tail -n 3 /tmp/cv-work/fold0/events.jsonl > "$OUT/fold0-events-tail.jsonl"
