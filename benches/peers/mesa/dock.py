#!/usr/bin/env python3
"""Docking test (Axtell, Axelrod, Epstein & Cohen 1996): statecraft against the Mesa port.

Runs `statecraft run SCENARIO --runs N` and the Mesa port (statecraft_mesa) for N runs of the
same scenario, and compares every outcome metric of runs.csv with the two-sample
Kolmogorov-Smirnov test (scipy.stats.ks_2samp). A metric that is constant and equal in both is
exact agreement; a constant that differs is a failure. A metric left empty in some runs (an
event that did not happen: first_rupture_round, court_ruling_round, rounds_to_truce) is
compared with the empty runs counted as the scenario's round count ("not within the run"), so
the test sees both when and how often the event happens. Values are compared to 12
significant digits (the last bits of exp and pow differ between the two). With --actors,
every column of actors.csv is compared too, per actor. Exits non-zero if any p <= alpha.

    python dock.py [--scenario scenarios/examples/docking.ron] [--runs 2000] [--processes K]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

from scipy.stats import ks_2samp

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
PARAM_PREFIXES = ("model.", "world.", "actors.", "strategy.", "blocs.", "court_shock.")


def read_runs(path: str) -> dict:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cols = [c for c in rows[0] if c != "run" and not c.startswith(PARAM_PREFIXES)]
    return {c: [None if r[c] == "" else float(r[c]) for r in rows] for c in cols}


def read_actors(path: str) -> dict:
    """actors.csv as columns named `ACTOR.column`, one value per run."""
    out: dict = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            for c, v in r.items():
                if c not in ("run", "actor"):
                    out.setdefault(f"{r['actor']}.{c}", []).append(float(v))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default=os.path.join(ROOT, "scenarios/examples/docking.ron"))
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--rounds", type=int, help="override the scenario's rounds")
    ap.add_argument("--seed", type=int, help="override the scenario's seed (both programs)")
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--alpha", type=float, default=0.01)
    ap.add_argument("--keep", help="keep both outputs in this folder (else a temporary one)")
    ap.add_argument(
        "--actors", action="store_true",
        help="also compare every column of actors.csv, per actor (more power, more tests)",
    )
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    ap.add_argument("--statecraft", default=os.path.join(target, "release", "statecraft"))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="docking-") as tmp:
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            tmp = args.keep
        scen_json = os.path.join(tmp, "scenario.json")
        subprocess.run(
            [args.statecraft, "convert", args.scenario, "--to", "json", "--out", scen_json],
            check=True,
        )
        with open(scen_json, encoding="utf-8") as f:
            sc = json.load(f)
        rounds = args.rounds if args.rounds is not None else sc["rounds"]
        extra = ["--rounds", str(rounds)]
        if args.seed is not None:
            extra += ["--seed", str(args.seed)]
        rust_out = os.path.join(tmp, "rust")
        t0 = time.perf_counter()
        subprocess.run(
            [args.statecraft, "run", args.scenario, "--runs", str(args.runs), "--quiet",
             "--force", "--out", rust_out, *extra],
            check=True,
        )
        t_rust = time.perf_counter() - t0
        mesa_csv = os.path.join(tmp, "mesa.csv")
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "statecraft_mesa", scen_json, "--runs", str(args.runs),
             "--processes", str(args.processes), "--out", mesa_csv, *extra,
             "--actors", os.path.join(tmp, "mesa_actors.csv")],
            check=True, cwd=HERE,
        )
        t_mesa = time.perf_counter() - t0
        rust = read_runs(os.path.join(rust_out, "runs.csv"))
        mesa = read_runs(mesa_csv)
        if args.actors:
            rust.update(read_actors(os.path.join(rust_out, "actors.csv")))
            mesa.update(read_actors(os.path.join(tmp, "mesa_actors.csv")))

    if list(rust) != list(mesa):
        print(f"metric columns differ:\n  statecraft: {list(rust)}\n  mesa: {list(mesa)}")
        return 1
    print(f"{sc['name']}: {args.runs} runs of {rounds} rounds each "
          f"(statecraft {t_rust:.1f} s, Mesa {t_mesa:.1f} s on {args.processes} processes)")
    print(f"{'metric':<24} {'mean_rust':>11} {'mean_mesa':>11} {'D':>7} {'p':>9}  result")
    passed = failed = 0
    for c in rust:
        # Rounded to 12 significant digits: the two programs compute the same value with a
        # different last bit (libm), which KS would otherwise read as two values.
        a = [rounds if v is None else float(f"{v:.12g}") for v in rust[c]]
        b = [rounds if v is None else float(f"{v:.12g}") for v in mesa[c]]
        ma, mb = sum(a) / len(a), sum(b) / len(b)
        note = ""
        if any(v is None for v in rust[c] + mesa[c]):
            na, nb = sum(v is None for v in rust[c]), sum(v is None for v in mesa[c])
            note = f"  (empty: {na} / {nb}, counted as {rounds})"
        if len(set(a)) == 1 and len(set(b)) == 1:
            ok = a[0] == b[0]
            d, p = (0.0, 1.0) if ok else (1.0, 0.0)
            result = "exact" if ok else "FAIL (constants differ)"
        else:
            res = ks_2samp(a, b, method="asymp")
            d, p = float(res.statistic), float(res.pvalue)
            ok = p > args.alpha
            result = "ok" if ok else "FAIL"
        passed += ok
        failed += not ok
        print(f"{c:<24} {ma:>11.5g} {mb:>11.5g} {d:>7.4f} {p:>9.3g}  {result}{note}")
    print(f"docking: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
