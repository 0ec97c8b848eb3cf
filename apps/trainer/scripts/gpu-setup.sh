#!/usr/bin/env bash
# Source on the GPU machine (which has PyTorch but no jsonschema and no internet): installs the wheels carried in
# apps/trainer/.gpu-data/wheels (jsonschema and its needs, downloaded here with `pip download`) into /tmp/site.
python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site apps/trainer/.gpu-data/wheels/*.whl \
  && export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
