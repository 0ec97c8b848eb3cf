#!/usr/bin/env bash
# The JCS → medsam-lite cascade's cross-validation on the GPU machine (scripts/cascade_cv.py), in two detached
# jobs on the one card: `jcs` (gpu-ablation.sh for the recipes in NAMES, default v2, saving the held-out maps) and
# `medsam` (one medsam-lite fine-tune per fold on the same folds). When both have ended, `score` writes
# $OUT/cascade.json (and the held-out maps, for scoring other variants elsewhere). Usage (repo root,
# carrying .gpu-data's infnet-pseudo.tar, medseg-ct100, medsam and wheels: scripts/gpu-data.sh builds them):
#   bash apps/trainer/scripts/gpu-cascade.sh start     # then OUT=$OUT bash apps/trainer/scripts/gpu-jobs.sh poll 540
#   OUT=$OUT bash apps/trainer/scripts/gpu-cascade.sh score
# On one H100 the round took ~18 minutes of card time (the two jobs share it; JOBS=3 JCS fine-tunes at a time
# leave room for medsam-lite's ~28 GB).
set -euo pipefail
GPU_DATA=apps/trainer/.gpu-data
WORK=/tmp/cascade
[[ -d /tmp/site ]] || source apps/trainer/scripts/gpu-setup.sh
export PYTHONPATH=/tmp/site:apps/trainer:$WORK/medsam-site PYTHONUNBUFFERED=1
case ${1:?start or score} in
  start)
    [[ -d $GPU_DATA/infnet-pseudo ]] || tar xf "$GPU_DATA/infnet-pseudo.tar" -C "$GPU_DATA"
    # copies, not the working tree: later calls replace it while the jobs run
    rm -rf "$WORK/repo" "$WORK/medsam-site" && mkdir -p "$WORK/repo/apps"
    mkdir -p "$WORK/repo/libs" && cp -r libs/contracts "$WORK/repo/libs/"
    cp -r apps/trainer "$WORK/repo/apps/" && cp -r "$GPU_DATA/medsam/site" "$WORK/medsam-site"
    cd "$WORK/repo"
    bash apps/trainer/scripts/gpu-jobs.sh start jcs env NAMES="${NAMES:-v2}" OUT=$WORK/jcs LIMIT_S=3000 JOBS="${JOBS:-3}" \
      EXTRA="--save-probs $WORK/probs" bash apps/trainer/scripts/gpu-ablation.sh
    bash apps/trainer/scripts/gpu-jobs.sh start medsam python apps/trainer/scripts/cascade_cv.py train \
      --data $GPU_DATA/medseg-ct100 --weights $GPU_DATA/medsam/shipped-fp16.pt --out $WORK/medsam
    ;;
  score)
    cd "$WORK/repo"
    python apps/trainer/scripts/cascade_cv.py score --data $GPU_DATA/medseg-ct100 --weights $GPU_DATA/medsam/shipped-fp16.pt \
      --medsam $WORK/medsam --probs $WORK/probs --recipe "${RECIPE:-v2}" --out "${OUT:?}/cascade.json"
    # a call hands back 8 files of at most 16 MiB: the maps as one file; the fold weights (8 + 11.5 MB a fold) stay
    # in $WORK/medsam for calls that copy four files each
    tar cf "$OUT/probs.tar" -C $WORK probs
    cp $WORK/jcs/ablation.json "$OUT/"
    ;;
esac
