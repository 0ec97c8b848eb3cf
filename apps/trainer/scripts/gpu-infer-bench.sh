#!/usr/bin/env bash
# Inference throughput of the full JCS model on the GPU machine: compiled per block, unfolded and folded
# (normalisation folded into fused cuDNN convolutions), then a CUDA-kernel profile of the folded form.
# Usage (repo root): OUT=/some/dir [BATCHES="128 256"] bash apps/trainer/scripts/gpu-infer-bench.sh
set -u
OUT=${OUT:-/tmp/infer-bench}
mkdir -p "$OUT"
export PYTHONPATH=apps/trainer PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | tee "$OUT/gpu.txt"
BENCH=(python -m lesionlab_trainer bench --model jcs --image-size 512 --skip-train --iters 10)
run() {  # name timeout args...
  local name=$1 limit=$2
  shift 2
  TORCH_LOGS=graph_breaks timeout "$limit" "${BENCH[@]}" "$@" > "$OUT/$name.json" 2> "$OUT/$name.err"
  echo "== $name (exit $?, $(grep -c 'Graph break' "$OUT/$name.err") graph-break log lines)"
  tail -n 1 "$OUT/$name.json" | python -c "import json,sys; d=json.loads(sys.stdin.read())['summary']; print({k: d[k] for k in ('infer_batch_size', 'infer_images_per_s', 'infer_mfu', 'infer_peak_memory_gib', 'first_step_seconds')})" || tail -n 5 "$OUT/$name.err"
}
for batch in ${BATCHES:-128}; do
  run "eager_folded_b$batch" 120 --fold --infer-batch-size "$batch"
  run "regions_b$batch" 240 --compile regions --infer-batch-size "$batch"
  run "regions_folded_b$batch" 240 --compile regions --fold --infer-batch-size "$batch"
done
[ -n "${PROFILE:-}" ] && timeout 240 python apps/trainer/scripts/gpu_profile.py --compile --fold --infer-only ${PROFILE_ARGS:-} \
  --infer-batch 128 --out "$OUT/profile_folded.json"
