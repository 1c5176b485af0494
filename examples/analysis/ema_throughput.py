"""How fast EMA Workbench runs statecraft: N experiments of a scenario (every uncertain
parameter an EMA uncertainty, LHS) through the batched adapter (statecraft.ema), against the
route without it, one `statecraft run --runs 1` process per experiment with the experiment's
values given by --set (measured on a smaller number, M).

    python examples/analysis/ema_throughput.py scenarios/paid_access_2025.ron \
        --experiments 10000 --processes 100 --bin target/release/statecraft

Prints both rates in experiments per second. Install the package built with --release
(`maturin build --release`): a debug build is ~10x slower.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
import warnings

from ema_workbench import perform_experiments
from ema_workbench.em_framework.samplers import LHSSampler, sample_uncertainties

from statecraft.ema import StatecraftEvaluator, StatecraftModel


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario")
    ap.add_argument("--experiments", type=int, default=10_000)
    ap.add_argument("--processes", type=int, default=100)
    ap.add_argument("--bin", default="target/release/statecraft")
    ap.add_argument("--threads", type=int, default=None)
    a = ap.parse_args()
    warnings.simplefilter("ignore")

    model = StatecraftModel("statecraft", a.scenario, threads=a.threads)
    print(f"{len(model.uncertainties)} uncertainties, {len(model.outcomes)} outcomes, "
          f"{os.cpu_count()} cores")
    scenarios = sample_uncertainties(model, a.experiments, sampler=LHSSampler())
    start = time.perf_counter()
    with StatecraftEvaluator(model) as ev:
        experiments, outcomes = perform_experiments(model, scenarios=scenarios, evaluator=ev)
    batched = time.perf_counter() - start
    assert len(experiments) == a.experiments
    print(f"adapter: {a.experiments} experiments in {batched:.2f} s, "
          f"{a.experiments / batched:,.0f} experiments/s")

    if a.processes > 0:
        paths = [u.variable_name[0] for u in model.uncertainties]
        names = [u.name for u in model.uncertainties]
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            for i in range(a.processes):
                row = experiments.iloc[i]
                cmd = [a.bin, "run", a.scenario, "--runs", "1", "--quiet",
                       "--out", os.path.join(tmp, str(i))]
                for p, n in zip(paths, names):
                    cmd += ["--set", f"{p}={float(row[n])!r}"]
                subprocess.run(cmd, check=True)
            one_by_one = time.perf_counter() - start
        print(f"one process per experiment: {a.processes} in {one_by_one:.2f} s, "
              f"{a.processes / one_by_one:,.1f} experiments/s")
        print(f"ratio: {(a.experiments / batched) / (a.processes / one_by_one):,.0f}x")


if __name__ == "__main__":
    main()
