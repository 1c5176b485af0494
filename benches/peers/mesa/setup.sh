#!/usr/bin/env bash
# Creates benches/peers/mesa/.venv with the pinned Mesa, NumPy and SciPy of requirements.txt
# (Python 3.11 or later). Idempotent: an existing venv with the same pins is kept.
set -euo pipefail
cd "$(dirname "$0")"
python=${PYTHON:-python3}
if [ -x .venv/bin/python ] && cmp -s requirements.txt .venv/requirements.txt; then
    exit 0
fi
rm -rf .venv
"$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
cp requirements.txt .venv/requirements.txt
.venv/bin/python -c 'import mesa, scipy, numpy; print(f"mesa {mesa.__version__}, scipy {scipy.__version__}, numpy {numpy.__version__}")'
