#!/usr/bin/env python3
"""Exact probes: statecraft and the Mesa port on deterministic scenarios, compared run by run.

Docking (dock.py) compares distributions and misses differences too small for its sample. A
probe scenario (probes/*.ron) has no randomness left that matters (fixed policies, or quantal
choice at a huge rationality; renege hazard 0 or 1; court hazard 0 or 1; roll-back with
hegemon_weight 0, P_back = 1, or 1000, P_back ~ 0), so the two programs must agree on every
number: each round's tariff, counter-tariff, exports to the hegemon, credibility, autonomy,
hedge, action and export shares (statecraft's trajectories.csv), and every column of runs.csv and actors.csv
(per-run values: the welfare columns, accumulated over the run, among them; the two programs
must write the same columns in the same order), to a relative 1e-9. Prints each actor-round that differs; exits non-zero if any does.

    python probe.py [FILE.ron ...]   (default: every file in probes/)
"""

from __future__ import annotations

import csv
import glob
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)

from statecraft_mesa.model import Alliances  # noqa: E402
from statecraft_mesa.scenario import load  # noqa: E402

PARAM_PREFIXES = ("model.", "world.", "actors.", "strategy.", "blocs.", "court_shock.")
TRAJ = ("tariff", "counter_tariff", "exports_to_hegemon", "credibility", "autonomy", "hedge",
        "alignment", "alignment_rival", "sanction_loss", "controls", "controls_loss",
        "safeguard", "blocked", "share_hegemon", "share_rival", "share_bloc", "share_rest")


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def probe(statecraft: str, path: str, tmp: str) -> int:
    """Mismatches of one probe scenario (printed)."""
    js = os.path.join(tmp, "probe.json")
    if os.path.exists(js):
        os.remove(js)
    subprocess.run([statecraft, "convert", path, "--to", "json", "--out", js], check=True)
    out = os.path.join(tmp, "rust")
    subprocess.run(
        [statecraft, "run", path, "--runs", "1", "--trajectories", "1", "--quiet", "--force",
         "--out", out],
        check=True,
    )
    rust = {(int(r["round"]), r["actor"]): r for r in csv.DictReader(open(os.path.join(out, "trajectories.csv")))}
    sc = load(js)
    model = Alliances(sc, 0, sc["seed"])
    bad = 0
    name = os.path.relpath(path, ROOT)
    for t in range(model.T):
        model.step()
        for a in model.actors:
            if a.idx == model.h:
                continue
            mine = {
                "tariff": a.tau, "counter_tariff": a.rho,
                "exports_to_hegemon": model.x[a.idx][model.h], "credibility": a.kappa,
                "autonomy": a.autonomy, "hedge": a.eta, "alignment": a.z, "alignment_rival": a.zc,
                "sanction_loss": model.sanction_cut[a.idx],
                "controls": 1.0 if a.controls_on else 0.0, "controls_loss": a.controls_loss,
                "safeguard": 1.0 if a.safeguard_on else 0.0, "blocked": a.blocked,
                **dict(zip(("share_hegemon", "share_rival", "share_bloc", "share_rest"),
                           model.export_shares(a.idx, t))),
            }
            r = rust[(t, a.name)]
            diffs = [f"{c} {float(r[c]):.6g} / {mine[c]:.6g}" for c in TRAJ if not close(float(r[c]), mine[c])]
            mine_action = a.action if a.answered else "NA"  # no demand: no action (NA)
            if r["action"] != mine_action:
                diffs.insert(0, f"action {r['action']} / {mine_action}")
            if diffs:
                bad += 1
                print(f"{name}: round {t} {a.name} (statecraft / Mesa): " + "; ".join(diffs))
    metrics = model.outcome()
    rrow = next(csv.DictReader(open(os.path.join(out, "runs.csv"))))
    # The per-run outputs (runs.csv, actors.csv) must have the same columns in the same order:
    # a column the port lacks would otherwise go unchecked.
    rcols = [c for c in rrow if c != "run" and not c.startswith(PARAM_PREFIXES)]
    if rcols != list(metrics):
        bad += 1
        print(f"{name}: runs.csv columns differ:\n  statecraft: {rcols}\n  Mesa: {list(metrics)}")
    for c, v in metrics.items():
        rv = rrow[c]
        if (rv == "") != (v is None) or (v is not None and not close(float(rv), float(v))):
            bad += 1
            print(f"{name}: runs.csv {c} (statecraft / Mesa): {rv or 'empty'} / {v}")
    ract = {r["actor"]: r for r in csv.DictReader(open(os.path.join(out, "actors.csv")))}
    outcomes = model.actor_outcomes()
    acols = [c for c in next(iter(ract.values())) if c not in ("run", "actor", "role")]
    if acols != list(outcomes[0][1]):
        bad += 1
        print(f"{name}: actors.csv columns differ:\n  statecraft: {acols}\n  Mesa: {list(outcomes[0][1])}")
    for actor, vals in outcomes:
        for c, v in vals.items():
            if not close(float(ract[actor][c]), float(v)):
                bad += 1
                print(f"{name}: actors.csv {actor}.{c} (statecraft / Mesa): {ract[actor][c]} / {v}")
    print(f"{name}: {model.T} rounds, {'agree' if bad == 0 else f'{bad} differences'}")
    return bad


def main() -> int:
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    statecraft = os.path.join(target, "release", "statecraft")
    files = sys.argv[1:] or sorted(glob.glob(os.path.join(HERE, "probes", "*.ron")))
    with tempfile.TemporaryDirectory(prefix="probe-") as tmp:
        bad = sum(probe(statecraft, f, tmp) for f in files)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
