#!/usr/bin/env bash
# The recipe ablation on the GPU machine: 5-fold CV on medseg-ct100 of every variant in ablation-recipes.json (and
# the seed-0 + seed-1 ensembles below; or the variants NAMES lists), one shared pretraining on the infnet-pseudo
# slices, fine-tunes JOBS at a time on the one GPU. Results: $OUT/ablation.json, log: $OUT/ablation.log.
# Usage (repo root, data carried in apps/trainer/.gpu-data): OUT=/some/dir bash apps/trainer/scripts/gpu-ablation.sh
set -eu -o pipefail
OUT=${OUT:-/tmp/ablation}
GPU_DATA=${GPU_DATA:-apps/trainer/.gpu-data}
RECIPES_FILE=${RECIPES_FILE:-apps/trainer/scripts/ablation-recipes.json}
[[ -d /tmp/site ]] || source apps/trainer/scripts/gpu-setup.sh
export PYTHONPATH=/tmp/site:apps/trainer PYTHONUNBUFFERED=1
mkdir -p "$OUT"
python -m lesionlab_trainer manifest --from infnet-pseudo --data "$GPU_DATA/infnet-pseudo" --out /tmp/pseudo > /dev/null
# NAMES: the variants to run (default: all of the file's, with the seed-0 + seed-1 ensembles of the first round)
if [[ -n "${NAMES:-}" ]]; then
  RECIPES=$(printf -- '--recipe %s ' $NAMES)
  ENSEMBLES=()
else
  RECIPES=$(python -c "import json,sys; print(' '.join('--recipe ' + r['name'] for r in json.load(open(sys.argv[1]))['recipes']))" "$RECIPES_FILE")
  ENSEMBLES=(--ensemble ens2-ema=ema+seed1-ema --ensemble ens2-ema-tta-vflip=ema-tta-vflip+seed1-ema-tta-vflip
             --ensemble ens2-ema-tta-flips=ema-tta-flips+seed1-ema-tta-flips)
fi
# shellcheck disable=SC2086
timeout "${LIMIT_S:-580}" python apps/trainer/scripts/crossval.py --data "$GPU_DATA/medseg-ct100" --out /tmp/cv \
  --pretrain-manifest /tmp/pseudo/manifest.jsonl --recipes-file "$RECIPES_FILE" $RECIPES "${ENSEMBLES[@]}" \
  --jobs "${JOBS:-5}" --results "$OUT/ablation.json" ${EXTRA:-} 2> >(tee "$OUT/ablation.log" >&2) > /dev/null
