#!/usr/bin/env bash
# Benchmarks the full JCS model on the GPU machine (which has its own PyTorch): eager, then compiled per block.
# Usage (from the repo root): OUT=/some/dir bash apps/trainer/scripts/gpu-bench.sh
set -u
OUT=${OUT:-/tmp/bench}
mkdir -p "$OUT"
export PYTHONPATH=apps/trainer PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv | tee "$OUT/gpu.txt"
python -c "import torch; print('torch', torch.__version__, torch.version.cuda)" | tee -a "$OUT/gpu.txt"
BENCH=(python -m lesionlab_trainer bench --model jcs --image-size 512)
run() {  # name timeout args...
  local name=$1 limit=$2
  shift 2
  timeout "$limit" "${BENCH[@]}" "$@" > "$OUT/$name.json" 2> "$OUT/$name.err"
  echo "== $name (exit $?)"
  tail -c 1500 "$OUT/$name.json"
  tail -n 5 "$OUT/$name.err"
}
run eager_b32 150 --batch-size 32 --infer-batch-size 128
# compiled runs recompile for every new batch shape (~160 s for training, ~70 s for inference on an H100 host)
run regions_b64 420 --compile regions --batch-size 64 --infer-batch-size 128 --iters 6
