"""Workers of a batch: each process loads the scenario once, then computes chunks of runs."""

from __future__ import annotations

import time

from .model import run_one
from .scenario import load

_SCENARIO = None


def init_worker(path: str) -> None:
    """Load the scenario into this process."""
    global _SCENARIO
    _SCENARIO = load(path)


def work(job: tuple) -> tuple:
    """Runs first .. first+count-1: a list of (run index, (metrics, actor results)), and the
    engine seconds they took: the sum over runs of the time of `run_one` alone (drawing the
    run's parameters, building the model, stepping its rounds, computing its metrics and actor
    results), without loading the scenario, the pool's traffic or writing the output."""
    first, count, seed, rounds = job
    rows = []
    engine = 0.0
    for r in range(first, first + count):
        t0 = time.perf_counter()
        out = run_one(_SCENARIO, r, seed, rounds)
        engine += time.perf_counter() - t0
        rows.append((r, out))
    return rows, engine
