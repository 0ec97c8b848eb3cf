#!/usr/bin/env bash
# Creates apps/trainer/.venv with the pinned requirements (requirements-medsam.txt without dependencies) and the package (editable), unless the venv
# already matches: a hash of requirements.txt + pyproject.toml is stored in the venv after a good install.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$HERE/.venv"
STAMP="$VENV/.lesionlab-requirements.sha256"
PYTHON="${PYTHON:-python3}"
want="$(cat "$HERE/requirements.txt" "$HERE/requirements-medsam.txt" "$HERE/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
  exit 0
fi
echo "ensure-venv: installing $VENV" >&2
[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install -q -r "$HERE/requirements.txt"
"$VENV/bin/pip" install -q --no-deps --require-hashes -r "$HERE/requirements-medsam.txt"
"$VENV/bin/pip" install -q --no-deps -e "$HERE"
echo "$want" > "$STAMP"
