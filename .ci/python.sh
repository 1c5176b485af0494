#!/usr/bin/env bash
# The Python package (crates/statecraft-py): builds the wheel with maturin (the dev profile:
# the tests run small batches, and it shares the workspace's dev artifacts), installs it into a
# virtualenv with the pinned maturin, numpy, pandas, polars, ema_workbench, SALib, pytest and
# nbclient (tests/interop/requirements.txt, the virtualenv .ci/interop.sh makes: target/interop-venv,
# rebuilt when the pins change), builds the CLI and runs the pytest tests, which compare the
# package's tables with the CLI's files cell by cell, run EMA Workbench and SALib through the
# adapters, and execute the notebook examples/analysis/statecraft.ipynb.
# Fails when a test fails; prints `python: N passed, 0 failed`.
# Needs the Rust toolchain, Python 3.11 and the PyPI registry.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TERM_COLOR=never
target=${CARGO_TARGET_DIR:-$root/target}
pins=tests/interop/requirements.txt

venv=${PYTHON_VENV:-${INTEROP_VENV:-$target/interop-venv}}
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$pins" "$venv/requirements.txt"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$pins"
    cp "$pins" "$venv/requirements.txt"
fi

log=$(mktemp)
wheels=$(mktemp -d)
trap 'rm -rf "$wheels" "$log"' EXIT
fail() { echo "python: FAILED: $*" >&2; exit 1; }

cargo build -p statecraft-cli --locked
"$venv/bin/maturin" build --locked -m crates/statecraft-py/Cargo.toml -i "$venv/bin/python" \
    --out "$wheels"
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheels"/statecraft-*.whl

# From outside the repository, so that the installed package is the one imported.
(cd "$wheels" && STATECRAFT_BIN="$target/debug/statecraft" "$venv/bin/python" -m pytest -q \
    -p no:cacheprovider "$root/crates/statecraft-py/tests") 2>&1 | tee "$log" ||
    fail "pytest failed"
passed=$(sed -nE 's/^([0-9]+) passed.*/\1/p' "$log" | tail -n 1)
failed=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' "$log" | tail -n 1)
[ -n "$passed" ] && [ "$passed" -gt 0 ] && [ -z "$failed" ] || fail "pytest: ${passed:-0} passed, ${failed:-0} failed"
echo "python: $passed passed, 0 failed"
