#!/usr/bin/env python3
"""How often runs stepped together in SIMD lanes would take the same branches (issue #21).

    statecraft run scenarios/paid_access_2025.ron --runs 256 --trajectories 256 --out DIR
    python3 benches/lane_divergence.py DIR [LANES ...]   (default lanes: 2 4 8)

Reads DIR/trajectories.csv and groups consecutive runs (the first L run indices in the file,
the next L, ...; a shard's too) as a lane engine of width L would step them. For each actor other than the hegemon (its `action` is NA) and each
round it asks whether every run of a group is in the same branch state: the same action, a
counter-tariff in force or not, its safeguard in force or not, its export controls on or not, a
rival sanction on it or not. Those are the branches the rules take per actor and round; where
the lanes of a group differ, a lock-step engine computes both sides and blends them. Prints,
per width, the share of actor-rounds in which all lanes agree, on the action alone and on the
whole branch state. Standard library only.
"""
import csv
import sys
from pathlib import Path


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = Path(sys.argv[1]) / "trajectories.csv"
    widths = [int(w) for w in sys.argv[2:]] or [2, 4, 8]
    action, branch = {}, {}
    runs = set()
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["action"] == "NA":
                continue
            run = int(r["run"])
            runs.add(run)
            key = (int(r["round"]), r["actor"])
            state = (
                r["action"],
                float(r["counter_tariff"]) > 0,
                float(r["safeguard"]) > 0,
                float(r["controls"]) > 0,
                float(r["sanction_loss"]) > 0,
            )
            action.setdefault(key, {})[run] = r["action"]
            branch.setdefault(key, {})[run] = state
    runs = sorted(runs)
    n = len(runs)
    for key, by_run in action.items():
        if len(by_run) != n:
            sys.exit(f"{path}: round {key[0]}, {key[1]}: {len(by_run)} of the {n} runs have a row")
    print(f"{path}: {n} runs, {len(action)} actor-rounds (the hegemon left out)")
    print("lanes,action_alike,branch_state_alike")
    for w in widths:
        groups = n // w
        if groups == 0:
            continue
        shares = []
        for table in (action, branch):
            alike = total = 0
            for by_run in table.values():
                for g in range(groups):
                    lanes = [by_run[runs[g * w + k]] for k in range(w)]
                    total += 1
                    alike += len(set(lanes)) == 1
            shares.append(alike / total)
        print(f"{w},{shares[0]:.3f},{shares[1]:.3f}")


if __name__ == "__main__":
    main()
