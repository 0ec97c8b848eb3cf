#!/usr/bin/env bash
# Benchmarks the full JCS model on the GPU machine (which has its own PyTorch): eager and compiled.
# Usage (from the repo root): OUT=/some/dir bash apps/trainer/scripts/gpu-bench.sh
set -u
OUT=${OUT:-/tmp/bench}
mkdir -p "$OUT"
export PYTHONPATH=apps/trainer
nvidia-smi --query-gpu=name,memory.total --format=csv | tee "$OUT/gpu.txt"
python -c "import torch; print('torch', torch.__version__, torch.version.cuda)" | tee -a "$OUT/gpu.txt"
BENCH=(python -m lesionlab_trainer bench --model jcs --image-size 512)
timeout 150 "${BENCH[@]}" --batch-size 16 --infer-batch-size 64 > "$OUT/bench_eager_b16.json"
tail -c 2000 "$OUT/bench_eager_b16.json"
timeout 150 "${BENCH[@]}" --batch-size 16 --infer-batch-size 16 --precision fp32 --iters 5 > "$OUT/bench_eager_fp32_b16.json"
tail -c 2000 "$OUT/bench_eager_fp32_b16.json"
timeout 560 "${BENCH[@]}" --batch-size 16 --infer-batch-size 64 --compile > "$OUT/bench_compile_b16.json"
tail -c 2000 "$OUT/bench_compile_b16.json"
