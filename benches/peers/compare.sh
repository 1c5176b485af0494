#!/usr/bin/env bash
# Peer benchmark: statecraft against the Mesa port of the same model (benches/peers/mesa) on
# the same scenario and run count, single-threaded and with all cores. Prints runs/s of each
# (whole-process wall time: start-up, runs and output included), the ratios and statecraft's
# 1 -> N thread speed-up.
#
#   benches/peers/compare.sh [SCENARIO [RUNS [REPEATS]]]
#
# Defaults: scenarios/examples/docking.ron, 6000 runs (about 30-60 s of Mesa on one core),
# statecraft timed as the median of REPEATS=5 runs (one run of it takes well under a second).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
scenario=${1:-scenarios/examples/docking.ron}
runs=${2:-6000}
repeats=${3:-5}
cores=$(nproc)

cargo build --release --locked -q -p statecraft-cli
bin="${CARGO_TARGET_DIR:-$root/target}/release/statecraft"
bash benches/peers/mesa/setup.sh >/dev/null
py="$root/benches/peers/mesa/.venv/bin/python"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" convert "$scenario" --to json --out "$work/scenario.json"

seconds() { # wall seconds of a command, its output discarded
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "compare: failed: $*" >&2; exit 1; }
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
statecraft() { # median wall seconds of `statecraft run` on $1 threads
    for _ in $(seq "$repeats"); do
        seconds "$bin" run "$scenario" --runs "$runs" --threads "$1" --quiet --force --out "$work/sc"
    done | median
}
mesa() { # wall seconds of the Mesa port on $1 processes
    (cd benches/peers/mesa && seconds "$py" -m statecraft_mesa "$work/scenario.json" \
        --runs "$runs" --processes "$1" --out "$work/mesa.csv")
}

echo "$(basename "$scenario" .ron): $runs runs, $cores cores ($(uname -m)); statecraft: median of $repeats"
sc1=$(statecraft 1)
scn=$(statecraft "$cores")
me1=$(mesa 1)
men=$(mesa "$cores")
awk -v r="$runs" -v n="$cores" -v s1="$sc1" -v sn="$scn" -v m1="$me1" -v mn="$men" 'BEGIN {
    printf "%-28s %10s %12s\n", "", "seconds", "runs/s"
    printf "%-28s %10.3f %12.1f\n", "statecraft, 1 thread", s1, r / s1
    printf "%-28s %10.3f %12.1f\n", "statecraft, " n " threads", sn, r / sn
    printf "%-28s %10.3f %12.1f\n", "Mesa, 1 process", m1, r / m1
    printf "%-28s %10.3f %12.1f\n", "Mesa, " n " processes", mn, r / mn
    printf "ratio statecraft/Mesa, one core:   %.0fx\n", m1 / s1
    printf "ratio statecraft/Mesa, " n " cores:   %.0fx\n", mn / sn
    printf "statecraft speed-up 1 -> " n " threads: %.2f\n", s1 / sn
    printf "Mesa speed-up 1 -> " n " processes:   %.2f\n", m1 / mn
}'
