"""Run the Mesa port on a scenario: `python -m statecraft_mesa SCENARIO.json --runs N --out runs.csv`.

The scenario is the JSON that `statecraft convert FILE --to json` writes (world inline). The
output has a `run` column and one column per outcome metric, as statecraft's runs.csv.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import sys
import time

from .batch import init_worker, work
from .scenario import ScenarioError, load


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="statecraft_mesa", description=__doc__)
    ap.add_argument("scenario", help="scenario JSON with an inline world")
    ap.add_argument("--runs", type=int, help="number of runs (default: the scenario's)")
    ap.add_argument("--seed", type=int, help="seed (default: the scenario's)")
    ap.add_argument("--rounds", type=int, help="rounds per run (default: the scenario's)")
    ap.add_argument("--processes", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--out", required=True, help="CSV file to write")
    ap.add_argument("--actors", help="also write per-actor results (statecraft's actors.csv)")
    args = ap.parse_args(argv)
    try:
        sc = load(args.scenario)
    except (OSError, ValueError, ScenarioError) as e:
        print(f"statecraft_mesa: {e}", file=sys.stderr)
        return 2
    runs = args.runs if args.runs is not None else sc["runs"]
    seed = args.seed if args.seed is not None else sc["seed"]
    if runs < 1 or args.processes < 1:
        print("statecraft_mesa: --runs and --processes must be at least 1", file=sys.stderr)
        return 2
    start = time.perf_counter()
    if args.processes == 1:
        init_worker(args.scenario)
        rows, engine = work((0, runs, seed, args.rounds))
    else:
        chunk = max(1, min(50, runs // (4 * args.processes) or 1))
        jobs = [(f, min(chunk, runs - f), seed, args.rounds) for f in range(0, runs, chunk)]
        with multiprocessing.Pool(args.processes, init_worker, (args.scenario,)) as pool:
            parts = pool.map(work, jobs)
        rows = [r for part, _ in parts for r in part]
        engine = sum(e for _, e in parts)
    wall = time.perf_counter() - start
    cols = list(rows[0][1][0].keys())
    tmp = args.out + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["run", *cols])
        for r, (out, _) in rows:
            w.writerow([r, *("" if out[c] is None else repr(float(out[c])) for c in cols)])
    os.replace(tmp, args.out)
    if args.actors:
        acols = list(rows[0][1][1][0][1].keys())
        tmp = args.actors + ".tmp"
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["run", "actor", *acols])
            for r, (_, actors) in rows:
                for name, vals in actors:
                    w.writerow([r, name, *(repr(float(vals[c])) for c in acols)])
        os.replace(tmp, args.actors)
    # The batch's wall time (workers, runs and the pool, not the output), and the engine's
    # seconds: run_one alone, summed over runs (over processes too: core-seconds).
    print(
        f"{sc['name']}: {runs} runs in {wall:.2f} s ({runs / wall:.1f} runs/s on "
        f"{args.processes} process{'es' if args.processes > 1 else ''}); engine {engine:.3f} s "
        f"({1e6 * engine / runs:.0f} us a run)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
