#!/usr/bin/env bash
# Docking (Axtell, Axelrod, Epstein & Cohen 1996): statecraft against the independent Mesa
# implementation of MODEL.md (benches/peers/mesa), 2,000 runs each of
# scenarios/examples/docking.ron, a two-sample KS test per outcome metric (p > 0.01 to pass),
# then the exact probes (benches/peers/mesa/probes: deterministic scenarios, every number of
# every round compared).
# Installs the pinned Python packages into benches/peers/mesa/.venv itself (PyPI); prints
# `docking: N passed, M failed` and exits non-zero on a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash benches/peers/mesa/setup.sh
cargo build --release --locked -q -p statecraft-cli
benches/peers/mesa/.venv/bin/python benches/peers/mesa/dock.py --runs 2000
benches/peers/mesa/.venv/bin/python benches/peers/mesa/probe.py
