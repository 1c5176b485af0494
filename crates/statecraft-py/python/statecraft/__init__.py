"""statecraft from Python: seeded batches and scenario comparisons of the agent-based model.

The numbers come from the Rust library (``statecraft_api``) through the native module
``statecraft._statecraft``; this module only assembles its columns into pandas (default) or
polars frames. Same seed, same numbers as ``statecraft run`` and ``statecraft compare``::

    import statecraft
    b = statecraft.run("scenarios/examples/three_actors.ron", runs=200, seed=7)
    b.runs["hegemon_rent"].mean()
    c = statecraft.compare("scenarios/paid_access_2025.ron", "scenarios/open_order.ron", runs=500)

Errors in the inputs raise :class:`StatecraftError` (a ``ValueError``) with the library's
message, naming the file, line and column or the value and its allowed range.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Sequence, TypeAlias

from . import _statecraft
from ._statecraft import StatecraftError

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

    DataFrame: TypeAlias = pd.DataFrame | pl.DataFrame

__all__ = ["Batch", "Frame", "StatecraftError", "compare", "run"]

Frame = Literal["pandas", "polars"]


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


def _frame(
    columns: Sequence[tuple[str, Any]], frame: Frame, optional: set[str] | None = None
) -> Any:
    """A DataFrame of ``(name, column)`` pairs; in polars, NaN is null in ``optional`` columns
    (``None`` = every float column)."""
    if frame == "pandas":
        import pandas as pd

        return pd.DataFrame({name: col for name, col in columns}, copy=False)
    if frame == "polars":
        import numpy as np
        import polars as pl

        series = []
        for name, col in columns:
            nulls = isinstance(col, np.ndarray) and col.dtype.kind == "f" and (
                optional is None or name in optional
            )
            series.append(pl.Series(name, col, nan_to_null=nulls))
        return pl.DataFrame(series)
    raise ValueError(f"frame must be 'pandas' or 'polars', not {frame!r}")


def run(
    scenario: str | os.PathLike[str],
    runs: int | None = None,
    seed: int | None = None,
    rounds: int | None = None,
    threads: int | None = None,
    trajectories: int = 0,
    frame: Frame = "pandas",
) -> Batch:
    """Runs a seeded batch of the scenario file ``scenario`` (RON, or JSON) in memory.

    ``runs``, ``seed`` and ``rounds`` default to the scenario's own; ``threads`` to one per
    core (the numbers do not depend on it); the round-by-round trajectories of the runs with
    index below ``trajectories`` are kept. The tables are those ``statecraft run`` writes for
    the same seed, number for number. The interpreter's lock is released while it runs.
    """
    if frame not in ("pandas", "polars"):
        raise ValueError(f"frame must be 'pandas' or 'polars', not {frame!r}")
    r = _statecraft.run(
        os.fspath(scenario), runs, seed, rounds, threads, trajectories
    )
    trajectories_frame = (
        _frame(r["trajectories"], frame, set()) if "trajectories" in r else None
    )
    return Batch(
        scenario=r["scenario"],
        seed=r["seed"],
        rounds=r["rounds"],
        runs=_frame(r["runs"], frame, set(r["metrics"])),
        actors=_frame(r["actors"], frame, set()),
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
) -> DataFrame:
    """Compares the scenario file ``scenario`` with ``reference``, as
    ``statecraft compare REFERENCE SCENARIO`` does.

    Both run with the same seed and number of runs (the reference's unless given), paired run
    by run. Returns the rows of ``compare.csv``: for each metric the reference's own row, then
    the scenario's with the difference of means, its 95% bootstrap interval (``bootstrap``
    resamples), the KS and Mann-Whitney tests, Cliff's delta and a verdict. The frame's
    ``attrs`` (pandas) hold ``seed``, ``runs`` and ``notes`` (metrics that could not be
    compared).
    """
    if frame not in ("pandas", "polars"):
        raise ValueError(f"frame must be 'pandas' or 'polars', not {frame!r}")
    r = _statecraft.compare(
        os.fspath(reference), os.fspath(scenario), runs, seed, bootstrap, threads
    )
    rows = r["rows"]
    if frame == "pandas":
        import pandas as pd

        df = _frame(rows, frame)
        df["paired"] = pd.array(df["paired"].tolist(), dtype="boolean")
        df.attrs.update(seed=r["seed"], runs=r["runs"], notes=list(r["notes"]))
        return df
    return _frame(rows, frame)
