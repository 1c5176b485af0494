#!/usr/bin/env bash
# Thread scaling of a baseline batch: the same seeded batch on 1, 2, 4, 8, 16 threads (those
# the machine has), each its runs/s from manifest.json, and the speed-up over 1 thread.
#   bash benches/scaling.sh [BINARY] [RUNS]   (defaults: target/release/statecraft, 20000)
set -euo pipefail
bin=${1:-target/release/statecraft}
runs=${2:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cores=$(nproc)
echo "threads,runs_per_second,speedup ($cores cores, $runs runs of scenarios/paid_access_2025.ron)"
base=""
for t in 1 2 4 8 16 32; do
    [ "$t" -le "$cores" ] || break
    "$bin" run scenarios/paid_access_2025.ron --runs "$runs" --seed 1 --threads "$t" -q \
        --force --out "$work/t$t"
    rps=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['runs_per_second'])" "$work/t$t/manifest.json")
    base=${base:-$rps}
    python3 -c "import sys;print(f'{sys.argv[1]},{float(sys.argv[2]):.0f},{float(sys.argv[2])/float(sys.argv[3]):.2f}')" "$t" "$rps" "$base"
    cmp -s "$work/t1/runs.csv" "$work/t$t/runs.csv" || { echo "runs.csv differs at $t threads" >&2; exit 1; }
    rm -rf "$work/t$t"/trajectories.csv
done
