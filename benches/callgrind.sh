#!/usr/bin/env bash
# Instruction counts (callgrind), the measure of issue #21 that a busy machine does not blur.
#
#   benches/callgrind.sh [BINARY [RUNS]]
#
# BINARY defaults to target/release/statecraft (build it first: cargo build --release -p
# statecraft-cli); RUNS to 200. Prints, on one thread with seed 1:
#   - end to end: instructions of `run` with RUNS + 1 runs less those of 1 run (start-up,
#     parsing and the summary cancel), divided by RUNS: what one more run costs, CSV included;
#   - engine only: instructions inside Sim::run_recorded (the rounds and the outcome of a
#     run), divided by the runs;
#   - per actor-round: the engine's instructions per run over actors x rounds, for the 2025
#     baseline (13 actors), the three-actor example (3 actors: fewer mechanisms than the
#     baseline) and the baseline cut to 3 and 7 actors or grown to 25 and 50 by
#     benches/gen_world.py (RUNS/4 runs each; SIZES="3 7 25 50" by default, empty to skip),
#     all at 120 rounds.
# Keeps the callgrind files in $CG_DIR (default a temporary folder) for callgrind_annotate
# (`callgrind_annotate --inclusive=yes $CG_DIR/gen50.engine | head -60`: where a 50-actor run
# goes).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/statecraft}
runs=${2:-200}
dir=${CG_DIR:-$(mktemp -d)}
mkdir -p "$dir"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# instructions FILE: the total of a callgrind file.
instructions() { grep -E '^(summary|totals):' "$1" | head -1 | awk '{print $2}'; }

# measure NAME SCENARIO RUNS [ARGS]: callgrind of one `run`, whole program and engine only.
measure() {
  local name=$1 scenario=$2 n=$3
  shift 3
  valgrind --tool=callgrind --callgrind-out-file="$dir/$name.all" \
    "$bin" run "$scenario" --runs "$n" --seed 1 --threads 1 -q --force --out "$out/$name" "$@" \
    >/dev/null 2>&1
  valgrind --tool=callgrind --callgrind-out-file="$dir/$name.engine" \
    --toggle-collect='*Sim::run_recorded*' \
    "$bin" run "$scenario" --runs "$n" --seed 1 --threads 1 -q --force --out "$out/$name" "$@" \
    >/dev/null 2>&1
}

# measure_engine NAME SCENARIO RUNS [ARGS]: callgrind of the engine only.
measure_engine() {
  local name=$1 scenario=$2 n=$3
  shift 3
  valgrind --tool=callgrind --callgrind-out-file="$dir/$name.engine" \
    --toggle-collect='*Sim::run_recorded*' \
    "$bin" run "$scenario" --runs "$n" --seed 1 --threads 1 -q --force --out "$out/$name" "$@" \
    >/dev/null 2>&1
}

baseline=scenarios/paid_access_2025.ron
three=scenarios/examples/three_actors.ron
measure base1 $baseline 1
measure base $baseline $((runs + 1))
measure three $three $((runs + 1)) --rounds 120
per_run=$((($(instructions "$dir/base.all") - $(instructions "$dir/base1.all")) / runs))
engine=$(($(instructions "$dir/base.engine") / (runs + 1)))
engine3=$(($(instructions "$dir/three.engine") / (runs + 1)))
echo "2025 baseline, end to end with CSV: $per_run instructions per run"
echo "2025 baseline, engine only: $engine instructions per run"
echo "per actor-round, engine: 13 actors $((engine / (13 * 120))), 3 actors $((engine3 / (3 * 120)))"
sizes=${SIZES-3 7 25 50}
line="per actor-round, engine:"
for n in $sizes; do
  python3 benches/gen_world.py "$n" "$out/world$n"
  measure_engine "gen$n" "$out/world$n/scenario.ron" $((runs / 4 + 1))
  e=$(($(instructions "$dir/gen$n.engine") / (runs / 4 + 1)))
  line="$line $n actors $((e / (n * 120))) ($e per run),"
done
[ -n "$sizes" ] && echo "${line%,} (generated worlds, benches/gen_world.py)"
echo "callgrind files: $dir"
