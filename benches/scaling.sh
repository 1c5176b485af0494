#!/usr/bin/env bash
# Thread scaling of a baseline batch: the same seeded batch on 1, 2, 4, 8, 16 threads (those
# the machine has), each its runs/s from manifest.json (the batch's own timer: the runs, their
# rows formatted and written), the best of REPS repetitions, and the speed-up over 1 thread.
#
#   bash benches/scaling.sh [BINARY] [RUNS]   (defaults: target/release/statecraft, 20000)
#
# REPS (default 1) repeats each thread count and keeps the best; EXTRA passes more options to
# `run` (EXTRA=--summary-only: no per-run tables). Fails if the results differ from 1 thread's
# (runs.csv, or summary.json when there is no runs.csv).
set -euo pipefail
bin=$(realpath "${1:-$(dirname "$0")/../target/release/statecraft}")
cd "$(dirname "$0")/.."
runs=${2:-20000}
reps=${REPS:-1}
extra=${EXTRA:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cores=$(nproc)
echo "# $("$bin" --version), $cores logical CPUs; $(uptime | sed 's/.*load/load/')"
echo "threads,runs_per_second,speedup ($runs runs of scenarios/paid_access_2025.ron, best of $reps${extra:+, $extra})"
base=""
for t in 1 2 4 8 16 32 64; do
    [ "$t" -le "$cores" ] || break
    best=0
    for _ in $(seq "$reps"); do
        # shellcheck disable=SC2086 # EXTRA is a list of options
        "$bin" run scenarios/paid_access_2025.ron --runs "$runs" --seed 1 --threads "$t" -q \
            --force --out "$work/t$t" $extra
        best=$(python3 -c "import json,sys;print(max(float(sys.argv[2]),json.load(open(sys.argv[1]))['runs_per_second']))" "$work/t$t/manifest.json" "$best")
    done
    base=${base:-$best}
    python3 -c "import sys;print(f'{sys.argv[1]},{float(sys.argv[2]):.0f},{float(sys.argv[2])/float(sys.argv[3]):.2f}')" "$t" "$best" "$base"
    table=runs.csv
    [ -f "$work/t1/$table" ] || table=summary.json
    cmp -s "$work/t1/$table" "$work/t$t/$table" || { echo "$table differs at $t threads" >&2; exit 1; }
    [ "$t" = 1 ] || rm -rf "${work:?}/t$t"
done
