#!/usr/bin/env bash
# Calibrates the 2025 world to the patterns of scenarios/patterns/2025.ron (MODEL.md 4.3):
# approximate Bayesian computation by rejection on the priors alone, then the parameters whose
# mean moved by at least MIN_SHIFT of their prior's 90% width get their fitted posterior.
#   bash scenarios/data/calibrate.sh            # 20,000 runs, seed 20250402
# Writes scenarios/data/calibration_2025.csv and regenerates world_2025.ron; prints the
# strategy parameters' posteriors, which belong in paid_access_2025.ron.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-20000}
MIN_SHIFT=${MIN_SHIFT:-0.02}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/data" "$tmp/patterns"
python3 scenarios/data/make_world.py --uncalibrated --out "$tmp/data/world_2025.ron" >/dev/null
cp scenarios/patterns/2025.ron "$tmp/patterns/"
# The baseline with its strategy priors (the calibrated values replaced by the priors below).
sed -e 's|^\( *fee_share:\).*|\1 Uniform(0.1, 0.4), // prior|' \
    -e 's|^\( *linkage:\).*|\1 Uniform(0.2, 0.8), // prior|' \
    scenarios/paid_access_2025.ron > "$tmp/paid_access_2025.ron"
cargo run --release --quiet -- patterns "$tmp/paid_access_2025.ron" --runs "$RUNS" --abc \
    --out "$tmp/abc" --quiet
python3 - "$tmp/abc/abc.csv" "$MIN_SHIFT" scenarios/data/calibration_2025.csv <<'PY'
import csv, sys
src, min_shift, dst = sys.argv[1], float(sys.argv[2]), sys.argv[3]
rows = [r for r in csv.DictReader(open(src)) if r["shift"] and abs(float(r["shift"])) >= min_shift and r["fitted"]]
with open(dst, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ["param"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
for r in rows:
    if r["param"].startswith("strategy."):
        print(f'paid_access_2025.ron: {r["param"]}: {r["fitted"]}  (prior mean {r["prior_mean"]}, posterior {r["posterior_mean"]})')
print(f"{len(rows)} parameters moved by at least {min_shift} of their prior's 90% width -> {dst}")
PY
python3 scenarios/data/make_world.py
