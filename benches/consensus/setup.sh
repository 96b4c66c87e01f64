#!/usr/bin/env bash
# Creates benches/.venv with the Python side of the consensus benchmark:
# red-dwarf 0.4.0 (the reference Python implementation) and NumPy for our own
# vectorised port of the pipeline. Idempotent: reruns only install what is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/../.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet "red-dwarf==0.4.0" numpy
echo "venv ready: $venv"
