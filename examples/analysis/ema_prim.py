"""Scenario discovery on statecraft runs with EMA Workbench: which uncertain parameters make a
treaty ally's trust break early? (PRIM on an archive of `statecraft export --to ema`.)

    statecraft run scenarios/paid_access_2025.ron --runs 2000 --out out/paid_pq
    statecraft export out/paid_pq --to ema out/paid_ema.tar.gz
    python examples/analysis/ema_prim.py out/paid_ema.tar.gz

Cases of interest: runs whose first rupture comes within `--rounds` rounds (24 by default: two
years of the 2025 world's monthly rounds). PRIM peels the space of uncertain parameters toward them; the script shows the densest
box that restricts at most `--dims` parameters.
"""
import argparse

import numpy as np
from ema_workbench import load_results
from ema_workbench.analysis import prim


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("archive")
    ap.add_argument("--rounds", type=int, default=24, help="rupture by this round [24]")
    ap.add_argument("--dims", type=int, default=2, help="parameters the box may restrict [2]")
    args = ap.parse_args()
    experiments, outcomes = load_results(args.archive)
    rupture = outcomes["first_rupture_round"]  # nan: no rupture in that run
    y = ~np.isnan(rupture) & (rupture <= args.rounds)
    if not 0 < y.sum() < len(y):
        raise SystemExit(f"{y.sum()} of {len(y)} runs rupture by round {args.rounds}: nothing to tell apart")
    box = prim.Prim(experiments, y, threshold=0.8).find_box()
    trajectory = box.peeling_trajectory
    box.select(trajectory[trajectory.res_dim <= args.dims].density.idxmax())
    print(f"{y.mean():.1%} of {len(y)} runs rupture by round {args.rounds}; "
          f"box: coverage {box.coverage:.2f}, density {box.density:.2f}")
    box.inspect()


if __name__ == "__main__":
    main()
