#!/usr/bin/env bash
# Calibration 2 (MODEL.md 4.3): reruns the whole calibration of the 2025 world from the priors.
#   bash scenarios/data/calibrate.sh            # 100,000 runs, seed 20250402, about 2 minutes
# 1. Scores RUNS runs of the baseline on its priors (the world without calibration, the
#    strategy's priors) against scenarios/patterns/2025.ron and runs the ABC: each run's
#    distance from the record over the binding patterns, a tolerance schedule down to the
#    closest TOLERANCE of the runs, rejection (`statecraft patterns --abc`).
# 2. The parameters the patterns inform (abc.csv `informed`: the posterior mean moved by at
#    least four Monte Carlo standard errors, or the 90% width shrank below 0.9 of the prior's)
#    take their fitted posterior: the world's in scenarios/data/calibration_2025.csv, which
#    make_world.py writes into world_2025.ron (and the behavioural constants, `model.*`, into
#    world_2018.ron for the back-cast); the strategy's into the strategy of the scenarios that
#    run the paid-access strategy on that world, in place, each marked with the prior it
#    replaced (calibrate_strategy.py), so that a tournament's other strategies never see them.
# 3. The patterns on the priors and on the calibrated baseline (the posterior predictive check:
#    in-sample for the patterns fitted), another seed; the 2018-19 back-cast on the calibrated
#    constants (out of sample: its patterns were stated before it was first run).
# Writes scenarios/data/calibration_2025.csv, calibration_2025_abc.csv (the whole abc.csv) and
# calibration_2025_pairs.csv (the posterior's correlated pairs);
# prints every table.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-100000}
TOLERANCE=${TOLERANCE:-0.02}
PPC_RUNS=${PPC_RUNS:-10000}
STRATEGY_SCENARIOS="scenarios/paid_access_2025.ron scenarios/court_constrained.ron scenarios/adaptive_extortion.ron"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/data" "$tmp/patterns"
cargo build --release --quiet -p statecraft-cli
bin=target/release/statecraft
python3 scenarios/data/make_world.py --uncalibrated --out "$tmp/data/world_2025.ron" >/dev/null
cp scenarios/data/timeline_2025.ron "$tmp/data/"
cp scenarios/patterns/2025.ron "$tmp/patterns/"
# The baseline on its priors: every calibrated strategy value back to the prior its mark keeps.
python3 scenarios/data/calibrate_strategy.py --restore scenarios/paid_access_2025.ron \
    > "$tmp/paid_access_2025.ron"
echo "== 1. ABC on the priors: $RUNS runs"
"$bin" patterns "$tmp/paid_access_2025.ron" --runs "$RUNS" --abc --tolerance "$TOLERANCE" \
    --out "$tmp/abc" --force
cp "$tmp/abc/abc.csv" scenarios/data/calibration_2025_abc.csv
# The pairs the patterns correlate (|r| >= 0.1 of the 24,753 pairs; the prior has none).
python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]))); w=csv.writer(open(sys.argv[2],"w",newline=""),lineterminator="\n"); w.writerow(r[0]); w.writerows(x for x in r[1:] if abs(float(x[2]))>=0.1)' \
    "$tmp/abc/abc_pairs.csv" scenarios/data/calibration_2025_pairs.csv
echo "== 2. The parameters the patterns inform"
python3 - "$tmp/abc/abc.csv" scenarios/data/calibration_2025.csv $STRATEGY_SCENARIOS <<'PY'
import csv, re, sys
src, dst, scenarios = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = [r for r in csv.DictReader(open(src)) if r["informed"] == "1" and r["fitted"]]
world = [r for r in rows if not r["param"].startswith("strategy.")]
strategy = [r for r in rows if r["param"].startswith("strategy.")]
with open(dst, "w", newline="") as f:
    fields = ["param", "prior_mean", "prior_p5", "prior_p95", "posterior_mean", "posterior_p5",
              "posterior_p95", "shift", "shift_se", "width_ratio", "n_eff", "fitted"]
    w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(world)
open(f"{dst}.strategy", "w").write("".join(f'{r["param"]}\t{r["fitted"]}\n' for r in strategy))
print(f"{'parameter':45s} {'prior mean':>10s} {'post mean':>10s} {'shift':>7s} {'se':>6s} {'width':>6s}")
for r in rows:
    print(f'{r["param"]:45s} {float(r["prior_mean"]):10.4g} {float(r["posterior_mean"]):10.4g} '
          f'{float(r["shift"]):+7.3f} {float(r["shift_se"]):6.3f} {float(r["width_ratio"]):6.2f}')
print(f"{len(world)} world parameters -> {dst}; {len(strategy)} strategy parameters -> "
      + ", ".join(scenarios))
PY
for f in $STRATEGY_SCENARIOS; do
    python3 scenarios/data/calibrate_strategy.py --apply scenarios/data/calibration_2025.csv.strategy "$f" > "$tmp/s.ron"
    mv "$tmp/s.ron" "$f"
done
rm scenarios/data/calibration_2025.csv.strategy
python3 scenarios/data/make_world.py
python3 scenarios/data/make_world.py --backcast-2018
echo "== 3. The patterns on the priors and on the calibrated baseline (posterior predictive check), seed 7, $PPC_RUNS runs each"
"$bin" patterns "$tmp/paid_access_2025.ron" --runs "$PPC_RUNS" --seed 7 --out "$tmp/prior" --force
"$bin" patterns scenarios/paid_access_2025.ron --runs "$PPC_RUNS" --seed 7 --out "$tmp/ppc" --force
echo "== 4. The 2018-19 back-cast on the calibrated constants (patterns stated before it was run)"
"$bin" patterns scenarios/backcast_2018.ron --runs "$PPC_RUNS" --seed 7 --out "$tmp/backcast" --force
