"""Workers of a batch: each process loads the scenario once, then computes chunks of runs."""

from __future__ import annotations

from .model import run_one
from .scenario import load

_SCENARIO = None


def init_worker(path: str) -> None:
    """Load the scenario into this process."""
    global _SCENARIO
    _SCENARIO = load(path)


def work(job: tuple) -> list:
    """Runs first .. first+count-1: a list of (run index, (metrics, actor results))."""
    first, count, seed, rounds = job
    return [(r, run_one(_SCENARIO, r, seed, rounds)) for r in range(first, first + count)]
