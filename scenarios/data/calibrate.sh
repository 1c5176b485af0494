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
#    world_2018.ron for the back-cast); the strategy's into the `param_overrides` between the
#    calibration markers of the scenarios that run the paid-access strategy on that world.
# 3. The posterior predictive check: `statecraft patterns` on the calibrated baseline, another
#    seed; and the 2018-19 back-cast on the calibrated constants.
# Writes scenarios/data/calibration_2025.csv and calibration_2025_abc.csv (the whole abc.csv);
# prints every table.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-100000}
TOLERANCE=${TOLERANCE:-0.02}
PPC_RUNS=${PPC_RUNS:-10000}
STRATEGY_SCENARIOS="scenarios/paid_access_2025.ron scenarios/court_constrained.ron"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/data" "$tmp/patterns"
cargo build --release --quiet -p statecraft-cli
bin=target/release/statecraft
python3 scenarios/data/make_world.py --uncalibrated --out "$tmp/data/world_2025.ron" >/dev/null
cp scenarios/data/timeline_2025.ron "$tmp/data/"
cp scenarios/patterns/2025.ron "$tmp/patterns/"
# The baseline on its priors: the strategy's calibration block dropped.
python3 - scenarios/paid_access_2025.ron "$tmp/paid_access_2025.ron" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r"\n *// calibration: begin.*?// calibration: end\n", "\n", text, flags=re.S)
open(sys.argv[2], "w").write(text)
PY
echo "== 1. ABC on the priors: $RUNS runs"
"$bin" patterns "$tmp/paid_access_2025.ron" --runs "$RUNS" --abc --tolerance "$TOLERANCE" \
    --out "$tmp/abc" --force
cp "$tmp/abc/abc.csv" scenarios/data/calibration_2025_abc.csv
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
block = ["    // calibration: begin (written by scenarios/data/calibrate.sh: the strategy's parameters",
         "    // that the 2025 patterns inform, their posterior fitted on the prior's scale; MODEL.md 4.3)",
         "    param_overrides: ["]
for r in strategy:
    block.append(f'        ("{r["param"]}", {r["fitted"]}), // prior mean {float(r["prior_mean"]):.4g}, '
                 f'posterior {float(r["posterior_mean"]):.4g}')
block += ["    ],", "    // calibration: end"]
for path in scenarios:
    text = open(path).read()
    text = re.sub(r"\n *// calibration: begin.*?// calibration: end\n", "\n", text, flags=re.S)
    if strategy:
        at = text.rindex("\n)")
        text = text[:at] + "\n" + "\n".join(block) + text[at:]
    open(path, "w").write(text)
print(f"{'parameter':45s} {'prior mean':>10s} {'post mean':>10s} {'shift':>7s} {'se':>6s} {'width':>6s}")
for r in rows:
    print(f'{r["param"]:45s} {float(r["prior_mean"]):10.4g} {float(r["posterior_mean"]):10.4g} '
          f'{float(r["shift"]):+7.3f} {float(r["shift_se"]):6.3f} {float(r["width_ratio"]):6.2f}')
print(f"{len(world)} world parameters -> {dst}; {len(strategy)} strategy parameters -> "
      + ", ".join(scenarios))
PY
python3 scenarios/data/make_world.py
python3 scenarios/data/make_world.py --backcast-2018
echo "== 3. Posterior predictive check: the calibrated baseline, seed 7, $PPC_RUNS runs"
"$bin" patterns scenarios/paid_access_2025.ron --runs "$PPC_RUNS" --seed 7 --out "$tmp/ppc" --force
echo "== 4. The 2018-19 back-cast on the calibrated constants (patterns stated before it was run)"
"$bin" patterns scenarios/backcast_2018.ron --runs "$PPC_RUNS" --seed 7 --out "$tmp/backcast" --force
