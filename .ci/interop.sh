#!/usr/bin/env bash
# Interop: the outputs as analysts load them. Builds the CLI with the `interop` features
# (Parquet and the EMA Workbench export), lints and tests them, runs small batches in CSV and
# Parquet, exports them for EMA Workbench, and checks with pinned pandas, polars, pyarrow and
# ema_workbench (tests/interop/requirements.txt, installed into a virtualenv) that every table
# loads with no options, with the right dtypes and row counts, and that load_results() and PRIM
# work on the archives; and that the analyses agree with the Python tools on the same data
# (tests/interop/test_analysis.py: `sensitivity`'s Sobol indices with SALib's sobol.analyze,
# `discover`'s PRIM trajectory with EMA Workbench's prim.Prim).
# Needs the Rust toolchain, Python 3.11 and the PyPI registry.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TERM_COLOR=never

venv=${INTEROP_VENV:-$root/target/interop-venv}
if [ ! -x "$venv/bin/python" ] || ! cmp -s tests/interop/requirements.txt "$venv/requirements.txt"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r tests/interop/requirements.txt
    cp tests/interop/requirements.txt "$venv/requirements.txt"
fi

log=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$work" "$log"' EXIT
fail() { echo "interop: FAILED: $*" >&2; exit 1; }

cargo clippy -p statecraft-cli --all-targets --features interop --locked -- -D warnings
# The CLI's tests with the features (Parquet read back with the parquet crate, the EMA archive);
# this also builds the binary used below.
cargo test -p statecraft-cli --features interop --locked 2>&1 | tee "$log"
rust_passed=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^passed/) s += $i } END { print s + 0 }' "$log")
rust_failed=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^failed/) s += $i } END { print s + 0 }' "$log")
[ "$rust_failed" -eq 0 ] && [ "$rust_passed" -gt 0 ] || fail "cargo test: $rust_passed passed, $rust_failed failed"
bin="${CARGO_TARGET_DIR:-$root/target}/debug/statecraft"

# A small world with every run's trajectory (time series exported), and the calibrated
# baseline with trajectories for some runs only (scalar outcomes only).
"$bin" run scenarios/examples/three_actors.ron --runs 400 --trajectories 400 \
    --format csv,parquet --quiet --out "$work/three"
"$bin" run scenarios/paid_access_2025.ron --runs 300 --trajectories 20 \
    --format csv,parquet --quiet --out "$work/paid"
"$bin" run scenarios/open_order.ron --runs 300 --format csv,parquet --quiet --out "$work/open"
"$bin" export "$work/three" --to ema "$work/three.tar.gz" --quiet
"$bin" export "$work/paid" --to ema "$work/paid.tar.gz" --quiet
"$bin" sweep scenarios/examples/three_actors.ron --param model.hedge_cost=0:1 --points 5 \
    --runs 20 --per-run --quiet --out "$work/sweep"
"$bin" export "$work/sweep" --to ema "$work/sweep.tar.gz" --quiet
"$bin" export "$work/paid" "$work/open" --to ema "$work/several.tar.gz" --quiet

"$venv/bin/python" tests/interop/test_outputs.py \
    --folder "$work/three" --folder "$work/paid" --folder "$work/open" \
    --ema "$work/three.tar.gz" "$work/three" --ema "$work/paid.tar.gz" "$work/paid" \
    --ema-sweep "$work/sweep.tar.gz" "$work/sweep" \
    --ema-several "$work/several.tar.gz" "$work/paid" "$work/open" | tee -a "$log"
py_passed=$(sed -nE 's/^interop-python: ([0-9]+) passed.*/\1/p' "$log")

# The analyses on the same data as the Python tools: the Sobol indices of a small design
# against SALib's on the outputs of design.csv; PRIM against EMA Workbench's on the runs above
# (three_actors' high rents at density 0.5, the 2025 world's concessions over 223 parameters,
# and a case where no box reaches the threshold: EMA's "dump" box).
"$bin" sensitivity scenarios/examples/three_actors.ron --samples 64 --runs 5 --quiet \
    --out "$work/sobol"
prim=(three hegemon_rent above 1040 0.5 paid share_concede above 0.15 0.8
    three alliance_cohesion below 0.52 0.8)
prim_args=()
for ((i = 0; i < ${#prim[@]}; i += 5)); do
    set -- "${prim[@]:i:5}"
    "$bin" discover "$work/$1" --metric "$2" "--$3" "$4" --threshold "$5" --quiet \
        --out "$work/prim-$i"
    prim_args+=(--prim "$work/$1" "$work/prim-$i" "$2" "$3" "$4" "$5")
done
"$venv/bin/python" -W ignore tests/interop/test_analysis.py --sobol "$work/sobol" \
    "${prim_args[@]}" | tee -a "$log"
analysis_passed=$(sed -nE 's/^interop-analysis: ([0-9]+) passed.*/\1/p' "$log")

# The analysis examples run as examples/analysis/README.md documents them (R if installed).
examples=0
"$venv/bin/python" examples/analysis/pandas_compare.py "$work/open" "$work/paid" --chart "$work/pandas.png"
"$venv/bin/python" examples/analysis/polars_compare.py "$work/open" "$work/paid" --chart "$work/polars.png"
[ -s "$work/pandas.png" ] && [ -s "$work/polars.png" ] || fail "an example drew no chart"
"$venv/bin/python" -W ignore examples/analysis/ema_prim.py "$work/paid.tar.gz" --rounds 36
examples=3
if command -v Rscript >/dev/null; then
    Rscript examples/analysis/r_compare.R "$work/open" "$work/paid" "$work/r.png"
    [ -s "$work/r.png" ] || fail "r_compare.R drew no chart"
    examples=4
else
    echo "Rscript not installed: examples/analysis/r_compare.R not run"
fi

echo "interop: $((rust_passed + py_passed + analysis_passed + examples)) passed, 0 failed"
