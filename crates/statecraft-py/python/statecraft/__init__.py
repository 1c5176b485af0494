"""statecraft from Python: seeded batches and scenario comparisons of the agent-based model.

The numbers come from the Rust library (``statecraft_api``) through the native module
``statecraft._statecraft``; this module only assembles its columns into pandas (default),
polars or Arrow (``frame="arrow"``: a ``pyarrow.Table``) frames, the numeric columns without a
copy where the library allows it. Same seed, same numbers as ``statecraft run`` and ``statecraft compare``::

    import statecraft
    b = statecraft.run("scenarios/examples/three_actors.ron", runs=200, seed=7)
    b.runs["hegemon_rent"].mean()
    c = statecraft.compare("scenarios/paid_access_2025.ron", "scenarios/open_order.ron", runs=500)
    s = statecraft.sweep("scenarios/paid_access_2025.ron", points=32, runs=50)
    statecraft.parameters("scenarios/paid_access_2025.ron")        # the uncertain parameters
    statecraft.evaluate("scenarios/paid_access_2025.ron", design)  # a design made elsewhere

``set={path: value}`` (every function) replaces parameters as ``--set PATH=VALUE`` does: a
number, or a distribution as a scenario writes one (``"Uniform(0.1, 0.5)"``). The adapters for
EMA Workbench and SALib are :mod:`statecraft.ema` and :mod:`statecraft.salib`.

Errors in the inputs raise :class:`StatecraftError` (a ``ValueError``) with the library's
message, naming the file, line and column or the value and its allowed range.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Mapping, Sequence, TypeAlias

from . import _statecraft
from ._statecraft import StatecraftError

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

    import pyarrow as pa

    DataFrame: TypeAlias = pd.DataFrame | pl.DataFrame | pa.Table

__all__ = [
    "Batch",
    "Frame",
    "StatecraftError",
    "SweepResult",
    "TournamentResult",
    "compare",
    "PatternsResult",
    "SensitivityResult",
    "evaluate",
    "info",
    "patterns",
    "sensitivity",
    "parameters",
    "run",
    "sweep",
    "tournament",
]

Frame = Literal["pandas", "polars", "arrow"]


@dataclass(frozen=True)
class Batch:
    """A batch's tables, as ``statecraft run`` writes them to its results folder."""

    scenario: str
    """The scenario's name."""
    seed: int
    """The seed the batch ran with."""
    rounds: int
    """Rounds per run."""
    runs: DataFrame
    """``runs.csv``: one row per run (run, the parameter draws, the metrics; NaN, or null in
    polars, where a metric is undefined in the run)."""
    actors: DataFrame
    """``actors.csv``: one row per actor and run."""
    trajectories: DataFrame | None
    """``trajectories.csv`` for the runs below ``trajectories=``; None when not asked."""


def _check_frame(frame: str) -> None:
    if frame not in ("pandas", "polars", "arrow"):
        raise ValueError(f"frame must be 'pandas', 'polars' or 'arrow', not {frame!r}")


