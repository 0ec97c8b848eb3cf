#!/usr/bin/env bash
# The JCS → medsam-lite cascade's cross-validation on the GPU machine (scripts/cascade_cv.py), as one detached job:
# first gpu-ablation.sh for the recipes in NAMES (saving the held-out maps), then one medsam-lite fine-tune per value
# of LOOSEN and fold on the same folds (finetune.fit's `loosen`; 0 = the preset's), MEDSAM_JOBS (2) at a time. When it
# has ended, `score` writes cascade-<recipe>-loose<L>[-bf16].json for every recipe and fine-tune (medsam-lite in fp32
# and in bf16), all in $OUT/cascade.tar, and each recipe's held-out maps as one tar. Usage (repo root, carrying
# .gpu-data's infnet-pseudo.tar, medseg-ct100, medsam and wheels: scripts/gpu-data.sh builds them):
#   bash apps/trainer/scripts/gpu-cascade.sh start     # then OUT=$OUT bash apps/trainer/scripts/gpu-jobs.sh poll 540
#   OUT=$OUT bash apps/trainer/scripts/gpu-cascade.sh score
# A round that does not fit one session's device time goes in two halves: STAGES=jcs ... start, polls, then
# `OUT=$OUT ... maps` hands back each recipe's held-out maps (probs-<recipe>.tar); later, with those tars carried in
# (the infnet-pseudo tar left out), STAGES=medsam PROBS="probs-<recipe>.tar ..." ... start, polls, then `score`.
# One after the other, not side by side: on one H100 a medsam-lite fold took 441 s beside the JCS fine-tunes and
# 83 s alone. Alone on the card the JCS job runs five fine-tunes at a time (12.5 GB each; medsam-lite's take ~28).
set -euo pipefail
GPU_DATA=apps/trainer/.gpu-data
WORK=/tmp/cascade
NAMES=${NAMES:-v2 v2-plain}
LOOSEN=${LOOSEN:-0 0.03}
[[ -d /tmp/site ]] || source apps/trainer/scripts/gpu-setup.sh
export PYTHONPATH=/tmp/site:apps/trainer:$WORK/medsam-site PYTHONUNBUFFERED=1
STAGES=${STAGES:-jcs medsam}
case ${1:?start, maps, medsam or score} in
  start)
    if [[ $STAGES == *jcs* && ! -d $GPU_DATA/infnet-pseudo ]]; then tar xf "$GPU_DATA/infnet-pseudo.tar" -C "$GPU_DATA"; fi
    # copies, not the working tree: later calls replace it while the jobs run
    rm -rf "$WORK/repo" "$WORK/medsam-site" && mkdir -p "$WORK/repo/apps"
    mkdir -p "$WORK/repo/libs" && cp -r libs/contracts "$WORK/repo/libs/"
    cp -r apps/trainer "$WORK/repo/apps/" && cp -r "$GPU_DATA/medsam/site" "$WORK/medsam-site"
    mkdir -p "$WORK/probs"
    for maps in ${PROBS:-}; do tar xf "$maps" -C "$WORK/probs"; done
    cd "$WORK/repo"
    jcs="NAMES='$NAMES' OUT=$WORK/jcs LIMIT_S=3000 JOBS=${JOBS:-5} EXTRA='--save-probs $WORK/probs' \
      bash apps/trainer/scripts/gpu-ablation.sh"
    medsam="LOOSEN='$LOOSEN' bash apps/trainer/scripts/gpu-cascade.sh medsam"
    [[ $STAGES == *jcs* ]] || jcs=true
    [[ $STAGES == *medsam* ]] || medsam=true
    bash apps/trainer/scripts/gpu-jobs.sh start cascade bash -c "set -e; $jcs; $medsam"
    ;;
  maps)
    for recipe in $NAMES; do
      tar cf "${OUT:?}/probs-$recipe.tar" -C $WORK/probs $(cd $WORK/probs && ls "$recipe"-fold*.npz)
    done
    cp $WORK/jcs/ablation.json "$OUT/"
    ;;
  medsam)
    # one fine-tune per value of LOOSEN and fold, MEDSAM_JOBS at a time (~28 GB each), sharing the cores: two with
    # 16 threads each on 16 cores spent 445 s without finishing a fold, the card idle (83 s a fold alone); with
    # nproc / MEDSAM_JOBS threads each, two side by side kept the card at 100% and took 184-188 s a fold
    jobs=${MEDSAM_JOBS:-2}
    export OMP_NUM_THREADS=$(( $(nproc) / jobs > 0 ? $(nproc) / jobs : 1 ))
    for loosen in $LOOSEN; do for fold in 0 1 2 3 4; do echo "$loosen $fold"; done; done |
      xargs -P "$jobs" -L 1 bash -c "python apps/trainer/scripts/cascade_cv.py train \
        --data $GPU_DATA/medseg-ct100 --weights $GPU_DATA/medsam/shipped-fp16.pt --loosen \$1 --fold \$2 \
        --out $WORK/medsam-loose\$1" fold-fine-tune
    ;;
  score)
    cd "$WORK/repo"
    mkdir -p $WORK/results
    for recipe in $NAMES; do
      for loosen in $LOOSEN; do
        for precision in fp32 bf16; do
          suffix=$([[ $precision == bf16 ]] && echo -bf16 || true)
          python apps/trainer/scripts/cascade_cv.py score --data $GPU_DATA/medseg-ct100 \
            --weights $GPU_DATA/medsam/shipped-fp16.pt --medsam "$WORK/medsam-loose$loosen" --probs $WORK/probs \
            --recipe "$recipe" --precision $precision --out "$WORK/results/cascade-$recipe-loose$loosen$suffix.json" \
            > "$WORK/results/cascade-$recipe-loose$loosen$suffix.log" 2>&1 &
        done
      done
    done
    # each scoring is 50 slices and a few GB: all of them side by side
    for scoring in $(jobs -p); do wait "$scoring"; done
    tail -n 12 $WORK/results/*.log
    # a call hands back 8 files of at most 16 MiB: each recipe's maps as one file; the fold weights (8 + 11.5 MB
    # a fold) stay in $WORK/medsam-loose* for calls that copy four files each
    [[ -f $WORK/jcs/ablation.json ]] && bash "$0" maps
    tar cf "${OUT:?}/cascade.tar" -C $WORK/results .
    ;;
esac
