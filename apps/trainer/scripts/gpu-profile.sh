#!/usr/bin/env bash
# Profiles (CUDA time by op) and benchmarks the full JCS model on the GPU machine.
# Usage (repo root): OUT=/some/dir [BASELINE=path/to/old/package/parent] bash apps/trainer/scripts/gpu-profile.sh
set -u
OUT=${OUT:-/tmp/profile}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | tee "$OUT/gpu.txt"
PROFILE=apps/trainer/scripts/gpu_profile.py
echo "## current profile"; PYTHONPATH=apps/trainer timeout 120 python $PROFILE --out "$OUT/profile_after.json"
export PYTHONPATH=apps/trainer
BENCH=(python -m lesionlab_trainer bench --model jcs --image-size 512)
for spec in ${RUNS:-"eager:16:64"}; do
  IFS=: read -r kind train infer mode <<< "$spec"
  extra=(); [ "$kind" = compile ] && extra=(--compile ${mode:+--compile-mode $mode})
  echo "## bench $spec"
  timeout ${BENCH_TIMEOUT:-300} "${BENCH[@]}" --batch-size "$train" --infer-batch-size "$infer" "${extra[@]}" \
    > "$OUT/bench_${kind}_${train}_${infer}${mode:+_$mode}.json" 2> /tmp/bench.err
  tail -n 1 "$OUT/bench_${kind}_${train}_${infer}${mode:+_$mode}.json" | python -c "import json,sys; d=json.loads(sys.stdin.read())['summary']; print({k: (round(v,3) if isinstance(v,float) else v) for k,v in d.items() if k.startswith(('train_','infer_','forward'))})" || tail -n 5 /tmp/bench.err
done
if [ -n "${BASELINE:-}" ]; then
  echo "## baseline profile"; PYTHONPATH=$BASELINE timeout 120 python $PROFILE --out "$OUT/profile_before.json"
fi
