#!/usr/bin/env bash
# `predict` as the platform runs it, timed on the GPU machine, over the 1,237 slices of the infnet-pseudo train
# split (real COVID-19 slices of varied size), each listed REPEAT times. The model: JCS fine-tuned briefly on
# medseg-ct100 (so its maps are lesion-like; not a model to score), written with jcs v2's inference (left-right
# view) and with jcs-medsam v2's (medsam-lite's shipped weights as its refiner). Each run: the worker's arguments
# (libs/training/src/trainer/trainer-command.ts, predictInvocation) plus those in RUNS; the done event's summary
# (seconds, first_batch_seconds, peak card memory), the rate after the first batch and the wall time go to
# $OUT/predict-speed.jsonl.
# Usage (repo root): OUT=/some/dir [REPEAT=4] [STEPS=150] [RUNS=...] bash apps/trainer/scripts/gpu-predict-speed.sh
# (the worker's GPU runs pass --batch-size 128 since stop 38; `worker-b16` is how it ran before)
set -u
OUT=${OUT:-/tmp/predict-speed}
GPU_DATA=apps/trainer/.gpu-data
WORK=/tmp/predict-speed
[[ -d /tmp/site ]] || source apps/trainer/scripts/gpu-setup.sh
export PYTHONPATH=/tmp/site:apps/trainer:$GPU_DATA/medsam/site PYTHONUNBUFFERED=1
mkdir -p "$OUT" "$WORK"
[[ -d $GPU_DATA/infnet-pseudo ]] || tar xf "$GPU_DATA/infnet-pseudo.tar" -C "$GPU_DATA"
for set in medseg-ct100 infnet-pseudo; do
  python -m lesionlab_trainer manifest --from $set --data "$GPU_DATA/$set" --out "$WORK/$set" > /dev/null
done
if [[ ! -f $WORK/train/model.pt ]]; then
  python -m lesionlab_trainer train --model jcs --manifest "$WORK/medseg-ct100/manifest.jsonl" --steps "${STEPS:-150}" \
    --batch-size 8 --out "$WORK/train" > "$WORK/train.log" 2>&1 || { tail -n 5 "$WORK/train.log"; exit 1; }
fi
python - "$WORK" "$GPU_DATA/medsam/shipped-fp16.pt" <<'PY'
import sys
from pathlib import Path

import torch

from lesionlab_trainer.medsam import network
from lesionlab_trainer.recipes import load_recipes

work, refiner = Path(sys.argv[1]), Path(sys.argv[2])
payload = torch.load(work / "train" / "model.pt", map_location="cpu", weights_only=False)
recipes = load_recipes()
newest = {name: max((r for r in recipes if r.name == name), key=lambda r: r.version) for name in ("jcs", "jcs-medsam")}
torch.save({**payload, "inference": newest["jcs"].inference.to_dict()}, work / "jcs.pt")
torch.save({**payload, "inference": newest["jcs-medsam"].inference.to_dict(),
            "refiner": network.load_state(refiner)}, work / "jcs-medsam.pt")
PY
# REPEAT > 1: every slice listed REPEAT times under distinct ids, so the steady rate outweighs the first batch
MANIFEST=$WORK/infnet-pseudo/manifest.jsonl
if (( ${REPEAT:=4} > 1 )); then
  python - "$MANIFEST" "$REPEAT" > "$WORK/infnet-pseudo/repeated.jsonl" <<'PY'
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1])]
for copy in range(int(sys.argv[2])):
    for row in rows:
        print(json.dumps({**row, "slice_id": f"{row['slice_id']}~{copy}"}))
PY
  MANIFEST=$WORK/infnet-pseudo/repeated.jsonl
fi
nvidia-smi --query-gpu=name --format=csv,noheader
# name, model file, extra arguments; the first run also decodes the slices into the shared cache (in its wall
# time only); a second compiled run finds the compiled kernels in inductor's on-disk cache
RUNS=${RUNS:-"worker-b16:jcs:--batch-size=16 worker:jcs:--batch-size=128 compiled:jcs:--compile,--batch-size=128
compiled-again:jcs:--compile,--batch-size=128 refined:jcs-medsam:--batch-size=128
refined-compiled:jcs-medsam:--compile,--batch-size=128"}
for run in $RUNS; do
  IFS=: read -r name model extra <<< "$run"
  started=$EPOCHREALTIME
  # shellcheck disable=SC2046
  timeout "${LIMIT_S:-240}" python -m lesionlab_trainer predict --checkpoint "$WORK/$model.pt" \
    --manifest "$MANIFEST" --split train --out "$WORK/out-$name" --precision bf16 \
    --cache-dir "$WORK/cache" $(tr , ' ' <<< "$extra") > "$WORK/$name.events" 2> "$WORK/$name.err"
  code=$?
  batch=$(grep -o 'batch-size=[0-9]*' <<< "$extra" | cut -d= -f2)
  python - "$name" "$code" "$started" "$EPOCHREALTIME" "$WORK/$name.events" "${batch:-16}" <<'PY' |
import json, sys
name, code, started, ended, events = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
batch = int(sys.argv[6])
done = [e for e in map(json.loads, open(events)) if e.get("type") == "done"]
summary = done[-1]["summary"] if done else {}
row = {"run": name, "exit": code, "wall_seconds": ended - started, **{k: summary.get(k) for k in (
    "slices", "seconds", "first_batch_seconds", "peak_device_memory_gib")}}
if summary.get("seconds"):
    row["slices_per_s"] = summary["slices"] / summary["seconds"]
    # the rate once the first batch (compiling, cuDNN's choices) is behind it
    row["after_first_batch_per_s"] = (summary["slices"] - batch) / (summary["seconds"] - summary["first_batch_seconds"])
print(json.dumps(row))
PY
    tee -a "$OUT/predict-speed.jsonl"
  [[ $code == 0 ]] || tail -n 3 "$WORK/$name.err" | tee "$OUT/$name.err"
done
