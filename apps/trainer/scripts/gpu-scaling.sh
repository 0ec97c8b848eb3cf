#!/usr/bin/env bash
# Training images/s of the full JCS model on one GPU and on all visible GPUs (DDP through torchrun), with the
# same per-GPU batch, on real slices (the train command's own loop: cache, augmentation, loss, optimiser).
# Usage (from the repo root): OUT=/some/dir MANIFEST=/tmp/pseudo/manifest.jsonl bash apps/trainer/scripts/gpu-scaling.sh
set -u
OUT=${OUT:-/tmp/scaling}
PER_GPU=${PER_GPU:-16}
STEPS=${STEPS:-80}
GPUS=$(nvidia-smi --list-gpus | wc -l)
export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}apps/trainer PYTHONUNBUFFERED=1
mkdir -p "$OUT"
SETTINGS=(--model jcs --steps "$STEPS" --set log_every=20 --set checkpoint_every=100000 --set warmup_steps=10
          --set 'sampling={"pixel":1.0}' --set "cache_dir=${CACHE:-/tmp/cache}")
CUDA_VISIBLE_DEVICES=0 python -m lesionlab_trainer train --manifest "$MANIFEST" --out /tmp/scaling-1 \
  --batch-size "$PER_GPU" "${SETTINGS[@]}" > "$OUT/scaling-1gpu.jsonl"
torchrun --standalone --nproc-per-node "$GPUS" -m lesionlab_trainer train --manifest "$MANIFEST" \
  --out "/tmp/scaling-$GPUS" --batch-size $((PER_GPU * GPUS)) "${SETTINGS[@]}" > "$OUT/scaling-${GPUS}gpu.jsonl"
# images/s of the last progress window (the first ones include cuDNN autotuning)
python - "$OUT" "$GPUS" <<'PY'
import json, sys
out, gpus = sys.argv[1], int(sys.argv[2])
rates = {}
for n in (1, gpus):
    events = [json.loads(line) for line in open(f"{out}/scaling-{n}gpu.jsonl") if line.startswith("{")]
    rates[n] = [e["images_per_s"] for e in events if e["type"] == "progress"][-1]
print(json.dumps({"gpus": gpus, "images_per_s": rates, "scaling": rates[gpus] / rates[1]}))
PY
