#!/usr/bin/env bash
# A recipe run as the platform runs it, on the GPU machine: the worker's trainer command line (printed beforehand
# by libs/training/scripts/recipe-command.ts into $COMMAND_FILE, since the GPU machine has no Node), on the
# medseg-ct100 release and the infnet-pseudo pretraining release; then evaluate of its model (the recipe's
# test-time views applied) and the inference bench with those views.
# Usage (repo root): OUT=/some/dir COMMAND_FILE=apps/trainer/.gpu-data/recipe-command.sh bash apps/trainer/scripts/gpu-recipe.sh
# WORK (default /tmp) holds the two manifests (WORK/medseg, WORK/pseudo) and the run folder (WORK/jcs-run): the
# paths the command file was printed with. Another WORK lets the run share the machine with gpu-ablation.sh.
set -eu -o pipefail
OUT=${OUT:-/tmp/recipe}
GPU_DATA=${GPU_DATA:-apps/trainer/.gpu-data}
WORK=${WORK:-/tmp}
[[ -d /tmp/site ]] || source apps/trainer/scripts/gpu-setup.sh
export PYTHONPATH=/tmp/site:apps/trainer PYTHONUNBUFFERED=1
mkdir -p "$OUT"
python3 -m lesionlab_trainer manifest --from medseg-ct100 --data "$GPU_DATA/medseg-ct100" --out "$WORK/medseg" > /dev/null
python3 -m lesionlab_trainer manifest --from infnet-pseudo --data "$GPU_DATA/infnet-pseudo" --out "$WORK/pseudo" > /dev/null
started=$EPOCHREALTIME
bash "$COMMAND_FILE" > "$OUT/recipe-events.jsonl"
python3 -c "import json, sys; print(json.dumps({'recipe_wall_seconds': float(sys.argv[2]) - float(sys.argv[1])}))" \
  "$started" "$EPOCHREALTIME" > "$OUT/recipe-wall.json"
grep -E '"type":"(stage|done)"' "$OUT/recipe-events.jsonl" | cut -c1-400
python3 -m lesionlab_trainer evaluate --checkpoint "$WORK/jcs-run/model.pt" --manifest "$WORK/medseg/manifest.jsonl" \
  --out "$WORK/jcs-eval" --bootstrap 200 --worst 0 ${EVAL_ARGS:-} | tail -n 1 > "$OUT/evaluate-done.json"
cp "$WORK/jcs-eval/report.json" "$OUT/evaluate-report.json"
if [[ -n "${BENCH_ARGS:-}" ]]; then
  # shellcheck disable=SC2086
  python3 -m lesionlab_trainer bench $BENCH_ARGS | tail -n 1 > "$OUT/bench-tta.json"
  cat "$OUT/bench-tta.json"
fi
