#!/usr/bin/env bash
# Peer benchmark: statecraft against the Mesa port of the same model (benches/peers/mesa) on
# the same scenario and run count, single-threaded and with all cores. Both write the same
# results (the runs and the per-actor table; statecraft also its summary). Prints runs/s of
# each three ways, and the ratios and the 1 -> N speed-ups:
#
# - end to end: whole-process wall time (start-up, loading the scenario, the runs, output).
# - batch only: the time each program reports for its batch: statecraft's manifest.json
#   (`wall_seconds`: the runs, formatting and writing their CSV rows, the summary), the port's
#   own timer (loading the scenario in each worker, the runs, the pool; not the output).
# - engine: one run alone, on one core, no output: what `run_one` of the port and
#   `Sim::run_with` of statecraft do (build the run's state, step its rounds, compute its
#   metrics and per-actor results). statecraft's is the median of criterion's bench
#   `docking/one_run` (benches/benches/engine.rs: parameters drawn beforehand, buffers
#   reused from run to run as in a batch); the port's is its own timer around `run_one`,
#   summed over the runs of the 1-process batch (it includes reading the run's parameters,
#   which are fixed numbers in docking.ron, and building the Mesa model and agents). The
#   bench runs docking.ron only: for another scenario the engine column is left empty. The
#   first call builds the bench (criterion: a few minutes).
#
# A last block times statecraft alone on SCALE_RUNS runs (default 10 x RUNS): its 1 -> N
# thread speed-up on a batch long enough that start-up and the summary's fixed costs do not
# hide it. Timings are of a shared machine: run it when it is quiet, and read the load
# average printed on the first line.
#
#   benches/peers/compare.sh [SCENARIO [RUNS [REPEATS]]]
#
# Defaults: scenarios/examples/docking.ron, 10000 runs (25-60 s of Mesa on one core here),
# statecraft timed as the median of REPEATS=11 runs (one run of it takes well under a second).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
scenario=${1:-scenarios/examples/docking.ron}
runs=${2:-10000}
repeats=${3:-11}
scale_runs=${SCALE_RUNS:-$((10 * runs))}
cores=$(nproc)

cargo build --release --locked -q -p statecraft-cli
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${CARGO_TARGET_DIR:-$root/target}/release/statecraft"
bash benches/peers/mesa/setup.sh >/dev/null
py="$root/benches/peers/mesa/.venv/bin/python"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" convert "$scenario" --to json --out "$work/scenario.json"

seconds() { # wall seconds of a command; its stderr is kept in $work/err
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; echo "compare: failed: $*" >&2; exit 1; }
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
statecraft() { # "wall batch": median wall seconds and median batch seconds on $1 threads, $2 runs
    for _ in $(seq "$repeats"); do
        wall=$(seconds "$bin" run "$scenario" --runs "${2:-$runs}" --threads "$1" --quiet --force --out "$work/sc")
        batch=$(sed -nE 's/.*"wall_seconds": ([0-9.e-]+).*/\1/p' "$work/sc/manifest.json")
        echo "$wall $batch"
    done >"$work/times"
    echo "$(cut -d' ' -f1 "$work/times" | median) $(cut -d' ' -f2 "$work/times" | median)"
}
mesa() { # "wall batch engine" seconds of the Mesa port on $1 processes
    local wall
    wall=$(cd benches/peers/mesa && seconds "$py" -m statecraft_mesa "$work/scenario.json" \
        --runs "$runs" --processes "$1" --out "$work/mesa.csv" --actors "$work/mesa_actors.csv")
    echo "$wall $(sed -nE 's/.* runs in ([0-9.]+) s.*; engine ([0-9.]+) s.*/\1 \2/p' "$work/err")"
}
engine() { # seconds of one statecraft run, criterion's median (docking.ron only), or "-"
    if [ "$(realpath "$scenario")" != "$root/scenarios/examples/docking.ron" ]; then
        echo "-"
        return
    fi
    cargo bench --locked -q -p statecraft-benches --bench engine -- docking/one_run \
        --warm-up-time 2 --measurement-time 5 --noplot >"$work/bench" 2>&1 ||
        { cat "$work/bench" >&2; echo "compare: the engine bench failed" >&2; exit 1; }
    "$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))["median"]["point_estimate"] / 1e9)' \
        "$target/criterion/docking/one_run/new/estimates.json"
}

echo "$(basename "$scenario" .ron): $runs runs, $cores cores ($(uname -m)), load average $(cut -d' ' -f1-3 /proc/loadavg); statecraft: median of $repeats"
read -r sc1 sc1b <<<"$(statecraft 1)"
read -r scn scnb <<<"$(statecraft "$cores")"
read -r me1 me1b me1e <<<"$(mesa 1)"
read -r men menb _ <<<"$(mesa "$cores")"
sce=$(engine)
read -r sl1 sl1b <<<"$(statecraft 1 "$scale_runs")"
read -r sln slnb <<<"$(statecraft "$cores" "$scale_runs")"
awk -v r="$runs" -v n="$cores" -v s1="$sc1" -v sn="$scn" -v m1="$me1" -v mn="$men" \
    -v s1b="$sc1b" -v snb="$scnb" -v m1b="$me1b" -v mnb="$menb" -v s1e="$sce" -v m1e="$me1e" \
    -v sr="$scale_runs" -v l1="$sl1" -v ln="$sln" -v l1b="$sl1b" -v lnb="$slnb" 'BEGIN {
    e = (s1e != "-")
    printf "%-24s %14s %14s %14s\n", "runs/s", "end to end", "batch only", "engine"
    printf "%-24s %14.1f %14.1f %14s\n", "statecraft, 1 thread", r / s1, r / s1b, e ? sprintf("%.1f", 1 / s1e) : "-"
    printf "%-24s %14.1f %14.1f %14s\n", "statecraft, " n " threads", r / sn, r / snb, "-"
    printf "%-24s %14.1f %14.1f %14.1f\n", "Mesa, 1 process", r / m1, r / m1b, r / m1e
    printf "%-24s %14.1f %14.1f %14s\n", "Mesa, " n " processes", r / mn, r / mnb, "-"
    printf "%-24s %13.0fx %13.0fx %14s\n", "statecraft/Mesa, 1 core", m1 / s1, m1b / s1b, e ? sprintf("%.0fx", m1e / r / s1e) : "-"
    printf "%-24s %13.0fx %13.0fx %14s\n", "statecraft/Mesa, " n " cores", mn / sn, mnb / snb, "-"
    printf "%-24s %14.2f %14.2f\n", "statecraft 1 -> " n " threads", s1 / sn, s1b / snb
    printf "%-24s %14.2f %14.2f\n", "Mesa 1 -> " n " processes", m1 / mn, m1b / mnb
    printf "%-24s %14.2f %14.2f\n", "  the same, " sr " runs", l1 / ln, l1b / lnb
    printf "%-24s %14.1f %14.1f\n", "    runs/s on 1 thread", sr / l1, sr / l1b
    printf "%-24s %14.1f %14.1f\n", "    runs/s on " n " threads", sr / ln, sr / lnb
    if (e) printf "engine: statecraft %.1f us a run (criterion median), Mesa %.0f us a run (mean of %d)\n", 1e6 * s1e, 1e6 * m1e / r, r
}'