def _set_items(set: Mapping[str, float | str] | None) -> list[tuple[str, str]]:
    """``{path: value}`` as ``(path, text)`` pairs: a number as its shortest exact text, a
    string (a distribution as a scenario writes one) as it is."""
    items = []
    for path, value in (set or {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise TypeError(f"set[{path!r}]: {value!r} is not a number or a distribution's text")
        items.append((path, value if isinstance(value, str) else repr(float(value))))
    return items


def _params(params: Sequence[str] | Mapping[str, tuple[float, float] | None] | None):
    """Parameters to vary: paths (each over its own distribution) or ``{path: (lo, hi) or
    None}``."""
    if params is None:
        return []
    if isinstance(params, Mapping):
        return [(p, None if r is None else (float(r[0]), float(r[1]))) for p, r in params.items()]
    if isinstance(params, str):
        raise TypeError("params: a list of paths or a {path: (lo, hi)} mapping, not one string")
    return [(p, None) for p in params]


def _frame(
    columns: Sequence[tuple[str, Any]],
    frame: Frame,
    optional: "frozenset[str] | set[str] | None" = None,
) -> Any:
    """A DataFrame of ``(name, column)`` pairs; in polars and Arrow, NaN is null in ``optional``
    columns (``None`` = every float column). The numeric columns are the native module's numpy
    arrays, not copied: pandas and Arrow (without nulls) use their buffers as they are."""
    import numpy as np

    def nullable(name: str, col: Any) -> bool:
        return (
            isinstance(col, np.ndarray)
            and col.dtype.kind == "f"
            and (optional is None or name in optional)
        )

    if frame == "pandas":
        import pandas as pd

        return pd.DataFrame({name: col for name, col in columns}, copy=False)
    if frame == "polars":
        import polars as pl

        return pl.DataFrame(
            [pl.Series(name, col, nan_to_null=nullable(name, col)) for name, col in columns]
        )
    if frame == "arrow":
        import pyarrow as pa

        arrays = [
            pa.array(col, from_pandas=nullable(name, col)) for name, col in columns
        ]
        return pa.table(arrays, names=[name for name, _ in columns])
    _check_frame(frame)


def run(
    scenario: str | os.PathLike[str],
    runs: int | None = None,
    seed: int | None = None,
    rounds: int | None = None,
    threads: int | None = None,
    trajectories: int = 0,
    frame: Frame = "pandas",
    set: Mapping[str, float | str] | None = None,
) -> Batch:
    """Runs a seeded batch of the scenario file ``scenario`` (RON, or JSON) in memory.

    ``runs``, ``seed`` and ``rounds`` default to the scenario's own; ``threads`` to one per
    core (the numbers do not depend on it); the round-by-round trajectories of the runs with
    index below ``trajectories`` are kept; ``set`` replaces parameters (``--set``). The
    tables are those ``statecraft run`` writes for the same seed, number for number. The
    interpreter's lock is released while it runs.
    """
    _check_frame(frame)
    r = _statecraft.run(
        os.fspath(scenario), runs, seed, rounds, threads, trajectories, _set_items(set)
    )
    trajectories_frame = (
        _frame(r["trajectories"], frame, frozenset()) if "trajectories" in r else None
    )
    return Batch(
        scenario=r["scenario"],
        seed=r["seed"],
        rounds=r["rounds"],
        runs=_frame(r["runs"], frame, frozenset(r["metrics"])),
        actors=_frame(r["actors"], frame, frozenset()),
        trajectories=trajectories_frame,
    )


def compare(
    reference: str | os.PathLike[str],
    scenario: str | os.PathLike[str],
    runs: int | None = None,
    seed: int | None = None,
    bootstrap: int = 2000,
    threads: int | None = None,
    frame: Frame = "pandas",
    set: Mapping[str, float | str] | None = None,
) -> DataFrame:
    """Compares the scenario file ``scenario`` with ``reference``, as
    ``statecraft compare REFERENCE SCENARIO`` does.

    Both run with the same seed and number of runs (the reference's unless given), paired run
    by run. Returns the rows of ``compare.csv``: for each metric the reference's own row, then
    the scenario's with the difference of means, its 95% bootstrap interval (``bootstrap``
    resamples), the KS and Mann-Whitney tests, Cliff's delta and a verdict. The frame's
    ``attrs`` (pandas) hold ``seed``, ``runs`` and ``notes`` (metrics that could not be
    compared). ``set`` replaces parameters in both scenarios.
    """
    _check_frame(frame)
    r = _statecraft.compare(
        os.fspath(reference), os.fspath(scenario), runs, seed, bootstrap, threads,
        _set_items(set),
    )
    rows = r["rows"]
    if frame == "pandas":
        import pandas as pd

        df = _frame(rows, frame)
        df["paired"] = pd.array(df["paired"].tolist(), dtype="boolean")
        df.attrs.update(seed=r["seed"], runs=r["runs"], notes=list(r["notes"]))
        return df
    return _frame(rows, frame)


def info(
    scenario: str | os.PathLike[str], set: Mapping[str, float | str] | None = None
) -> dict[str, Any]:
    """What the scenario file is: its ``name``, ``seed``, ``runs``, ``rounds``, ``actors`` and
    ``metrics`` (the run-level metrics: the metric columns of ``runs`` and of
    :func:`evaluate`)."""
    return dict(_statecraft.info(os.fspath(scenario), _set_items(set)))


def parameters(
    scenario: str | os.PathLike[str],
    params: Sequence[str] | Mapping[str, tuple[float, float] | None] | None = None,
    frame: Frame = "pandas",
    set: Mapping[str, float | str] | None = None,
) -> DataFrame:
    """The scenario's uncertain parameters with their exploratory ranges: columns ``path``,
    ``lo``, ``hi`` and ``source``.

    ``params`` chooses them (paths, or ``{path: (lo, hi)}``); by default the scenario's
    ``sweep`` section's, else every uncertain parameter. A range is the one given, else the
    distribution's support (a normal's central 99.8%). These are the bounds EMA Workbench's
    uncertainties and SALib's problem sample between (:mod:`statecraft.ema`,
    :mod:`statecraft.salib`).
    """
    _check_frame(frame)
    cols = _statecraft.parameters(os.fspath(scenario), _params(params), _set_items(set))
    return _frame(cols, frame, frozenset())


@dataclass(frozen=True)
class SweepResult:
    """A sweep's points, as ``statecraft sweep`` writes ``sweep.csv``."""

    points: DataFrame
    """One row per design point: ``point``, each factor's value, then per metric its
    ``_mean``, ``_p5``, ``_p50`` and ``_p95`` over the point's runs (NaN, or null in polars,
    where the metric is undefined in every run)."""
    design: str
    """The design in words (``lhs``, ``grid, 5 levels``, ``given, 100 points``)."""
    factors: list[str]
    """The factors' paths, in column order."""
    metrics: list[str]
    """The run-level metrics."""
    seed: int
    """The seed of every point's batch (common random numbers across points)."""
    runs: int
    """Replications per point."""
    rounds: int
    """Rounds per run."""


def _design_columns(design: Any) -> tuple[list[str], Any]:
    """A design made elsewhere (a pandas or polars frame, an Arrow table, or ``{path: values}``)
    as its paths and a float64 matrix, one row per point."""
    import numpy as np

    if isinstance(design, Mapping):
        paths = list(design)
    elif hasattr(design, "column_names"):  # an Arrow table (its `columns` are the arrays)
        paths = [str(c) for c in design.column_names]
    elif hasattr(design, "columns"):
        paths = [str(c) for c in design.columns]
    else:
        raise TypeError(
            "design: a pandas or polars frame, an Arrow table, or a {path: values} mapping"
        )
    values = np.column_stack([np.asarray(design[p], dtype=float) for p in paths])
    return paths, np.ascontiguousarray(values, dtype=float)


def sweep(
    scenario: str | os.PathLike[str],
    params: Sequence[str] | Mapping[str, tuple[float, float] | None] | None = None,
    design: Literal["grid", "random", "lhs", "sobol"] | None = None,
    points: int | None = None,
    levels: int | None = None,
    runs: int | None = None,
    seed: int | None = None,
    rounds: int | None = None,
    threads: int | None = None,
    given: Any = None,
    frame: Frame = "pandas",
    set: Mapping[str, float | str] | None = None,
) -> SweepResult:
    """Sweeps parameters as ``statecraft sweep`` does: a design of points (grid, random,
    Latin hypercube or Sobol; ``points`` or ``levels``), each run ``runs`` times with the same
    seeds (common random numbers), each point summarised.

    ``params``, ``design``, ``points``, ``levels`` and ``runs`` default to the scenario's
    ``sweep`` section, else every uncertain parameter, LHS, 64 points, 5 levels, 1000 runs.
    ``given`` is a design made elsewhere (a frame whose columns are parameter paths, one row
    per point: ``sweep --design-file``). Same seed, same numbers as the CLI's ``sweep.csv``.
    """
    _check_frame(frame)
    r = _statecraft.sweep(
        os.fspath(scenario),
        _params(params),
        design,
        points,
        levels,
        runs,
        seed,
        rounds,
        threads,
        _set_items(set),
        None if given is None else _design_columns(given),
    )
    return SweepResult(
        points=_frame(r["rows"], frame, {c for c, _ in r["rows"]} - {"point", *r["factors"]}),
        design=r["design"],
        factors=list(r["factors"]),
        metrics=list(r["metrics"]),
        seed=r["seed"],
        runs=r["runs"],
        rounds=r["rounds"],
    )


def evaluate(
    scenario: str | os.PathLike[str],
    design: Any,
    runs: int = 1,
    seed: int | None = None,
    rounds: int | None = None,
    threads: int | None = None,
    frame: Frame = "pandas",
    set: Mapping[str, float | str] | None = None,
) -> DataFrame:
    """Evaluates a design made elsewhere (EMA Workbench's experiments, a SALib sample) in one
    call: each row of ``design`` (a frame whose columns are parameter paths, or
    ``{path: values}``) runs ``runs`` times; returns one row per point with the design's
    columns and each metric's mean over the point's runs (NaN where undefined in every run).

    Every point runs with the same seeds (common random numbers): the differences between
    points are the parameters', not the noise's. The other uncertain parameters are drawn in
    each run from their distributions.
    """
    s = sweep(scenario, runs=runs, seed=seed, rounds=rounds, threads=threads, given=design,
              frame=frame, set=set)
    names = {f"{m}_mean": m for m in s.metrics}
    keep = ["point", *s.factors, *names]
    if frame == "pandas":
        return s.points[keep].rename(columns=names)
    if frame == "arrow":
        return s.points.select(keep).rename_columns([names.get(c, c) for c in keep])
    return s.points.select(keep).rename(names)


@dataclass(frozen=True)
class TournamentResult:
    """A tournament's tables, as ``statecraft tournament`` writes them."""

    rows: DataFrame
    """``tournament.csv``: one row per cell (hegemon variant, ally variant) and run."""
    matrix: DataFrame
    """``payoff_matrix.csv``: one row per cell, mean payoffs with 95% bootstrap intervals."""
    ranking: DataFrame
    """``ranking.csv``: the variants of each role by rank, with ``p_first``."""
    seed: int
    """The seed of every cell."""
    runs: int
    """Runs per cell."""
    rounds: int
    """Rounds per run."""


def tournament(
    scenario: str | os.PathLike[str],
    hegemon: Sequence[str] = (),
    allies: Sequence[str] = (),
    variants: str | os.PathLike[str] | None = None,
    runs: int | None = None,
    seed: int | None = None,
    rounds: int | None = None,
    cohesion_weight: float = 0.0,
    payoff: Literal["national", "government"] = "national",
    resamples: int = 1000,
    threads: int | None = None,
    frame: Frame = "pandas",
    set: Mapping[str, float | str] | None = None,
) -> TournamentResult:
    """Plays every hegemon variant against every ally variant as ``statecraft tournament``
    does (``variants``: a strategies file declaring named variants), the same seeded runs in
    every cell, and ranks them. The evolutionary dynamics (``--evolve``, ``--moran``) are the
    CLI's only.
    """
    _check_frame(frame)
    r = _statecraft.tournament(
        os.fspath(scenario),
        list(hegemon),
        list(allies),
        None if variants is None else os.fspath(variants),
        runs,
        seed,
        rounds,
        cohesion_weight,
        payoff,
        resamples,
        threads,
        _set_items(set),
    )
    return TournamentResult(
        rows=_frame(r["rows"], frame, frozenset()),
        matrix=_frame(r["matrix"], frame, frozenset()),
        ranking=_frame(r["ranking"], frame, frozenset()),
        seed=r["seed"],
        runs=r["runs"],
        rounds=r["rounds"],
    )


@dataclass(frozen=True)
class SensitivityResult:
    """A sensitivity analysis, as ``statecraft sensitivity`` writes ``sensitivity.csv``."""

    indices: DataFrame
    """One row per metric analysed and parameter: ``method``, ``metric``, ``param``, then
    Sobol's ``s1``, ``st`` or Morris's ``mu_star``, ``sigma``, ``mu`` with their 95% intervals
    (the other method's columns NaN, null in polars and Arrow)."""
    design: str
    """The design in words."""
    n: int
    """Base samples (Sobol) or trajectories (Morris)."""
    skipped: list[tuple[str, str]]
    """Metrics left out, with why (undefined at some point, or constant)."""
    seed: int
    """The seed of every point's replications."""
    runs: int
    """Replications per design point."""
    rounds: int
    """Rounds per run."""


def sensitivity(
    scenario: str | os.PathLike[str],
    method: Literal["sobol", "morris"] = "sobol",
    params: Sequence[str] | Mapping[str, tuple[float, float] | None] | None = None,
    samples: int | None = None,
    levels: int | None = None,
    runs: int | None = None,
    bootstrap: int | None = None,
    metrics: Sequence[str] = (),
    seed: int | None = None,
    rounds: int | None = None,
    threads: int | None = None,
    frame: Frame = "pandas",
    set: Mapping[str, float | str] | None = None,
) -> SensitivityResult:
    """Sobol indices (Saltelli 2010 first order, Jansen total) or Morris elementary effects of
    the run-level metrics, as ``statecraft sensitivity`` computes them: the same seed gives
    its ``sensitivity.csv``. Defaults: the scenario's sweep section's parameters, else every
    uncertain one; 256 base samples (Sobol) or 20 trajectories of 4 levels (Morris); 50
    replications per point; 1000 bootstrap resamples."""
    _check_frame(frame)
    r = _statecraft.sensitivity(
        os.fspath(scenario), method, _params(params), samples, levels, runs, bootstrap,
        list(metrics), seed, rounds, threads, _set_items(set),
    )
    return SensitivityResult(
        indices=_frame(r["rows"], frame),
        design=r["design"],
        n=r["n"],
        skipped=[tuple(x) for x in r["skipped"]],
        seed=r["seed"],
        runs=r["runs"],
        rounds=r["rounds"],
    )


@dataclass(frozen=True)
class PatternsResult:
    """A batch scored against observed patterns, as ``statecraft patterns`` writes
    ``patterns.json``."""

    rates: DataFrame
    """One row per pattern: ``id``, ``name``, ``test``, ``target``, ``observed``, ``rate`` (the
    share of runs where it holds), the quantity's ``mean``, ``p5``, ``p95``, ``met`` and
    ``binding`` (whether it enters the ABC's distance)."""
    runs: int
    """Runs scored."""
    seed: int
    """The batch's seed."""
    all_hits: int
    """Runs where every pattern holds."""


def patterns(
    scenario: str | os.PathLike[str],
    file: str | os.PathLike[str] | None = None,
    runs: int | None = None,
    seed: int | None = None,
    rounds: int | None = None,
    threads: int | None = None,
    frame: Frame = "pandas",
    set: Mapping[str, float | str] | None = None,
) -> PatternsResult:
    """Scores a seeded batch against the scenario's observed patterns (or those of ``file``)
    as ``statecraft patterns`` does: how often each pattern of the record holds. The ABC and
    the posterior scenario stay the CLI's (``statecraft patterns --abc``)."""
    _check_frame(frame)
    r = _statecraft.patterns(
        os.fspath(scenario), None if file is None else os.fspath(file), runs, seed, rounds,
        threads, _set_items(set),
    )
    return PatternsResult(
        rates=_frame(r["rates"], frame, {"observed", "mean", "p5", "p95"}),
        runs=r["runs"],
        seed=r["seed"],
        all_hits=r["all_hits"],
    )
