"""statecraft with SALib: a problem definition from a scenario, and a SALib sample evaluated
in one call.

::

    from SALib.analyze import sobol
    from SALib.sample import sobol as sobol_sample
    import statecraft.salib as ss

    problem = ss.problem("scenarios/paid_access_2025.ron")
    X = sobol_sample.sample(problem, 256)
    Y = ss.evaluate("scenarios/paid_access_2025.ron", problem, X, metric="hegemon_rent")
    sobol.analyze(problem, Y)

The problem's variables are the scenario's uncertain parameters with their exploratory ranges
(:func:`statecraft.parameters`), named by their paths. Every row of the sample runs with the
same seeds (common random numbers), ``runs`` replications averaged.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

import statecraft

__all__ = ["evaluate", "problem"]


def problem(
    scenario: str | os.PathLike[str],
    params: Sequence[str] | Mapping[str, tuple[float, float] | None] | None = None,
    set: Mapping[str, float | str] | None = None,
) -> dict[str, Any]:
    """SALib's problem of the scenario: ``num_vars``, ``names`` (parameter paths) and
    ``bounds`` (their exploratory ranges); ``params`` chooses the parameters as in
    :func:`statecraft.parameters`."""
    ranges = statecraft.parameters(scenario, params, set=set)
    names = [str(p) for p in ranges["path"]]
    bounds = [[float(lo), float(hi)] for lo, hi in zip(ranges["lo"], ranges["hi"])]
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def evaluate(
    scenario: str | os.PathLike[str],
    problem: Mapping[str, Any],
    X: Any,
    metric: str | Sequence[str] | None = None,
    runs: int = 1,
    seed: int | None = None,
    rounds: int | None = None,
    threads: int | None = None,
    set: Mapping[str, float | str] | None = None,
) -> np.ndarray:
    """Evaluates the sample ``X`` (one row per point, one column per name of ``problem``) in
    one call. Returns the mean of ``metric`` over each point's ``runs`` as a vector (a string),
    or a matrix with one column per metric (a list; default every run-level metric); NaN where
    the metric is undefined in every run of a point."""
    X = np.asarray(X, dtype=float)
    names = list(problem["names"])
    if X.ndim != 2 or X.shape[1] != len(names):
        raise ValueError(f"X must have one column per variable of the problem ({len(names)}), "
                         f"not shape {X.shape}")
    out = statecraft.evaluate(scenario, {p: X[:, j] for j, p in enumerate(names)}, runs=runs,
                              seed=seed, rounds=rounds, threads=threads, set=set)
    if isinstance(metric, str):
        return out[metric].to_numpy(dtype=float)
    metrics = list(metric) if metric is not None else statecraft.info(scenario, set=set)["metrics"]
    return out[metrics].to_numpy(dtype=float)
