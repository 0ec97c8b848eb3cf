#!/usr/bin/env bash
# The refiner's speed on the GPU machine: ways to run medsam-lite (refiner_speed.py), how it combines the drafts
# (refiner_combine_bench.py, before and now), and the refiner call as refine.py runs it (refiner_profile.py).
# Usage (repo root, after `source apps/trainer/scripts/gpu-setup.sh`): OUT=/some/dir bash apps/trainer/scripts/gpu-refiner-speed.sh
set -u
OUT=${OUT:-/tmp/refiner-speed}
mkdir -p "$OUT"
DATA=apps/trainer/.gpu-data
export PYTHONPATH=apps/trainer:apps/trainer/scripts:$DATA/medsam/site${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
WEIGHTS=$DATA/medsam/shipped-fp16.pt
step() {  # name timeout command...
  local name=$1 limit=$2
  shift 2
  timeout "$limit" "$@" > "$OUT/$name.json" 2> "$OUT/$name.err"
  echo "== $name (exit $?)"; grep -h '^{' "$OUT/$name.json" "$OUT/$name.err" | cut -c1-1500
}
nvidia-smi --query-gpu=name --format=csv,noheader
step speed 240 python apps/trainer/scripts/refiner_speed.py --weights "$WEIGHTS" --ops 15 --only autocast-eager \
  autocast-compiled autocast-sdpa-compiled-dyn bf16-sdpa-eager bf16-sdpa-compiled-dyn decode:autocast-eager \
  decode:autocast-sdpa-eager decode:autocast-sdpa-compiled
step combine 60 python apps/trainer/scripts/refiner_combine_bench.py --slices 128 --boxes 662
step profile 300 python apps/trainer/scripts/refiner_profile.py --weights "$WEIGHTS"
